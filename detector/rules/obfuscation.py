"""Text dressed up to slip past a filter: mixed scripts, invisible characters, styled letters,
spaced-out letters, leetspeak. Found on the original characters, not the normalised view."""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.document import Document
from detector.normalize import INVISIBLE, SPACED_LETTERS, confusable_skeleton
from detector.rules.base import PatternRule, Rule

_GREEK_CYRILLIC = "\u0370-\u03ff\u0400-\u04ff\u0500-\u052f"


class MixedScript(PatternRule):
    id = "mixed-script"
    kind = "obfuscation"
    weight = 0.6
    reason = "word mixes Latin with Cyrillic or Greek lookalike letters"
    patterns = (
        re.compile(
            rf"\b((?=[^\W\d_]{{0,59}}[A-Za-z])(?=[^\W\d_]{{0,59}}[{_GREEK_CYRILLIC}])[^\W\d_]{{2,60}})\b"
        ),
    )

    on_original = True  # the normalised view has already folded the lookalikes away

    def may_match(self, doc: Document, k: int, text: str) -> bool:
        return not text.isascii()

    def score(self, doc: Document, match: re.Match[str]) -> float | None:
        # `Δprice` is notation: only letters that pass for Latin ones disguise a word.
        lookalikes = confusable_skeleton()  # read once and cached by normalize
        return None if any(c in lookalikes for c in match.group(1)) else 0.0


class InvisibleCharacter(Rule):
    id = "invisible-char"
    kind = "obfuscation"
    weight = 0.55
    reason = "invisible character (zero-width, soft hyphen, bidi control) inside a word"
    on_original = True
    _inside = re.compile(rf"(?<=[^\W_])(?:{INVISIBLE.pattern})+(?=[^\W_])")

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        for match in self._inside.finditer(doc.original):
            # Report the whole word the character hides in, so it merges with the word's hits.
            start, end = _word_around(doc.original, match.start(), match.end())
            soft_hyphen_only = set(match.group()) == {"\u00ad"}
            yield start, end, 0.3 if soft_hyphen_only else None


class StyledLetters(PatternRule):
    id = "styled-letters"
    kind = "obfuscation"
    weight = 0.6
    reason = "mathematical, fullwidth or enclosed letters standing in for plain ones"
    patterns = (
        re.compile(
            r"([\U0001d400-\U0001d7ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9"
            r"\U0001f130-\U0001f189][\w\U0001d400-\U0001d7ff\uff10-\uff5a\u24b6-\u24e9"
            r"\U0001f130-\U0001f189]{0,60})"
        ),
    )

    on_original = True

    def may_match(self, doc: Document, k: int, text: str) -> bool:
        return not text.isascii()


class SpacedLetters(Rule):
    id = "spaced-letters"
    kind = "obfuscation"
    weight = 0.55
    reason = "word spelled out in spaced letters"
    on_original = True

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        for match in SPACED_LETTERS.finditer(doc.original):
            yield match.start(), match.end(), None


class Leetspeak(PatternRule):
    id = "leetspeak"
    kind = "obfuscation"
    weight = 0.4
    reason = "digits standing in for letters (leetspeak)"
    # 0/1/3/4/5/7 between letters, one side lowercase (`L1bertyC0in`, `Bre77er`), or opening a
    # lowercase word that has another such digit (`0ctavi4`, `5olympic5`); three letters at
    # least, four unless two digits stand in; 24 characters at most, as words are (not a wallet
    # address, `1NqPwPp7hEXZ3Atj77Ue11xA...`). Not `G7`, `H5N1`, `MP3s`, `web3`, `4chan`, `by3G`.
    patterns = (
        re.compile(
            r"(?<![\w/.#@=?&%-])(?!\d+x\d)"  # not a measure (`6x4in`)
            r"((?=[A-Za-z0-9]{0,22}(?:[A-Za-z][013457]+(?!s\b)[a-z]|[a-z][013457]+[A-Za-z])"
            r"|[013457]+[a-z][A-Za-z0-9]{0,22}[013457])"
            r"(?=(?:[0-9]{0,24}[A-Za-z]){4}|(?=(?:[0-9]{0,24}[A-Za-z]){3})(?:[A-Za-z]{0,24}[013457]){2})"
            r"[A-Za-z0-9]{4,24})\b"
        ),
    )
    # In every match.
    _core = re.compile(r"[A-Za-z][013457]+[a-z]|[a-z][013457]+[A-Za-z]|\b[013457]+[a-z]")

    def may_match(self, doc: Document, k: int, text: str) -> bool:
        return self._core.search(text) is not None


_WORD_CHAR = rf"(?:[^\W_]|{INVISIBLE.pattern})"
_WORD_TAIL = re.compile(rf"{_WORD_CHAR}{{0,64}}$")
_WORD_HEAD = re.compile(rf"{_WORD_CHAR}{{0,64}}")


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) to the word it sits in (letters, digits, invisibles; 64 each side)."""
    before = _WORD_TAIL.search(text, max(0, start - 64), start)
    after = _WORD_HEAD.match(text, end)
    return (before.start() if before else start), (after.end() if after else end)
