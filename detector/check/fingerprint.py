"""Content-keyed identity of a finding: file, kind, the normalised span text and a few words
around it on its own line. Never line numbers, offsets or timestamps, so a finding keeps its
identity when the text around it moves."""

from __future__ import annotations

import hashlib
import re

from detector.normalize import normalize

CONTEXT_WORDS = 3
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def canonical(text: str) -> str:
    """The form spans are compared in: NFKC, invisible characters removed, lookalike letters
    folded, spaced-out letters joined (the analysis view), lowercased, whitespace collapsed."""
    return _SPACE.sub(" ", normalize(text).text.lower()).strip()


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> str:
    """Up to `words` canonical words before and after [start, end), on the span's own line:
    paragraphs added or removed elsewhere never change it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = _WORD.findall(canonical(text[line_start:start]))[-words:] if words else []
    after = _WORD.findall(canonical(text[end:line_end]))[:words]
    return " ".join([*before, "|", *after])


def fingerprint(path: str, kind: str, span: str, around: str) -> str:
    """A stable hex digest of the identity fields (`span` and `around` already canonical)."""
    key = "\0".join((path, kind, span, around))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
