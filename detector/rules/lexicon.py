"""Real coin names from the CoinGecko list, used with care: names that are ordinary words or
people ("April", "United", "Solana") never fire, famous coins named in passing score low, and a
name alone never flags a document (20k names collide with too much): it adds to other evidence."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from detector.document import Document
from detector.rules.base import Rule, in_context
from detector.textstats import COIN, DISTINCTIVE, ORDINARY


class CoinLexiconName(Rule):
    id = "coin-lexicon"
    weight = 0.2
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
            famous = 0 < matches.rank[i] <= 2  # top-50 coins are named in passing anywhere
            score = in_context(doc, name, score, famous=bool(famous), bonus=0.05)
            yield int(tokens.starts[first]), int(tokens.ends[last]), score
