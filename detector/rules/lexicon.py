"""Real coin names from the CoinGecko list, used with care: names that are ordinary words or
people ("April", "United", "Solana") never fire, famous coins named in passing score low, and a
name alone never flags a document (20k names collide with too much): it adds to other evidence.
A name followed by a coin's ticker in brackets (`BitKan (KAN)`) is a coin, named as promotions
name one: that can flag a story about something else."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from detector.document import Document
from detector.rules.base import Rule, in_context
from detector.textstats import COIN, DISTINCTIVE, ORDINARY, TICKER, NgramMatches


class CoinLexiconName(Rule):
    id = "coin-lexicon"
    weight = 0.2
    with_ticker = 0.5  # the name followed by a coin ticker in brackets
    reason = "name of a real coin from the CoinGecko list, and not an ordinary word"

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        tokens = doc.tokens
        positions, matches = doc.coin_matches
        if not len(positions):
            return
        words = [tokens.words[i] for i in positions]
        hits = np.flatnonzero(
            (matches.length > 0) & (matches.flags & COIN > 0) & (matches.flags & ORDINARY == 0)
        )
        for i in hits:
            first, last = int(positions[i]), int(positions[i + matches.length[i] - 1])
            if not words[i][:1].isupper():  # coins are proper nouns; "bitcoin" mid-sentence is talk
                continue
            name = doc.text[tokens.starts[first] : tokens.ends[last]]
            score = 0.3 if matches.flags[i] & DISTINCTIVE else self.weight
            if _ticker_after(doc, last, matches, i + int(matches.length[i])):
                # `Portal Network Token (POE)`: a coin named with a coin's ticker, no longer a
                # word that may be something else.
                last += 3
                score = self.with_ticker
            famous = 0 < matches.rank[i] <= 2  # top-50 coins are named in passing anywhere
            score = in_context(doc, name, score, famous=bool(famous), bonus=0.05)
            yield int(tokens.starts[first]), int(tokens.ends[last]), score


def _ticker_after(doc: Document, last: int, matches: NgramMatches, word: int) -> bool:
    """Whether the tokens after token `last` read ` (SYM)`, SYM an uppercase coin ticker; `word`
    is the word position after the name's last word (the ticker's, if it is one)."""
    words, tokens = doc.tokens.words, doc.tokens
    if last + 3 >= len(words) or words[last + 1] != "(" or words[last + 3] != ")":
        return False
    return (
        words[last + 2].isupper()
        and word < len(matches.length)
        and int(matches.length[word]) == 1
        and bool(matches.flags[word] & TICKER)
        and tokens.starts[last + 1] > tokens.ends[last]  # a space before the bracket
    )
