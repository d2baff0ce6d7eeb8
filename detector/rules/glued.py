"""Tokens stitched onto their neighbours: `,LibertyCoin` after punctuation, `steadyVexaSwap`
after a lowercase word. Edited-in text often loses its space."""

from __future__ import annotations

import re

from detector.rules.base import PatternRule


class GluedToPunctuation(PatternRule):
    id = "glued-punctuation"
    weight = 0.4
    reason = "capitalised word glued to a comma or semicolon with no space"
    # A letter, then , or ; then a capitalised word: `HAGUE,LibertyCoin` (not `1,000`, not `U.S.`).
    patterns = (re.compile(r"(?<=[^\W\d_][,;])([A-Z][^\W_]{1,40})"),)


class GluedToWord(PatternRule):
    id = "glued-word"
    weight = 0.45
    reason = "capitalised name glued to the end of a lowercase word"
    # `steadyVexaSwap`: a lowercase word of 3+ letters runs straight into a capitalised name.
    patterns = (
        re.compile(r"(?<![\w#@/.])[a-z]{3,30}([A-Z][a-z]{2,30}(?:[A-Z][a-z0-9]{1,20}){0,3})\b"),
    )
