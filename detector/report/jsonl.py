"""JSONL: one line per document (or per bad record), in input order."""

from __future__ import annotations

from typing import IO

from detector.report.encoding import dumps
from detector.report.summary import Summary
from detector.scanner import DocumentReport


class JsonlWriter:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, report: DocumentReport) -> None:
        self.out.write(dumps(report.to_dict()) + "\n")

    def finish(self, summary: Summary) -> None:
        self.out.flush()
