"""Markdown for pull-request comments: a one-line summary and a compact table of the flagged
documents' findings, each linked to its file and line. Document text is escaped so that it
can neither break the table nor become markup."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import IO
from urllib.parse import quote

from detector.findings import KINDS, Finding
from detector.report.summary import Summary
from detector.scanner import DocumentReport

MAX_ROWS = 100  # a PR comment must stay short (and under the host's size limit)
MAX_TEXT = 60
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_RECORD = re.compile(r"^(?P<path>.+):(?P<n>\d+)$")


def cell(value: object) -> str:
    """Text for one table cell: on one line, every ASCII punctuation character backslash-escaped
    (so no `|`, `<`, `*`, `[` or backtick of the data acts as markup)."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _PUNCT.sub(r"\\\1", text)


def location(report: DocumentReport, finding: Finding) -> tuple[str, str]:
    """The label `file:line` and the link for a finding. A text file's line is the finding's;
    a JSONL or CSV record's is the record's; a JSON array element (`file:N`) has no line."""
    match = _RECORD.match(report.source)
    if match and PurePosixPath(match["path"]).suffix.lower() in (".json", ".gz"):
        return report.source, quote(match["path"])  # N counts elements, not lines
    if match:
        return report.source, f"{quote(match['path'])}#L{match['n']}"
    label = f"{report.source}:{finding.line}"
    return label, f"{quote(report.source)}#L{finding.line}"


class MarkdownWriter:
    def __init__(self, out: IO[str], *, max_rows: int = MAX_ROWS) -> None:
        self.out = out
        self.max_rows = max_rows
        self.rows: list[str] = []
        self.left_out = 0

    def write(self, report: DocumentReport) -> None:
        if report.error is not None or not report.flagged:
            return
        for f in report.findings:
            if len(self.rows) >= self.max_rows:
                self.left_out += 1
                continue
            label, href = location(report, f)
            text = f.text if len(f.text) <= MAX_TEXT else f.text[: MAX_TEXT - 1] + "…"
            self.rows.append(
                f"| {cell(report.id)} | [{cell(label)}]({href}) | {f.kind} | {f.score:.2f} "
                f"| {cell(text)} | {cell(', '.join(f.rules))} |"
            )

    def finish(self, summary: Summary) -> None:
        s = summary
        kinds = ", ".join(f"{s.by_kind.get(k, 0)} {k}" for k in KINDS)
        lines = [
            f"### content-integrity-detector: {s.flagged} of {s.documents} documents flagged",
            "",
            f"{cell(s.model)}, threshold {s.threshold}; findings: {kinds}"
            + (f"; {s.errors} unreadable records" if s.errors else ""),
            "",
        ]
        if self.rows:
            lines += [
                "| document | where | kind | score | text | rules |",
                "|---|---|---|---:|---|---|",
                *self.rows,
            ]
        if self.left_out:
            lines += ["", f"… and {self.left_out} more findings; see the JSON report for all."]
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()
