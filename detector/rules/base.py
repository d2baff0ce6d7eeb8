"""What every rule is: a stable id, a kind, a weight and a one-line reason; `detect` yields
findings located in the original text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from detector.document import Document
from detector.findings import Finding, Kind


class Rule:
    """A small detector. Subclasses set the class attributes and implement `spans`, which yields
    `(start, end, score)` in normalised coordinates (original ones when `on_original`); `score`
    None means the rule's weight, and a score of 0 withdraws the hit (context cleared it).

    Rule ids are a data contract (reports, baselines, suppressions): never rename one.
    """

    id: ClassVar[str]
    kind: ClassVar[Kind] = "injection"
    weight: ClassVar[float]
    reason: ClassVar[str]
    on_original: ClassVar[bool] = False

    def spans(self, doc: Document) -> Iterable[tuple[int, int, float | None]]:
        raise NotImplementedError

    def detect(self, doc: Document) -> list[Finding]:
        """The rule's findings on `doc`, computed once per document (rules may reuse each
        other's results, as the teaser rule does the hard residue rules')."""
        memo = doc.memo.get(self.id)
        if memo is None:
            memo = doc.memo[self.id] = self._detect(doc)
        return list(memo)

    def _detect(self, doc: Document) -> list[Finding]:
        found = []
        for start, end, score in self.spans(doc):
            o_start, o_end = (start, end) if self.on_original else doc.to_original(start, end)
            if o_end <= o_start or score == 0:
                continue
            found.append(
                Finding(
                    kind=self.kind,
                    start=o_start,
                    end=o_end,
                    score=self.weight if score is None else max(0.0, min(1.0, score)),
                    rules=(self.id,),
                    reason=self.reason,
                    text=doc.original[o_start:o_end],
                    field=doc.field,
                )
            )
        return found


class PatternRule(Rule):
    """A rule that is a list of compiled patterns over the normalised text (group 1 if any)."""

    patterns: ClassVar[tuple[re.Pattern[str], ...]]
    # Per pattern, strings one of which every match contains (lowercase for case-insensitive
    # patterns): a text holding none of them is not searched. Empty: always search.
    needs: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        text = doc.original if self.on_original else doc.text
        for k, pattern in enumerate(self.patterns):
            if not self.may_match(doc, k, text):
                continue
            for match in pattern.finditer(text):
                group = 1 if pattern.groups else 0
                yield match.start(group), match.end(group), self.score(doc, match)

    def score(self, doc: Document, match: re.Match[str]) -> float | None:
        """Context-dependent score of one match; the weight by default."""
        return None

    def may_match(self, doc: Document, k: int, text: str) -> bool:
        """False when pattern `k` surely finds nothing in `text` (a cheap test before the
        search). Case-insensitive patterns are tested on the lowercased text when it is ASCII,
        where lowercasing agrees exactly with the pattern's case folding."""
        needs = self.needs[k] if self.needs else ()
        if not needs:
            return True
        if self.patterns[k].flags & re.IGNORECASE:
            if self.on_original or not text.isascii():
                return True
            text = doc.lower_text
        return any(n in text for n in needs)


def in_context(
    doc: Document,
    word: str,
    score: float,
    *,
    crypto_factor: float = 0.4,
    famous: bool = False,
    bonus: float = 0.15,
) -> float:
    """Scale a coin-like hit by its document: lower in a story about crypto, where such names
    belong, or when the name recurs (a subject, not a drive-by); higher (by `bonus`) when it
    stands alone. A `famous` name (Bitcoin) is named in passing anywhere: halved, never raised."""
    if doc.is_about_crypto(excluding=word):
        return score * crypto_factor
    if famous:
        return score * 0.5
    if doc.lower_counts.get(word.lower(), 0) > 1:
        return score * 0.7
    return min(1.0, score + bonus)
