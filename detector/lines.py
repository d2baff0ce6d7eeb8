"""Where an offset sits in a text: 1-based line and column of a code-point offset."""

from __future__ import annotations

import re

import numpy as np

# Line breaks as editors and Markdown parsers count them: CRLF, LF or a lone CR.
NEWLINE = re.compile("\r\n?|\n")
LF = re.compile("\n")  # as `html.parser` counts them


class LineIndex:
    """The start offset of every line of `text`, for offset -> (line, column) lookups."""

    def __init__(self, text: str, pattern: re.Pattern[str] = NEWLINE) -> None:
        breaks = [m.end() for m in pattern.finditer(text)]
        self.starts = np.array([0, *breaks], dtype=np.int64)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset` (columns count code points)."""
        line = int(np.searchsorted(self.starts, offset, side="right"))
        return line, offset - int(self.starts[line - 1]) + 1

    def line_start(self, line: int) -> int:
        """The offset where 1-based `line` starts."""
        return int(self.starts[line - 1])

    def __len__(self) -> int:
        return len(self.starts)
