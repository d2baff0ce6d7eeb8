"""What silences a finding on purpose: inline directives in the checked text
(`detector: ignore` for the next block, `detector: ignore-line` for its own line) and allowlists
of terms and regular expressions from the configuration."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from detector.check.config import CheckConfig, matches
from detector.check.fingerprint import canonical
from detector.lines import NEWLINE

_IGNORE_LINE = re.compile(r"detector:\s*ignore-line\b")
_IGNORE_BLOCK = re.compile(r"detector:\s*ignore(?!-line)(?!\w)")


def silenced_lines(text: str) -> frozenset[int]:
    """1-based lines whose findings are silenced. A line holding `detector: ignore-line` (in any
    comment: `<!-- -->`, `#`, ...) silences itself; one holding `detector: ignore` silences the
    next block: the following non-blank lines, up to the next blank line."""
    lines = NEWLINE.split(text)  # numbered as findings are: CRLF, LF or a lone CR ends a line
    silenced: set[int] = set()
    for number, line in enumerate(lines, start=1):
        if _IGNORE_LINE.search(line):
            silenced.add(number)
        elif _IGNORE_BLOCK.search(line):
            silenced.update(_next_block(lines, number))
    return frozenset(silenced)


def _next_block(lines: list[str], directive: int) -> Iterable[int]:
    """Line numbers of the block after the directive's line (blank lines before it skipped)."""
    n = directive  # 0-based index of the line after the directive
    while n < len(lines) and not lines[n].strip():
        n += 1
    while n < len(lines) and lines[n].strip():
        n += 1
        yield n


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Terms (compared in canonical form, case-insensitively, against the whole span) and
    regular expressions (which must match the whole span text as found)."""

    terms: frozenset[str]
    regexes: tuple[re.Pattern[str], ...]

    @classmethod
    def for_path(cls, config: CheckConfig, relative: str) -> Allowlist:
        """The global allowlist plus the per-path entries whose glob matches `relative`."""
        terms = list(config.allow_terms)
        regexes = list(config.allow_regexes)
        for entry in config.per_path:
            if matches(relative, (entry.pattern,)):
                terms.extend(entry.terms)
                regexes.extend(entry.regexes)
        return cls(frozenset(canonical(t) for t in terms), tuple(re.compile(r) for r in regexes))

    def allows(self, span: str) -> bool:
        return canonical(span) in self.terms or any(r.fullmatch(span) for r in self.regexes)
