"""The default `detector check` output: one line per new finding at or above the threshold,
`path:line:column: kind rule-id score message`, for grep, editors and CI logs."""

from __future__ import annotations

from typing import IO

from detector.check import CheckResult, Located
from detector.report.check import message


def line_of(located: Located) -> str:
    loc, finding = located.location, located.finding
    return (
        f"{located.path}:{loc.line}:{loc.column}: {finding.kind} {located.rule} "
        f"{finding.score:.2f} {message(located)}"
    )


def write(result: CheckResult, out: IO[str]) -> None:
    for located in result.findings:
        if located.shown:
            out.write(line_of(located) + "\n")
