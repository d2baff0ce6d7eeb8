"""Report writers: each takes document reports one at a time and a summary at the end, so a
scan of any size streams straight through."""

from __future__ import annotations

from typing import IO, Protocol

from detector.report.summary import SCHEMA_VERSION, Summary
from detector.scanner import DocumentReport

FORMATS = ("table", "json", "jsonl", "html", "markdown")


class ReportWriter(Protocol):
    def write(self, report: DocumentReport) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def make_writer(fmt: str, out: IO[str], *, color: bool = False) -> ReportWriter:
    """The writer for `fmt`, writing to `out`."""
    if fmt == "jsonl":
        from detector.report.jsonl import JsonlWriter

        return JsonlWriter(out)
    if fmt == "json":
        from detector.report.json import JsonWriter

        return JsonWriter(out)
    if fmt == "table":
        from detector.report.table import TableWriter

        return TableWriter(out, color=color)
    if fmt == "html":
        from detector.report.html import HtmlWriter

        return HtmlWriter(out)
    if fmt == "markdown":
        from detector.report.markdown import MarkdownWriter

        return MarkdownWriter(out)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "SCHEMA_VERSION", "ReportWriter", "Summary", "make_writer"]
