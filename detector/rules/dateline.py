"""A dateline holds places, a date and an agency; any other word in it was put there."""

from __future__ import annotations

from collections.abc import Iterator

from detector.document import Document
from detector.rules.base import Rule


class DatelineIntruder(Rule):
    id = "dateline-intruder"
    weight = 0.92
    reason = "word in the dateline that is no place, region, date or agency"

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        if doc.dateline is None:
            return
        for part in doc.dateline.parts:
            if part.role == "unknown":
                yield part.start, part.end, None
