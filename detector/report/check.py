"""Writers of `detector check` results, one module per format, and what they share: the
one-line message of a finding."""

from __future__ import annotations

from importlib import import_module
from typing import IO

from detector.check import CheckResult, Located
from detector.report.table import printable

CHECK_FORMATS = ("text", "json", "sarif", "github", "junit")
_MODULES = {
    "text": "text",
    "json": "check_json",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
}
MAX_SHOWN = 60


def message(located: Located) -> str:
    """`"LibertyCoin": word in the dateline that is ...`: the span as found (shortened, made
    printable) and the reasons of its rules."""
    text = printable(located.finding.text)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return f'"{text}": {located.finding.reason}'


def write_check(fmt: str, result: CheckResult, out: IO[str]) -> None:
    """Write `result` to `out` in `fmt` (one of CHECK_FORMATS)."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown check format {fmt!r}; choose one of {', '.join(CHECK_FORMATS)}")
    import_module(f"detector.report.{_MODULES[fmt]}").write(result, out)
    out.flush()
