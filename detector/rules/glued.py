"""Tokens stitched onto their neighbours: `,LibertyCoin` after punctuation, `steadyVexaSwap`
after a lowercase word. Edited-in text often loses its space."""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.document import CRYPTO_CONTEXT, Document
from detector.rules.base import PatternRule
from detector.textstats import LONGEST_WORD, WordStats


class GluedToPunctuation(PatternRule):
    id = "glued-punctuation"
    weight = 0.4
    reason = "capitalised word glued to a comma or semicolon with no space"
    # A letter, then , or ; then a capitalised word: `HAGUE,LibertyCoin` (not `1,000`, not `U.S.`).
    patterns = (re.compile(r"(?<=[^\W\d_][,;])([A-Z][^\W_]{1,40})"),)


class GluedToWord(PatternRule):
    id = "glued-word"
    weight = 0.45
    reason = "capitalised name glued to a lowercase word"
    # `steadyVexaSwap`: a lowercase word of 3+ letters runs straight into a capitalised name.
    patterns = (
        re.compile(r"(?<![\w#@/.])[a-z]{3,30}([A-Z][a-z]{2,30}(?:[A-Z][a-z0-9]{1,20}){0,3})\b"),
    )

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        yield from super().spans(doc)
        yield from _name_then_word(doc)


# `ChainSwapout`, `Vertexcoinnewspaper`: a name with a lowercase word glued after it.
_GLUED_TAIL = re.compile(r"(?<![\w#@/.])[A-Z][A-Za-z]{4,40}[a-z]{3,}\b")
_COIN_END = re.compile(r"(?:coin|token|swap|chain|inu|verse|fi|dex)$", re.IGNORECASE)
_SURNAME = re.compile(r"Ma?c[A-Z]")
_COMMON_TAIL = 200  # the glued word must be an everyday word of clean news


def _name_then_word(doc: Document) -> Iterator[tuple[int, int, float | None]]:
    """Split a word clean news never had into a name and an everyday lowercase word. The name
    is new too, and either has a capitalised part of 2+ letters that does not run on into the
    tail as one known word (`ChainSwap|out`, not `NikkoCiti|group`), or ends like a coin
    (`Vertexcoin|newspaper`, not `Bitcoin|talk`)."""
    candidates = [m for m in _GLUED_TAIL.finditer(doc.text) if not _SURNAME.match(m.group())]
    if not candidates:
        return
    stats = WordStats.load()
    whole = stats.unigram_counts([m.group().lower() for m in candidates])
    for match, seen in zip(candidates, whole.tolist(), strict=True):
        word = match.group()
        if seen:
            continue
        # The longest everyday word first; none is longer than the statistics' longest.
        splits = range(max(6, len(word) - LONGEST_WORD), len(word) - 2)
        tails = [word[k:].lower() for k in splits]
        for k, count in zip(splits, stats.unigram_counts(tails).tolist(), strict=True):
            if count < _COMMON_TAIL or not word[k].islower():
                continue
            head, tail = word[:k], word[k:]
            last = re.search(r"[A-Z][a-z0-9]+$", head)
            run_on = (last.group() + tail).lower() if last else ""
            camel = last is not None and last.start() > 0 and not stats.unigram_counts([run_on])[0]
            coin = _COIN_END.search(head) is not None and head.lower() not in CRYPTO_CONTEXT
            if (camel or coin) and not stats.unigram_counts([head.lower()])[0]:
                yield match.start(), match.start() + k, None
            break
