"""The terminal report: each flagged document with its findings highlighted in context, then
counts per rule and a one-line summary."""

from __future__ import annotations

import re
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from detector.findings import Finding
from detector.normalize import INVISIBLE
from detector.report.summary import Summary
from detector.scanner import DocumentReport

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STYLES = {
    "injection": "bold white on red",
    "obfuscation": "bold black on yellow",
    "residue": "black on cyan",
}
CONTEXT = 40


def printable(s: str) -> str:
    """One display line: newlines shown as ⏎, invisible characters named, lone surrogates
    (which no terminal can print) replaced."""
    s = s.replace("\r\n", "\n").replace("\n", " ⏎ ")
    s = INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", s)
    s = _CONTROL.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", s)  # no terminal escapes from the data
    return s.encode("utf-8", "replace").decode("utf-8")


def highlighted(finding: Finding, text: str) -> Text:
    """`…before [finding] after…` on one line, the finding styled by kind."""
    before = text[max(0, finding.start - CONTEXT) : finding.start]
    after = text[finding.end : finding.end + CONTEXT]
    line = Text("…" if finding.start > CONTEXT else "")
    line.append(printable(before))
    line.append(printable(finding.text), style=STYLES[finding.kind])
    line.append(printable(after))
    line.append("…" if finding.end + CONTEXT < len(text) else "")
    return line


class TableWriter:
    def __init__(self, out: IO[str], *, color: bool = False) -> None:
        self.console = Console(
            file=out, force_terminal=color, no_color=not color, width=120, soft_wrap=False
        )
        self.errors: list[DocumentReport] = []

    def write(self, report: DocumentReport) -> None:
        if report.error is not None:
            self.errors.append(report)
            return
        if not report.flagged:
            return
        self.console.print(
            Text(f"{report.id}  ", style="bold")
            + Text(f"{report.source}  score {report.score:.2f}")
        )
        for finding in report.findings:
            head = Text(f"  {finding.field}:{finding.line}:{finding.column} ", style="dim")
            head.append(f"{finding.kind:<11} {finding.score:.2f} {','.join(finding.rules)}")
            self.console.print(head)
            context = Text("      ") + highlighted(
                finding, report.texts.get(finding.field, finding.text)
            )
            self.console.print(context, overflow="ellipsis", no_wrap=True)

    def finish(self, summary: Summary) -> None:
        for report in self.errors:
            self.console.print(
                Text(printable(f"error  {report.source}: {report.error}"), style="red")
            )
        if summary.by_rule:
            table = Table(title="findings per rule, all documents", title_justify="left")
            table.add_column("rule")
            table.add_column("findings", justify="right")
            for rule, count in sorted(summary.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
                table.add_row(rule, str(count))
            self.console.print(table)
        s = summary
        self.console.print(
            f"{s.documents} documents, {s.flagged} flagged, {s.errors} errors "
            f"in {s.seconds:.2f}s ({s.model}, threshold {s.threshold})"
        )
