"""Why a document scored what it did: each token's model probability, the features that moved
it most, the rules that fired on it, and for each finding the document's score with that span
removed (the counterfactual). `METHOD` says how the strongest features are measured."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from detector.clean import without
from detector.document import Document, article_documents, article_fields
from detector.findings import Finding

if TYPE_CHECKING:
    from detector.markup import HiddenRun
    from detector.model.features import DocFeatures
    from detector.model.runtime import ModelDetector
    from detector.scanner import Scanner

EXPLAINED_FLOOR = 0.05  # tokens at or above this probability get feature effects
MAX_EXPLAINED = 20  # at most this many tokens per field, the likeliest first
TOP_FEATURES = 5
METHOD = (
    "The trees are not additive, so each feature of an explained token is replaced, one at a "
    "time, by its median over this document's ordinary tokens (those the model does not judge) "
    "and the probability is predicted again: a feature's effect is the probability it costs to "
    "take it away. The token's characters count as one more feature, `string`, replaced by the "
    "document's most common ordinary word. Which tokens the model judges is held fixed. "
    "Features that back each other up each show a small effect alone, so the features are also "
    "taken away a group at a time (rules, coin lexicon, fit to neighbours, neighbours, place, "
    "document, word)."
)


@dataclass(frozen=True, slots=True)
class FeatureEffect:
    name: str
    value: float
    reference: float
    probability_without: float

    def to_dict(self, probability: float) -> dict[str, object]:
        return {
            "name": self.name,
            "value": _round(self.value),
            "reference": _round(self.reference),
            "probability_without": round(self.probability_without, 4),
            "effect": round(probability - self.probability_without, 4),
        }


@dataclass(frozen=True, slots=True)
class TokenExplanation:
    field: str
    index: int
    text: str
    start: int  # offsets into the field as read
    end: int
    judged: bool  # whether the model looks at this token at all
    probability: float | None  # None without a model
    rules: dict[str, float]
    features: tuple[FeatureEffect, ...] = ()
    groups: tuple[FeatureEffect, ...] = ()
    line: int = 0  # 1-based, where `start` is, as `scan` reports findings
    column: int = 0

    def to_dict(self) -> dict[str, object]:
        p = self.probability
        return {
            "field": self.field,
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "judged": self.judged,
            "probability": None if p is None else round(p, 4),
            "rules": {r: round(s, 4) for r, s in self.rules.items()},
            "features": [f.to_dict(p or 0.0) for f in self.features],
            "feature_groups": [g.to_dict(p or 0.0) for g in self.groups],
        }


@dataclass(frozen=True, slots=True)
class Counterfactual:
    finding: Finding
    score_without: float

    def to_dict(self, score: float) -> dict[str, object]:
        return {
            **self.finding.to_dict(),
            "model_probability": self.finding.extra.get("model_probability"),
            "document_score": round(score, 4),
            "document_score_without": round(self.score_without, 4),
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    id: str | None
    source: str
    detector: str
    threshold: float
    score: float
    flagged: bool
    texts: dict[str, str]
    tokens: tuple[TokenExplanation, ...]
    findings: tuple[Counterfactual, ...]
    method: str = field(default=METHOD)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "detector": self.detector,
            "threshold": self.threshold,
            "score": round(self.score, 4),
            "flagged": self.flagged,
            "findings": [c.to_dict(self.score) for c in self.findings],
            "tokens": [t.to_dict() for t in self.tokens],
            "method": self.method,
        }


def explain(
    scanner: Scanner,
    text: str,
    title: str | None = None,
    *,
    id: str | None = None,
    source: str = "",
    hidden: Sequence[HiddenRun] = (),
) -> Explanation:
    """Explain the scanner's verdict on one article (with the hidden runs of its page, which
    the scan may add to its text: see `Scanner.scan_text`)."""
    report = scanner.scan_text(text, title, id=id, source=source, hidden=hidden)
    fields = dict(report.texts) or article_fields(text, title)
    model = _model_of(scanner)
    tokens: list[TokenExplanation] = []
    for doc in article_documents(fields):
        tokens += _tokens(doc, model)
    counterfactuals = []
    for finding in report.findings:
        changed = {**fields, finding.field: without(fields[finding.field], [finding])}
        again = scanner.scan_text(changed["text"], changed.get("title"))
        counterfactuals.append(Counterfactual(finding, again.score))
    return Explanation(
        id, source, scanner.model_status, scanner.threshold, report.score, report.flagged,
        fields, tuple(tokens), tuple(counterfactuals),
    )  # fmt: skip


def _model_of(scanner: Scanner) -> ModelDetector | None:
    return next((d for d in scanner.detectors if hasattr(d, "featurize")), None)  # type: ignore[return-value]


def _tokens(doc: Document, model: ModelDetector | None) -> list[TokenExplanation]:
    from detector.detectors import RulesDetector
    from detector.model.features import EVIDENCE_RULES, token_rule_scores

    n = len(doc.tokens)
    if model is not None:
        features, hits = model.featurize(doc)
        probs = model.classifier.predict_doc(features)  # type: ignore[attr-defined]
        judged = features.candidate
    else:
        features, hits = None, RulesDetector().detect(doc)
        probs, judged = None, np.zeros(n, dtype=bool)
    rule_scores = token_rule_scores(doc, hits)
    effects = _feature_effects(model, features, probs) if features is not None else {}
    starts, ends = doc.norm.spans_to_original(doc.tokens.starts, doc.tokens.ends)
    out = []
    for i in range(n):
        start, end = int(starts[i]), int(ends[i])
        rules = {r: float(s) for r, s in zip(EVIDENCE_RULES, rule_scores[i], strict=True) if s > 0}
        out.append(
            TokenExplanation(
                doc.field,
                i,
                doc.original[start:end],
                start,
                end,
                bool(judged[i]),
                None if probs is None else float(probs[i]),
                rules,
                *effects.get(i, ((), ())),
                *doc.line_column(start),
            )  # fmt: skip
        )
    return out


# Groups of features for the group effects, by name prefix; the rest is "word".
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rules", ("rule_", "rules_")),
    ("coin lexicon", ("coin_",)),
    ("fit to neighbours", ("fit_",)),
    ("neighbours", ("prev_", "next_")),
    ("place", ("field_", "in_", "dateline_", "has_dateline", "rel_position", "from_paragraph",
               "to_paragraph", "glued_", "after_", "sentence_initial", "social_link_ahead")),
    ("document", ("log_count_in_doc", "log_core_count", "log_crypto", "log_doc_tokens")),
)  # fmt: skip


def group_of(name: str) -> str:
    return next((g for g, prefixes in GROUPS if name.startswith(prefixes)), "word")


Effects = tuple[tuple[FeatureEffect, ...], tuple[FeatureEffect, ...]]


def _feature_effects(
    model: ModelDetector | None, features: DocFeatures, probs: np.ndarray | None
) -> dict[int, Effects]:
    """For each explained token, its TOP_FEATURES strongest features and the effect of each
    feature group (see METHOD): a group shows what redundant features do together."""
    from detector.model.features import DENSE_NAMES

    if model is None or probs is None:
        return {}
    predict = model.classifier.predict_doc  # type: ignore[attr-defined]
    explained = [i for i in np.argsort(-probs) if probs[i] >= EXPLAINED_FLOOR][:MAX_EXPLAINED]
    if not explained:
        return {}
    ordinary = ~features.candidate
    rows = features.dense[ordinary] if ordinary.any() else np.zeros_like(features.dense[:1])
    reference = np.median(rows, axis=0)

    def without(columns: list[int]) -> np.ndarray:
        dense = features.dense.copy()
        for j in columns:  # rows are predicted independently of each other
            dense[explained, j] = reference[j]
        return predict(replace(features, dense=dense))

    singles: dict[int, list[FeatureEffect]] = {i: [] for i in explained}
    for j, name in enumerate(DENSE_NAMES):
        p = without([j])
        for i in explained:
            singles[i].append(FeatureEffect(name, float(features.dense[i, j]), float(reference[j]),
                                            float(p[i])))  # fmt: skip
    word = _ordinary_word(features)
    for i in explained:  # one at a time: a token's string also feeds its neighbours' windows
        strings = list(features.strings)
        strings[i] = word
        p = predict(replace(features, strings=strings))
        singles[i].append(FeatureEffect("string", float("nan"), float("nan"), float(p[i])))
    groups: dict[int, list[FeatureEffect]] = {i: [] for i in explained}
    for group in dict.fromkeys(group_of(name) for name in DENSE_NAMES):
        p = without([j for j, name in enumerate(DENSE_NAMES) if group_of(name) == group])
        for i in explained:
            groups[i].append(FeatureEffect(group, float("nan"), float("nan"), float(p[i])))
    return {
        i: (_strongest(singles[i], float(probs[i])), _strongest(groups[i], float(probs[i]), 99))
        for i in explained
    }


def _strongest(
    effects: list[FeatureEffect], p: float, top: int = TOP_FEATURES
) -> tuple[FeatureEffect, ...]:
    moved = [e for e in effects if abs(p - e.probability_without) >= 0.001]
    return tuple(sorted(moved, key=lambda e: -abs(p - e.probability_without))[:top])


def _ordinary_word(features: DocFeatures) -> str:
    counts = Counter(
        s
        for s, c in zip(features.strings, features.candidate, strict=True)
        if not c and s.isalpha()
    )
    return counts.most_common(1)[0][0] if counts else "the"


def _round(value: float) -> float | None:
    return None if value != value else round(value, 4)  # NaN (the string) has no value
