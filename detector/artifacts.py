"""Where the shipped artifacts (gazetteer, model) live, installed or run from a checkout."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

_CHECKOUT_DIR = Path(__file__).resolve().parent.parent / "artifacts"


def artifact_path(name: str) -> Path:
    """Path of the artifact `name`: inside the installed `detector._artifacts` package when there
    is one, else in the checkout's top-level `artifacts/` folder. The file may not exist."""
    try:
        candidate = resources.files("detector._artifacts") / name
    except (ModuleNotFoundError, TypeError):
        return _CHECKOUT_DIR / name
    if isinstance(candidate, Path) and candidate.is_file():
        return candidate
    return _CHECKOUT_DIR / name


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks: how cards and build metadata name their inputs."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
