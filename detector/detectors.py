"""The detector interface the engine speaks, and the rules detector. The trained model is one
more `Detector`; the engine never asks which kind it holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from detector.document import Document
from detector.findings import Finding
from detector.rules import ALL_RULES, Rule


class Detector(Protocol):
    """`detect` finds the hits on one document; see `prepare`/`finish` for batching ones."""

    id: str

    def detect(self, doc: Document) -> list[Finding]: ...


def prepare(detector: Detector, doc: Document) -> object:
    """A detector's per-document work. Detectors that batch (the model) split `detect` into
    `prepare(doc)` and `detect_prepared(batch)`; for the others the work is `detect` itself."""
    step = getattr(detector, "prepare", None)
    return step(doc) if step is not None else detector.detect(doc)


def finish(detector: Detector, states: list[object]) -> list[list[Finding]]:
    """The findings of a batch of `prepare`d documents, in order."""
    step = getattr(detector, "detect_prepared", None)
    return step(states) if step is not None else states  # type: ignore[return-value]


class RulesDetector:
    """Runs every rule; each hit is a one-rule `Finding` for scoring to merge."""

    id = "rules"

    def __init__(self, rules: Sequence[Rule] = ALL_RULES) -> None:
        self.rules = tuple(rules)

    def detect(self, doc: Document) -> list[Finding]:
        return [hit for rule in self.rules for hit in rule.detect(doc)]
