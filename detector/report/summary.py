"""Counts over a scan, the way datatrove counts filter reasons: per kind and per rule id."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from detector.findings import KINDS
from detector.scanner import DocumentReport

SCHEMA_VERSION = "1.0"


@dataclass
class Summary:
    model: str = "rules"
    threshold: float = 0.5
    documents: int = 0
    flagged: int = 0
    errors: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def add(self, report: DocumentReport) -> None:
        if report.error is not None:
            self.errors += 1
            return
        self.documents += 1
        self.flagged += report.flagged
        for finding in report.findings:
            self.by_kind[finding.kind] += 1
            self.by_rule.update(finding.rules)

    def stop(self) -> None:
        self.seconds = time.perf_counter() - self.started

    def to_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "threshold": self.threshold,
            "documents": self.documents,
            "flagged": self.flagged,
            "errors": self.errors,
            "findings_by_kind": {k: self.by_kind.get(k, 0) for k in KINDS},
            "findings_by_rule": dict(sorted(self.by_rule.items())),
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.documents / self.seconds, 1) if self.seconds else None,
        }
