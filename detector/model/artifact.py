"""The shipped model and its card: `model.joblib` is only loaded after `model.json` vouches for
it (SHA-256, library versions, feature schema). Anything else is refused with a reason."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detector import english
from detector.artifacts import artifact_path, sha256
from detector.errors import ModelError
from detector.model.features import DENSE_NAMES, FEATURE_SCHEMA

MODEL_FILE = "model.joblib"
CARD_FILE = "model.json"
# The libraries whose pickles, or whose data the features read, must match exactly (major.minor)
# for a model to load.
PINNED = ("scikit-learn", "numpy", "scipy", "joblib", "wordfreq")
NOT_INSTALLED = "not installed"


def library_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for name in PINNED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = NOT_INSTALLED
    versions["python"] = platform.python_version()
    return versions


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


@dataclass(frozen=True)
class LoadedModel:
    classifier: Any
    card: dict[str, Any]
    path: Path


def save(classifier: Any, directory: Path, card: dict[str, Any]) -> Path:
    """Write `model.joblib` and its card into `directory`; return the card's path."""
    import joblib

    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    joblib.dump(classifier, model_path, compress=("xz", 6))
    full = {
        "name": "content-integrity-detector token classifier",
        "feature_schema": FEATURE_SCHEMA,
        "features": list(DENSE_NAMES),
        "libraries": library_versions(),
        "sha256": sha256(model_path),
        "size_bytes": model_path.stat().st_size,
        **card,
    }
    card_path = directory / CARD_FILE
    card_path.write_text(json.dumps(full, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return card_path


def load(directory: Path | None = None) -> LoadedModel:
    """Load and verify the model in `directory` (default: the shipped artifacts).

    Raises ModelError naming what is missing or does not match.
    """
    model_path = Path(directory) / MODEL_FILE if directory else artifact_path(MODEL_FILE)
    card_path = model_path.with_name(CARD_FILE)
    if not model_path.is_file():
        raise ModelError(f"no model file at {model_path}")
    if not card_path.is_file():
        raise ModelError(f"no model card at {card_path}")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"unreadable model card {card_path}: {exc}") from None
    if not isinstance(card, dict):
        raise ModelError(f"unreadable model card {card_path}: not a JSON object")
    if card.get("feature_schema") != FEATURE_SCHEMA or card.get("features") != list(DENSE_NAMES):
        raise ModelError(
            f"model built for feature schema {card.get('feature_schema')}, this detector has {FEATURE_SCHEMA}"
        )
    try:
        actual = sha256(model_path)
    except OSError as exc:
        raise ModelError(
            f"cannot read the model file {model_path}: {exc.strerror or exc}"
        ) from None
    if actual != card.get("sha256"):
        raise ModelError(f"model file hash {actual[:12]}… does not match its card")
    here = library_versions()
    for name in PINNED:
        libraries = card.get("libraries")
        built = str(libraries.get(name, "?") if isinstance(libraries, dict) else "?")
        if _minor(built) != _minor(here[name]):
            has = "has not installed it" if here[name] == NOT_INSTALLED else f"has {here[name]}"
            raise ModelError(f"model built with {name} {built}, this environment {has}")
    english.load()  # the word list the features read
    import joblib

    try:
        classifier = joblib.load(model_path)
    except Exception as exc:  # a verified file that still fails to unpickle
        raise ModelError(f"model file {model_path} failed to load: {exc}") from None
    return LoadedModel(classifier, card, model_path)
