"""Shared fixtures: where the research data and the founding document live, and a model whose
probabilities a test sets per word."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from training.generate import default_data_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FOUNDING = EXAMPLES / "founding_document.txt"


@pytest.fixture
def data_dir() -> Path:
    path = default_data_dir()
    if not (path / "bbc_news").is_dir():
        pytest.skip(f"research data not found at {path} (set DETECTOR_SHARED_DATA)")
    return path


@pytest.fixture
def founding_text() -> str:
    with FOUNDING.open(encoding="utf-8", newline="") as f:
        return f.read()


class FixedProbabilities:
    """A classifier whose probability for each word is set by the test (0 for the rest)."""

    def __init__(self, probs: dict[str, float]) -> None:
        self.probs = probs

    def predict_docs(self, docs: list) -> list[np.ndarray]:
        return [np.array([self.probs.get(w, 0.0) for w in d.doc.tokens.words]) for d in docs]


def fixed_model(probs: dict[str, float], *, rules: bool = False, corroboration: float = 10):  # type: ignore[no-untyped-def]
    """A `ModelDetector` over `FixedProbabilities`, with the rules or with none."""
    from detector.detectors import RulesDetector
    from detector.model.runtime import ModelDetector

    return ModelDetector(
        FixedProbabilities(probs),
        rules=None if rules else RulesDetector(rules=()),
        corroboration=corroboration,
    )
