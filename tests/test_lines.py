"""Offsets to 1-based lines and columns, with CRLF and empty lines."""

from __future__ import annotations

import pytest

from detector.lines import LineIndex

TEXT = "ab\r\n\ncdé\nf"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, (1, 1)), (1, (1, 2)), (3, (1, 4)), (4, (2, 1)), (5, (3, 1)), (7, (3, 3)), (9, (4, 1)),
     (10, (4, 2))],
)  # fmt: skip
def test_locate(offset: int, expected: tuple[int, int]) -> None:
    assert LineIndex(TEXT).locate(offset) == expected


def test_line_starts_round_trip() -> None:
    index = LineIndex(TEXT)
    assert len(index) == 4
    for line in range(1, len(index) + 1):
        assert index.locate(index.line_start(line)) == (line, 1)


def test_a_lone_carriage_return_ends_a_line_unless_lf_only_is_asked() -> None:
    from detector.lines import LF

    assert LineIndex("a\rb\nc").locate(4) == (3, 1)
    assert LineIndex("a\rb\nc", LF).locate(4) == (2, 1)
