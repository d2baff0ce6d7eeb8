"""From detector hits to a verdict: merge overlapping hits into findings, score them, and decide
whether the document is flagged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from detector.document import Document
from detector.findings import Finding

_JOINABLE_GAP = re.compile(r"[ \t\u00a0]*")


@dataclass(frozen=True, slots=True)
class FieldVerdict:
    findings: tuple[Finding, ...]
    score: float


def noisy_or(scores: Iterable[float]) -> float:
    """Independent pieces of evidence: 1 - prod(1 - s)."""
    remaining = 1.0
    for s in scores:
        remaining *= 1.0 - s
    return 1.0 - remaining


def merge(doc: Document, hits: Sequence[Finding], *, min_score: float = 0.0) -> FieldVerdict:
    """Merge the hits of one field. Injection and obfuscation hits that overlap, or touch across
    spaces, become one finding (injection if any injection hit is in it); residue merges only
    with residue. The finding's score is the noisy-OR of each rule's best score."""
    findings: list[Finding] = []
    residue = [h for h in hits if h.kind == "residue"]
    content = [h for h in hits if h.kind != "residue"]
    for group in (*_clusters(doc.original, content), *_clusters(doc.original, residue, gap=False)):
        finding = _combine(doc, group)
        if finding.score >= min_score or finding.kind != "injection":
            findings.append(finding)
    findings.sort(key=lambda f: (f.start, f.end))
    score = max((f.score for f in findings if f.kind == "injection"), default=0.0)
    return FieldVerdict(tuple(findings), score)


def _clusters(text: str, hits: Sequence[Finding], gap: bool = True) -> list[list[Finding]]:
    groups: list[list[Finding]] = []
    end = -1
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        touches = hit.start < end or (
            gap and hit.start >= end >= 0 and _JOINABLE_GAP.fullmatch(text, end, hit.start)
        )
        if groups and touches:
            groups[-1].append(hit)
            end = max(end, hit.end)
        else:
            groups.append([hit])
            end = hit.end
    return groups


def _combine(doc: Document, group: list[Finding]) -> Finding:
    best: dict[str, Finding] = {}
    for hit in group:
        for rule in hit.rules:
            if rule not in best or hit.score > best[rule].score:
                best[rule] = hit
    ranked = sorted(best.items(), key=lambda item: -item[1].score)
    # A hit naming several rules (the model's) is one piece of evidence, counted once.
    evidence = {id(hit): hit.score for _, hit in ranked}
    kinds = {h.kind for h in group}
    kind = (
        "injection"
        if "injection" in kinds
        else ("obfuscation" if "obfuscation" in kinds else "residue")
    )
    start = min(h.start for h in group)
    end = max(h.end for h in group)
    line, column = doc.line_column(start)
    return Finding(
        kind=kind,
        start=start,
        end=end,
        score=noisy_or(evidence.values()),
        rules=tuple(rule for rule, _ in ranked),
        reason="; ".join(dict.fromkeys(h.reason for _, h in ranked)),
        text=doc.original[start:end],
        field=doc.field,
        line=line,
        column=column,
        extra=_extra(group),
    )


def _extra(group: list[Finding]) -> dict[str, float]:
    """Each detail of the hits (e.g. `model_probability`) at its highest over the group."""
    out: dict[str, float] = {}
    for hit in group:
        for key, value in hit.extra.items():
            out[key] = max(out.get(key, value), value)
    return out
