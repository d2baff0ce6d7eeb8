"""The model as a detector: rules run first (their hits are features), the classifier scores
every token, and runs of likely-inserted tokens become findings. Residue and obfuscation hits
pass through; injection rule hits are the model's evidence, not findings of their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from detector.detectors import RulesDetector
from detector.document import Document
from detector.findings import Finding
from detector.model.features import DocFeatures, doc_features

# Documents with more tokens to judge than this are predicted alone, under their time budget.
ALONE_OVER = 2000
_REACH = 3  # `ModelDetector.spans` joins tokens at most this far apart


class Prepared(NamedTuple):
    """A document with its rule hits and features, waiting for the batch's prediction (or
    already predicted: `probs`)."""

    doc: Document
    hits: list[Finding]
    features: DocFeatures
    probs: np.ndarray | None = None


class ModelDetector:
    """Parameters
    ----------
    classifier : TokenClassifier or TokenEnsemble
        A fitted classifier.
    token_floor : float
        Tokens at or above this probability form spans; a span's score is its best token's.
        Low enough that a multi-word name comes out whole, high enough that an ordinary
        neighbour (`BMW X5` before `$VC`) stays out of the span.
    corroboration : float
        How much likelier a token is inserted when another span of the same article is
        suspect: its odds are multiplied by this, but never beyond that other span's score (see
        `corroborate`). 1 turns it off.
    """

    id = "model"

    def __init__(
        self,
        classifier: object,
        token_floor: float = 0.35,
        rules: RulesDetector | None = None,
        corroboration: float = 10.0,
    ) -> None:
        self.classifier = classifier
        self.token_floor = token_floor
        self.rules = rules or RulesDetector()
        self.corroboration = corroboration

    def featurize(self, doc: Document) -> tuple[DocFeatures, list[Finding]]:
        """The token features of `doc` and the rule hits they were built from."""
        hits = self.rules.detect(doc)
        return doc_features(doc, hits), hits

    def token_probabilities(self, doc: Document) -> tuple[np.ndarray, list[Finding]]:
        prepared = self.prepare(doc)
        return self._probabilities([prepared])[0], prepared.hits

    def prepare(self, doc: Document) -> Prepared:
        """The per-document work (rules, features), kept for a batched prediction. A document
        with many tokens to judge is predicted here, alone, so its time counts against its own
        time budget (the overhead a batch saves is nothing beside its prediction)."""
        features, hits = self.featurize(doc)
        probs = None
        if int(features.candidate.sum()) > ALONE_OVER:
            (probs,) = self._predict([features])
        return Prepared(doc, hits, features, probs)

    def detect(self, doc: Document) -> list[Finding]:
        """The findings of one field, with its other field (if any) scored alongside, as a
        scan of the whole article does."""
        partner = getattr(doc, "partner", None)
        batch = [self.prepare(doc)] + ([self.prepare(partner)] if partner is not None else [])
        return self.detect_prepared(batch)[0]

    def detect_prepared(self, batch: Sequence[Prepared]) -> list[list[Finding]]:
        """The findings of prepared documents, scored by one classifier call for the batch. A
        field whose other field (title, text) is in the batch too is corroborated by it."""
        probs = self._probabilities(batch)
        spans = [self.spans(p.doc, pr) for p, pr in zip(batch, probs, strict=True)]
        best = {
            id(p.doc): max((float(pr[a : b + 1].max()) for a, b in found), default=0.0)
            for p, pr, found in zip(batch, probs, spans, strict=True)
        }
        return [
            self._findings(
                p.doc, pr, p.hits, found, best.get(id(getattr(p.doc, "partner", None)), 0.0)
            )
            for p, pr, found in zip(batch, probs, spans, strict=True)
        ]

    def _probabilities(self, batch: Sequence[Prepared]) -> list[np.ndarray]:
        waiting = [p.features for p in batch if p.probs is None]
        predicted = iter(self._predict(waiting) if waiting else [])
        return [next(predicted) if p.probs is None else p.probs for p in batch]

    def _predict(self, features: Sequence[DocFeatures]) -> list[np.ndarray]:
        # The classifier predicts on one OpenMP thread itself (`TokenClassifier._calibrated_proba`).
        return self.classifier.predict_docs(features)  # type: ignore[attr-defined]

    def _findings(
        self,
        doc: Document,
        probs: np.ndarray,
        hits: list[Finding],
        spans: list[tuple[int, int]],
        outside: float = 0.0,
    ) -> list[Finding]:
        found = [h for h in hits if h.kind != "injection"]
        evidence = [h for h in hits if h.kind == "injection"]
        for first, last, p in self.corroborate(doc, probs, spans, outside):
            start, end = doc.to_original(int(doc.tokens.starts[first]), int(doc.tokens.ends[last]))
            alone = float(probs[first : last + 1].max())
            fired = [h for h in evidence if h.start < end and start < h.end]
            start, end = _cover(doc.original, start, end, fired)
            rules = ("model", *dict.fromkeys(r for h in fired for r in h.rules))
            reason = f"model: out of context here (p={alone:.2f})"
            if p > alone:
                reason += f"; {p:.2f} beside another suspect span of this article"
            if fired:
                reason += "; " + "; ".join(dict.fromkeys(h.reason for h in fired))
            found.append(
                Finding(
                    kind="injection",
                    start=start,
                    end=end,
                    score=p,
                    rules=rules,
                    reason=reason,
                    text=doc.original[start:end],
                    field=doc.field,
                    extra={"model_probability": alone},
                )  # fmt: skip
            )
        return found

    def corroborate(
        self,
        doc: Document,
        probs: np.ndarray,
        spans: list[tuple[int, int]],
        outside: float = 0.0,
    ) -> list[tuple[int, int, float]]:
        """The spans of the text, `(first, last, score)`, given the other suspect spans of the
        article: in this text (`spans`, from `self.spans(doc, probs)`) and `outside` it (the
        best span score of the article's other field).

        The probabilities are calibrated for dumps where insertions are rare; an article that
        already holds a suspect span is not such an article (a spammer who gets in seldom leaves
        one word), so the odds of every token judged are multiplied by `corroboration`, capped
        at the best score of a span elsewhere in the article. A span keeps its shape and takes
        its best raised score; new spans form only from tokens out of reach of the others (more
        than three tokens away, the most `spans` bridges), so no span stretches over an
        ordinary word. The cap means no span scores above the best one elsewhere in the
        article, so the model flags no clean article it did not flag without this, at any
        threshold (unless a raised span merges with an obfuscation hit, whose scores combine);
        only more of a suspect article's insertions are found (and more of its ordinary words
        risked)."""
        scored = [(a, b, float(probs[a : b + 1].max())) for a, b in spans]
        if self.corroboration == 1 or not len(probs) or not (spans or outside):
            return scored
        n = len(probs)
        best = np.array([score for _, _, score in scored] + [outside])
        owner = np.full(n, -1)  # `outside`, the last score, owns no token
        reach = np.zeros(n, dtype=bool)
        for j, (a, b) in enumerate(spans):
            owner[a : b + 1] = j
            reach[max(a - _REACH, 0) : b + _REACH + 1] = True
        order = np.argsort(-best, kind="stable")
        top, second = order[0], (best[order[1]] if len(order) > 1 else 0.0)
        elsewhere = np.where(owner == top, second, best[top])
        odds = probs / np.maximum(1.0 - probs, 1e-12) * self.corroboration
        raised = np.maximum(probs, np.minimum(odds / (1.0 + odds), elsewhere))
        kept = [(a, b, float(raised[a : b + 1].max())) for a, b in spans]
        free = np.where(reach, 0.0, raised)
        new = [(a, b, float(free[a : b + 1].max())) for a, b in self.spans(doc, free)]
        return sorted(kept + new)

    def spans(self, doc: Document, probs: np.ndarray) -> list[tuple[int, int]]:
        """Runs of tokens at or above the floor. A run goes on across spaces (not newlines),
        across at most two punctuation tokens between likely tokens (`Telegram: @pump`), and
        across at most two lowercase words between tokens at even odds or more (`presale now at
        mooninu-presale.io`: one pitch, one finding). A name
        is taken whole or not at all: a token under even odds stays out when a word of its own
        capitalised run is under the floor (`X5` of `BMW X5` does not join `$VC` after it)."""
        tokens = doc.tokens
        kept = probs >= self.token_floor
        weak = kept & (probs < 0.5)
        if weak.any():
            run = _capitalised_runs(doc)
            ordinary = np.zeros(int(run.max()) + 1, dtype=bool)
            np.logical_or.at(ordinary, run, probs < self.token_floor)
            kept &= ~(weak & (run > 0) & ordinary[run])
        above = np.flatnonzero(kept)
        runs: list[tuple[int, int]] = []
        for i in above.tolist():
            if runs and i - runs[-1][1] <= _REACH:
                last = runs[-1][1]
                between = tokens.words[last + 1 : i]
                gap = doc.text[int(tokens.ends[last]) : int(tokens.starts[i])]
                bridged = all(not w[:1].isalnum() for w in between) or (
                    min(probs[last], probs[i]) >= 0.5
                    and all(w.isalpha() and w.islower() for w in between if w[:1].isalnum())
                )
                if bridged and "\n" not in gap:
                    runs[-1] = (runs[-1][0], i)
                    continue
            runs.append((i, i))
        return runs


_EDGE = " \t\r\n.,;:!?"  # never the first or last character of an insertion


def _cover(text: str, start: int, end: int, hits: Sequence[Finding]) -> tuple[int, int]:
    """The span grown to cover the rule hits it overlaps (`the moon` of a promo phrase the rule
    read whole), but not over their edge punctuation or spaces (a glued full stop)."""
    if not hits:
        return start, end
    grown_start, grown_end = min(start, *(h.start for h in hits)), max(end, *(h.end for h in hits))
    while grown_start < start and text[grown_start] in _EDGE:
        grown_start += 1
    while grown_end > end and text[grown_end - 1] in _EDGE:
        grown_end -= 1
    return grown_start, grown_end


def _capitalised_runs(doc: Document) -> np.ndarray:
    """Per token, the id (from 1) of the run of capitalised words it stands in, words one space
    or more apart on one line (`BMW X5`, `Lyra Labs`); 0 for every other token. Tokens cover
    every character but whitespace, so the gap between two tokens is spaces or line breaks."""
    words, tokens = doc.word_array, doc.tokens
    capital = np.strings.isalnum(doc.first_chars) & (words != np.strings.lower(words))
    codes = np.frombuffer(doc.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    breaks = np.flatnonzero(codes == ord("\n"))
    same_line = np.searchsorted(breaks, tokens.ends[:-1]) == np.searchsorted(
        breaks, tokens.starts[1:]
    )
    joined = (tokens.starts[1:] > tokens.ends[:-1]) & same_line
    first = capital & ~np.concatenate(([False], joined & capital[:-1]))
    return np.where(capital, np.cumsum(first), 0)
