"""The detector interface the engine speaks, and the rules detector. The trained model is one
more `Detector`; the engine never asks which kind it holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from detector.document import Document
from detector.findings import Finding
from detector.rules import ALL_RULES, Rule


class Detector(Protocol):
    id: str

    def detect(self, doc: Document) -> list[Finding]: ...


class RulesDetector:
    """Runs every rule; each hit is a one-rule `Finding` for scoring to merge."""

    id = "rules"

    def __init__(self, rules: Sequence[Rule] = ALL_RULES) -> None:
        self.rules = tuple(rules)

    def detect(self, doc: Document) -> list[Finding]:
        return [hit for rule in self.rules for hit in rule.detect(doc)]
