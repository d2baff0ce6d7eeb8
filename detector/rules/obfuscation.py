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
    # A 0/1/3/4/5/7 between letters, one side lowercase: `L1bertyC0in`, not `G7`, `H5N1`, `mp3`.
    patterns = (
        re.compile(
            r"(?<![\w/.#@=?&%-])((?=[A-Za-z0-9]{0,38}(?:[A-Za-z][013457][a-z]|[a-z][013457][A-Za-z]))"
            r"(?=(?:[0-9]{0,40}[A-Za-z]){4})[A-Za-z0-9]{5,40})\b"
        ),
    )
    _core = re.compile(r"[A-Za-z][013457][a-z]|[a-z][013457][A-Za-z]")  # in every match

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
