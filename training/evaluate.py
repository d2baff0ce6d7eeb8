"""The scoring report: span precision/recall/F1 and boundary overlap on injected samples,
document false-alarm rates on clean news and clean crypto news, recall per payload, position and
evasion, per-rule hit rates (SpamAssassin masscheck style) and a threshold sweep."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from detector.findings import Finding
from detector.scanner import DocumentReport, Scanner

SWEEP = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass(frozen=True, slots=True)
class Gold:
    """An inserted span we know about, with how it was made."""

    field: str
    start: int
    end: int
    payload_type: str = ""
    position: str = ""
    evasion: str = "none"


@dataclass
class Scored:
    """One evaluated document: its gold spans, every injection finding, and which rules fired."""

    group: str  # "injected", "clean:<corpus>"
    gold: tuple[Gold, ...]
    findings: tuple[Finding, ...]


@dataclass
class Evaluation:
    docs: list[Scored] = field(default_factory=list)

    def add(self, group: str, gold: Sequence[Gold], report: DocumentReport) -> None:
        self.docs.append(Scored(group, tuple(gold), report.findings))

    # -- span metrics -------------------------------------------------------------------------
    def spans(self, threshold: float) -> dict[str, float]:
        """Overlap-matched span precision, recall, F1, and mean character IoU of matched pairs."""
        n_pred = n_pred_hit = n_gold = n_gold_hit = 0
        ious: list[float] = []
        for doc in self.docs:
            if doc.group != "injected":
                continue
            preds = _predicted(doc, threshold)
            n_gold += len(doc.gold)
            n_pred += len(preds)
            n_pred_hit += sum(any(_overlap(p, g) for g in doc.gold) for p in preds)
            for g in doc.gold:
                matched = [p for p in preds if _overlap(p, g)]
                if matched:
                    n_gold_hit += 1
                    ious.append(max(_iou(p, g) for p in matched))
        precision = n_pred_hit / n_pred if n_pred else 1.0
        recall = n_gold_hit / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "boundary_iou": sum(ious) / len(ious) if ious else 0.0,
            "exact_boundaries": sum(i == 1.0 for i in ious) / len(ious) if ious else 0.0,
            "gold_spans": n_gold,
            "predicted_spans": n_pred,
        }

    def false_alarms(self, threshold: float) -> dict[str, dict[str, float]]:
        """Share of clean documents with an injection finding at or above `threshold`, by group."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for doc in self.docs:
            if doc.group == "injected":
                continue
            counts[doc.group][0] += 1
            counts[doc.group][1] += bool(_predicted(doc, threshold))
        return {
            g: {"documents": n, "flagged": f, "rate": f / n if n else 0.0}
            for g, (n, f) in counts.items()
        }

    def recall_by(self, attribute: str, threshold: float) -> dict[str, dict[str, float]]:
        """Recall of gold spans grouped by `payload_type`, `position` or `evasion`."""
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for doc in self.docs:
            preds = _predicted(doc, threshold)
            for g in doc.gold:
                key = getattr(g, attribute)
                tally[key][0] += 1
                tally[key][1] += any(_overlap(p, g) for p in preds)
        return {k: {"spans": n, "recall": hit / n} for k, (n, hit) in sorted(tally.items())}

    def rule_hit_rates(self) -> dict[str, dict[str, float]]:
        """masscheck: for each rule, the share of injected and of clean documents it fires on,
        and S/O, the share of its firings that were on injected documents."""
        fired: dict[str, Counter[str]] = defaultdict(Counter)
        totals: Counter[str] = Counter()
        for doc in self.docs:
            kind = "injected" if doc.group == "injected" else "clean"
            totals[kind] += 1
            for rule in {r for f in doc.findings for r in f.rules}:
                fired[rule][kind] += 1
        out = {}
        for rule, c in sorted(fired.items()):
            spam = c["injected"] / totals["injected"] if totals["injected"] else 0.0
            ham = c["clean"] / totals["clean"] if totals["clean"] else 0.0
            out[rule] = {
                "injected": spam,
                "clean": ham,
                "s_o": spam / (spam + ham) if spam + ham else 0.0,
            }
        return out

    def sweep(self, thresholds: Iterable[float] = SWEEP) -> list[dict[str, object]]:
        rows = []
        for t in thresholds:
            spans = self.spans(t)
            alarms = self.false_alarms(t)
            rows.append(
                {
                    "threshold": t,
                    "precision": spans["precision"],
                    "recall": spans["recall"],
                    "f1": spans["f1"],
                    "false_alarms": {g: a["rate"] for g, a in alarms.items()},
                }
            )
        return rows

    def report(self, threshold: float, model: str) -> dict[str, object]:
        return {
            "model": model,
            "threshold": threshold,
            "documents": Counter(d.group for d in self.docs),
            "spans": self.spans(threshold),
            "false_alarms": self.false_alarms(threshold),
            "recall_by_payload": self.recall_by("payload_type", threshold),
            "recall_by_position": self.recall_by("position", threshold),
            "recall_by_evasion": self.recall_by("evasion", threshold),
            "rule_hit_rates": self.rule_hit_rates(),
            "sweep": self.sweep(),
        }


def evaluate_scanner(
    scanner: Scanner,
    injected: Iterable[tuple[str, str | None, Sequence[Gold]]],
    clean: Iterable[tuple[str, str, str | None]],
) -> Evaluation:
    """Scan injected `(text, title, gold)` samples and clean `(group, text, title)` documents.
    The scanner's own threshold is irrelevant here: every finding is kept and thresholds are
    applied afterwards, so one pass gives the whole sweep."""
    evaluation = Evaluation()
    for text, title, gold in injected:
        evaluation.add("injected", gold, scanner.scan_text(text, title))
    for group, text, title in clean:
        evaluation.add(f"clean:{group}", (), scanner.scan_text(text, title))
    return evaluation


def _predicted(doc: Scored, threshold: float) -> list[Finding]:
    return [f for f in doc.findings if f.kind == "injection" and f.score >= threshold]


def _overlap(p: Finding, g: Gold) -> bool:
    return p.field == g.field and p.start < g.end and g.start < p.end


def _iou(p: Finding, g: Gold) -> float:
    inter = min(p.end, g.end) - max(p.start, g.start)
    union = max(p.end, g.end) - min(p.start, g.start)
    return inter / union if union else 0.0


def gold_of(sample: object) -> tuple[Gold, ...]:
    """Gold spans of a generated sample."""
    return tuple(
        Gold(i.field, i.start, i.end, i.payload_type, i.position, i.evasion)
        for i in sample.insertions  # type: ignore[attr-defined]
    )


def development_set(
    data_dir: object = None,
    corpora: Sequence[str] = ("bbc", "crypto"),
    seed: int = 101,
    limit: int | None = None,
    config: object = None,
) -> tuple[list[tuple[str, str | None, tuple[Gold, ...]]], list[tuple[str, str, str | None]]]:
    """The development evaluation: every clean article of `corpora` as it is (false alarms), plus
    the same articles with generated insertions (and generated clean ones with synthetic
    datelines and furniture, which must not be flagged either). Never used for training."""
    from training.generate import GeneratorConfig, generate, load_articles

    injected: list[tuple[str, str | None, tuple[Gold, ...]]] = []
    clean: list[tuple[str, str, str | None]] = []
    for corpus in corpora:
        articles = list(load_articles(corpus, data_dir))  # type: ignore[arg-type]
        if limit:
            articles = articles[:limit]
        clean += [(corpus, a["text"], a.get("title")) for a in articles]
        cfg = config or GeneratorConfig(seed=seed)
        for sample in generate(articles, cfg):  # type: ignore[arg-type]
            gold = gold_of(sample)
            if gold:
                injected.append((sample.text, sample.title, gold))
            else:
                clean.append((f"{corpus}-generated", sample.text, sample.title))
    return injected, clean
