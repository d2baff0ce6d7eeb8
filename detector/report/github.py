"""GitHub Actions workflow commands: one `::error` (blocking) or `::warning` annotation per new
finding at or above the threshold, shown on the pull request's changed lines."""

from __future__ import annotations

from typing import IO

from detector.check import CheckResult, Located
from detector.report.check import message


def _escape(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_value else value


def annotation(located: Located) -> str:
    loc, finding = located.location, located.finding
    fields = {
        "file": located.path,
        "line": str(loc.line),
        "col": str(loc.column),
        "endLine": str(loc.end_line),
        "endColumn": str(max(loc.column, loc.end_column - 1)),  # GitHub's end column is inclusive
        "title": f"detector {finding.kind} {located.rule}",
    }
    props = ",".join(f"{k}={_escape(v, property_value=True)}" for k, v in fields.items())
    command = "error" if located.blocking else "warning"
    return f"::{command} {props}::{_escape(f'{finding.score:.2f} {message(located)}')}"


def write(result: CheckResult, out: IO[str]) -> None:
    for located in result.findings:
        if located.shown:
            out.write(annotation(located) + "\n")
    for error in result.errors:
        out.write(
            f"::error title=detector input error::{_escape(f'{error.source}: {error.message}')}\n"
        )
