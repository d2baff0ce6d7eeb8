"""What `detector check` scans and how a finding is located in the file it came from: a published
file (Markdown, HTML, text) located to the source character, or one record of a dump located to
the record's line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from detector.check.suppress import silenced_lines
from detector.findings import Finding
from detector.lines import LineIndex
from detector.markup import MappedText, Markup, extract
from detector.readers import Record, RecordError, iter_records, split_source


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is in its file. Lines and columns are 1-based, columns and offsets count
    code points, `end_column` is exclusive. Dump records have no character region in the file
    (`offset` None): their line is the record's, the span inside the field is in `properties`."""

    line: int
    column: int
    end_line: int
    end_column: int
    offset: int | None = None
    length: int | None = None
    properties: dict[str, object] = field(default_factory=dict)


class _Unit:
    """What every unit has: a path, the fields to scan (mapped text) and findings of its own."""

    path: str
    fields: dict[str, MappedText]
    _extra: list[Finding]

    @property
    def texts(self) -> dict[str, str]:
        return {name: mapped.text for name, mapped in self.fields.items()}

    @property
    def where(self) -> str:
        """The file, or the record (`file:line`), for an error about this unit."""
        return self.path

    def extra_findings(self) -> list[Finding]:
        """Findings that come from the markup itself (hidden text)."""
        return list(self._extra)


class FileUnit(_Unit):
    """A whole published file: its readable text (title and body) mapped to the source."""

    def __init__(self, path: str, source: str, markup: Markup | None) -> None:
        self.path = path
        self.source = source
        self.lines = LineIndex(source)
        if markup is None:
            self.fields = {"text": _verbatim(source)}
            self._extra: list[Finding] = []
        else:
            extracted = extract(source, markup)
            self.fields = extracted.fields
            self._extra = extracted.hidden_findings()
        self._silenced = silenced_lines(source)

    def locate(self, finding: Finding) -> Location:
        start, end = self.fields[finding.field].to_source(finding.start, finding.end)
        line, column = self.lines.locate(start)
        end_line, end_column = self.lines.locate(end)
        return Location(line, column, end_line, end_column, start, end - start)

    def silenced(self, finding: Finding, location: Location) -> bool:
        """Whether an inline directive in the source covers any line of the finding."""
        return any(n in self._silenced for n in range(location.line, location.end_line + 1))


class RecordUnit(_Unit):
    """One record of a JSONL/CSV/JSON dump: findings stay in field coordinates and are located
    at the record's line (for JSON arrays, the element's position)."""

    def __init__(self, path: str, record: Record) -> None:
        self.path = path
        self.record = record
        self.fields = {"text": _verbatim(record.text)}
        if record.title:
            self.fields["title"] = _verbatim(record.title)
        self.line = split_source(record.source)[1] or 1
        self._silenced = {name: silenced_lines(m.text) for name, m in self.fields.items()}
        self._extra = []

    @property
    def where(self) -> str:
        return self.record.source

    def locate(self, finding: Finding) -> Location:
        key = "element" if self.record.format == "json" else "line"
        properties: dict[str, object] = {
            "record": self.record.id, key: self.line, "field": finding.field,
            "start": finding.start, "end": finding.end,
        }  # fmt: skip
        return Location(self.line, 1, self.line, 1, properties=properties)

    def silenced(self, finding: Finding, location: Location) -> bool:
        """Whether a directive inside the record's field covers the finding's line there."""
        return finding.line in self._silenced[finding.field]


Unit = FileUnit | RecordUnit


def _verbatim(text: str) -> MappedText:
    return MappedText(text, range(len(text)), range(1, len(text) + 1))


def units_of(path: str, markup: Markup | None) -> Iterator[Unit | RecordError]:
    """The units of one file, read with the dump readers (gzip, BOM, binary and encoding checks
    included); Markdown and HTML are read whole, as text. An empty file has nothing to check
    (a placeholder page is no input error in a publishing repository)."""
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        return
    for item in iter_records([path], input_format="txt" if markup else None):
        if isinstance(item, RecordError):
            yield item
        elif item.format == "txt":
            yield FileUnit(path, item.text, markup)
        else:
            yield RecordUnit(path, item)


__all__ = ["FileUnit", "Location", "RecordUnit", "Unit", "units_of"]
