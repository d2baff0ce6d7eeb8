"""GitHub annotations: one workflow command per new finding, with file, line and column, and
data escaped so a finding's text can never end the command early."""

from __future__ import annotations

import re

from detector.check.runner import Located
from detector.check.units import Location
from detector.findings import Finding
from detector.report.github import annotation

COMMAND = re.compile(r"^::(error|warning) ((?:\w+=[^,:]*,?)+)::(.*)$")


def _located(text: str, blocking: bool) -> Located:
    finding = Finding("injection", 0, len(text), 0.91, ("ticker",), "cashtag", text)
    location = Location(4, 7, 4, 7 + len(text), 30, len(text))
    return Located("docs/a b,c.md", finding, location, "f" * 32, "new", blocking, True)


def test_annotation_is_one_parseable_command() -> None:
    line = annotation(_located("$MOON\nnext: 100%", blocking=True))
    assert "\n" not in line
    kind, props, message = COMMAND.match(line).groups()  # type: ignore[union-attr]
    fields = dict(p.split("=", 1) for p in props.split(","))
    assert kind == "error"
    assert fields["file"] == "docs/a b%2Cc.md" and fields["line"] == "4" and fields["col"] == "7"
    assert "100%25" in message and "⏎" in message  # newlines shown, percent signs escaped


def test_non_blocking_findings_are_warnings() -> None:
    assert annotation(_located("$MOON", blocking=False)).startswith("::warning ")
