"""The normalised view of a text for analysis, with a map from every normalised character back to
the original: NFKC (styled and fullwidth letters), invisible characters removed, confusable
Cyrillic/Greek letters inside Latin words folded, and spaced-out letters joined."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np

# Zero-width, joiners, soft hyphen, bidi controls, variation selectors, fillers and tags:
# characters that render as nothing and are used to split a word past a filter.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
SPACED_LETTERS = re.compile(r"(?<![^\W_])(?:[^\W\d_] ){3,}[^\W\d_](?![^\W_])")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")


@cache
def confusable_skeleton() -> dict[str, str]:
    """Cyrillic and Greek letters that look like a Latin letter, from Unicode's confusables data
    (as bundled by `confusable_homoglyphs`)."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    table: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or not unicodedata.name(char, "").startswith(("CYRILLIC", "GREEK")):
            continue
        for glyph in glyphs:
            latin = glyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                table[char] = latin
                break
    return table


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """`text` is the normalised string; `index[i]` is the original offset of `text[i]`.

    `index` has one extra entry, `len(original)`, so half-open spans map with no special case.
    `changed` is False when the view is the original itself (the common, pure-ASCII case).
    """

    original: str
    text: str
    index: np.ndarray
    changed: bool

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the original characters it came from."""
        if not self.changed:
            return start, end
        if end <= start:
            at = int(self.index[start])
            return at, at
        return int(self.index[start]), int(self.index[end - 1]) + 1

    def spans_to_original(
        self, starts: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised `span_to_original` for non-empty spans."""
        if not self.changed:
            return starts, ends
        return self.index[starts], self.index[ends - 1] + 1


def normalize(original: str) -> NormalizedText:
    """Build the analysis view of `original`; pure ASCII with no spaced-out letters costs nothing."""
    if original.isascii() and not SPACED_LETTERS.search(original):
        index = np.arange(len(original) + 1, dtype=np.int64)
        return NormalizedText(original, original, index, changed=False)
    chars, index = _fold_characters(original)
    text = "".join(chars)
    text = _fold_confusables(text)
    text, index = _join_spaced_letters(text, index)
    index = np.append(index, len(original))
    return NormalizedText(original, text, index, changed=text != original)


def _fold_characters(original: str) -> tuple[list[str], np.ndarray]:
    """NFKC each non-ASCII character and drop invisible ones; ASCII runs are copied whole."""
    pieces: list[str] = []
    positions: list[int] = []
    widths: list[int] = []
    pos = 0
    for match in _NON_ASCII.finditer(original):
        at = match.start()
        if at > pos:
            pieces.append(original[pos:at])
        folded = _fold_char(original[at])
        pieces.append(folded)
        positions.append(at)
        widths.append(len(folded))
        pos = at + 1
    if pos < len(original):
        pieces.append(original[pos:])
    # Each original character stands for as many normalised ones as it folds to (ASCII: one).
    lengths = np.ones(len(original), dtype=np.int64)
    lengths[positions] = widths
    return pieces, np.repeat(np.arange(len(original), dtype=np.int64), lengths)


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    """What one non-ASCII character becomes: nothing if it is invisible, else its NFKC form."""
    if INVISIBLE.match(char):
        return ""
    folded = unicodedata.normalize("NFKC", char)
    return "" if folded.strip() == "" and not char.isspace() else folded


def _fold_confusables(text: str) -> str:
    """Fold Cyrillic/Greek lookalikes inside words that also hold Latin letters.

    A word written wholly in lookalikes (`Віtсоіn` with every letter Cyrillic) is folded too when
    the text around it is mostly Latin; genuine Russian or Greek prose is left alone.
    """
    if text.isascii():
        return text
    table = confusable_skeleton()
    letters = _WORD.findall(text)
    latin_words = sum(1 for w in letters if w.isascii())
    mostly_latin = latin_words >= 0.8 * max(len(letters), 1)
    out = list(text)
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        mixed = _LATIN.search(word) is not None
        if not (mixed or mostly_latin):
            continue
        if not mixed and not all(c in table for c in word):
            continue
        for i, char in enumerate(word, start=match.start()):
            out[i] = table.get(char, char)
    return "".join(out)


def _join_spaced_letters(text: str, index: np.ndarray) -> tuple[str, np.ndarray]:
    """`L i b e r t y` becomes `Liberty`, so one spaced-out word is one token."""
    drop: list[int] = []
    for match in SPACED_LETTERS.finditer(text):
        drop.extend(range(match.start() + 1, match.end(), 2))
    if not drop:
        return text, index
    keep = np.ones(len(text), dtype=bool)
    keep[drop] = False
    kept = np.flatnonzero(keep)
    return "".join(text[i] for i in kept), index[kept]
