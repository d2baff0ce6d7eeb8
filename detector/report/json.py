"""JSON: one object with `schema_version`, `summary`, `documents` and `errors`. Documents stream
out as they come; errors and the summary follow them."""

from __future__ import annotations

import json
from typing import IO

from detector.report.encoding import dumps
from detector.report.summary import SCHEMA_VERSION, Summary
from detector.scanner import DocumentReport


class JsonWriter:
    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.errors: list[dict[str, object]] = []
        self.count = 0
        self.out.write(f'{{"schema_version": {json.dumps(SCHEMA_VERSION)},\n "documents": [')

    def write(self, report: DocumentReport) -> None:
        if report.error is not None:
            self.errors.append(report.to_dict())
            return
        sep = "," if self.count else ""
        self.out.write(f"{sep}\n  {dumps(report.to_dict())}")
        self.count += 1

    def finish(self, summary: Summary) -> None:
        errors = dumps(self.errors)
        self.out.write(
            f'\n ],\n "errors": {errors},\n "summary": {json.dumps(summary.to_dict())}\n}}\n'
        )
        self.out.flush()
