"""The public entry point: a `Scanner`, configured once, turns texts and record streams into
document reports. The CLI is a thin layer over it."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from detector.budget import BudgetExceeded, time_limit
from detector.detectors import Detector, RulesDetector, finish, prepare
from detector.document import Document, article_documents, article_fields
from detector.errors import ModelError, UsageError
from detector.findings import Finding
from detector.markup import HiddenRun, hidden_text_finding, weigh_hidden
from detector.readers import Record, RecordError
from detector.scoring import merge

# Hidden runs of one page read by `scan` (a page with thousands of hidden menus is no article).
MAX_HIDDEN_RUNS = 200
DEFAULT_TIME_BUDGET = 5.0  # seconds per document, and per BUDGET_CHARS of longer ones
MAX_TIME_BUDGET = 1e6  # seconds: beyond it the timers overflow
BUDGET_CHARS = 250_000  # about 50 times what a scan of this many characters usually takes


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """The verdict on one document, or the error that stopped it being read (`error` set)."""

    id: str | None
    source: str
    flagged: bool = False
    score: float = 0.0
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    # The scanned fields as read, for writers that show findings in context; never serialised.
    texts: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    url: str | None = None  # the page's address (crawl formats); reported when known
    # Time spent on this document (its own work and its share of its batch's model call);
    # for benchmarks, never serialised.
    seconds: float = field(default=0.0, repr=False, compare=False)

    def to_dict(self) -> dict[str, object]:
        if self.error is not None:
            return {"id": self.id, "source": self.source, "error": self.error}
        out: dict[str, object] = {"id": self.id, "source": self.source}
        if self.url is not None:
            out["url"] = self.url
        out |= {
            "flagged": self.flagged,
            "score": round(self.score, 4),
            "findings": [f.to_dict() for f in self.findings],
        }
        return out


class Scanner:
    """Scans documents with a fixed set of detectors.

    Parameters
    ----------
    threshold : float
        A document is flagged when an injection finding scores at least this.
    model : {"auto", "rules", "require"} or path
        "auto" uses the shipped model when it loads and verifies, and falls back to the rules
        otherwise; "rules" uses the rules alone; "require" (or a path to a model folder) raises
        ModelError when the model cannot be used.
    detectors : sequence of Detector, optional
        Overrides `model` with an explicit set of detectors.
    min_score : float
        Injection findings scoring below this are left out of reports (they stay weak evidence
        only); residue and obfuscation findings are always reported.
    time_budget : float or None
        Seconds one document may take (normalising, rules, features), per BUDGET_CHARS
        characters for longer ones; a document over it is reported as an error and the scan goes on.
        None: no limit. See `detector.budget`.
    batch_size : int
        Documents scored together by `scan_records` (the model predicts once per batch).
    """

    def __init__(
        self,
        threshold: float = 0.5,
        model: str | Path = "auto",
        detectors: Sequence[Detector] | None = None,
        min_score: float = 0.25,
        time_budget: float | None = DEFAULT_TIME_BUDGET,
        batch_size: int = 64,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise UsageError(f"threshold must be within [0, 1], got {threshold}")
        self.threshold = threshold
        if time_budget is not None and not 0 <= time_budget <= MAX_TIME_BUDGET:
            raise ValueError(f"time_budget must be within [0, {MAX_TIME_BUDGET:g}] s or None")
        self.time_budget = time_budget
        self.batch_size = max(1, batch_size)
        # A finding at or above the threshold is always reported, however low the threshold.
        self.min_score = min(min_score, threshold)
        if detectors is not None:
            self.detectors: tuple[Detector, ...] = tuple(detectors)
            self.model_status = "+".join(d.id for d in self.detectors)
        else:
            self.detectors, self.model_status = _choose_detectors(model)
        # How to build the same scanner in a worker process: the model as chosen here (a
        # fallback to the rules stays a fallback), so every worker scans alike.
        self._config: dict[str, object] | None = None
        if detectors is None:
            chosen: str | Path = "require" if model in ("auto", "require") else Path(model)
            if not self.model_status.startswith("model"):
                chosen = "rules"
            self._config = {
                "threshold": threshold, "model": chosen, "min_score": min_score,
                "time_budget": time_budget, "batch_size": self.batch_size,
            }  # fmt: skip

    @property
    def corroboration(self) -> float | None:
        """The factor by which a suspect span raises the others of its article (see
        `ModelDetector.corroborate`); None without a model."""
        return next(
            (d.corroboration for d in self.detectors if hasattr(d, "corroboration")),  # type: ignore[attr-defined]
            None,
        )

    def without_corroboration(self) -> Scanner:
        """This scanner with no suspect span raising the others of its article (see
        `ModelDetector.corroborate`): for `detector check`, where a span the user allowed or
        silenced must not count against the words around it."""
        plain = copy.copy(self)
        plain.detectors = tuple(_uncorroborated(d) for d in self.detectors)
        return plain

    @property
    def config(self) -> dict[str, object]:
        """Keyword arguments that build an identical Scanner elsewhere (a worker process)."""
        if self._config is None:
            raise UsageError("a Scanner built from explicit detectors cannot be rebuilt in workers")
        return dict(self._config)

    def scan_text(
        self,
        text: str,
        title: str | None = None,
        *,
        id: str | None = None,
        source: str = "",
        hidden: Sequence[HiddenRun] = (),
    ) -> DocumentReport:
        """Scan one article: its body `text` and, when given, its `title`; `hidden` are runs of
        its page hidden from readers, each with whether its words are also visible on the page
        (`Record.hidden`), scanned and reported as hidden text when a rule finds them suspect."""
        return self._finish([self._prepare(id, source, text, title, None, hidden)])[0]

    def scan_records(
        self, records: Iterable[object], *, start: int = 1
    ) -> Iterator[DocumentReport]:
        """Scan a stream lazily, in order. Items may be reader records (errors pass through as
        error reports), mappings or objects with `text` and optional `title`/`id` attributes
        (dataclasses, namedtuples, Spark Rows), or plain strings (numbered from `start`). A
        document that cannot be scanned, or overruns the time budget, becomes an error report;
        the stream goes on. Documents are scored in batches of `batch_size`."""
        pending: list[_Pending | DocumentReport] = []
        for n, item in enumerate(records, start=start):
            pending.append(self._prepare_item(n, item))
            if len(pending) >= self.batch_size:
                yield from self._finish(pending)
                pending = []
        yield from self._finish(pending)

    def _prepare_item(self, n: int, item: object) -> _Pending | DocumentReport:
        if isinstance(item, RecordError):
            return DocumentReport(None, item.source, error=item.message)
        if isinstance(item, Record):
            return self._prepare(item.id, item.source, item.text, item.title, item.url, item.hidden)
        if isinstance(item, str):
            return self._prepare(str(n), str(n), item, None)
        fields = _fields(item)
        text, title, ident = fields.get("text"), fields.get("title"), fields.get("id")
        ident = str(ident) if ident not in (None, "") else str(n)
        if not isinstance(text, str):
            return DocumentReport(None, str(n), error="record has no string 'text' field")
        return self._prepare(ident, str(n), text, title if isinstance(title, str) else None)

    def _prepare(
        self,
        ident: str | None,
        source: str,
        text: str,
        title: str | None,
        url: str | None = None,
        hidden_runs: Sequence[HiddenRun] = (),
    ) -> _Pending | DocumentReport:
        """The per-document work, under the time budget: documents and each detector's state."""
        chars = len(text) + len(title or "") + sum(len(run) for run, _ in hidden_runs)
        limit = _budget(self.time_budget, chars)
        started = time.perf_counter()
        hidden: tuple[tuple[int, int], ...] = ()
        try:
            with time_limit(limit):
                if hidden_runs:
                    text, hidden = _with_hidden(text, hidden_runs, self.min_score)
                fields = article_fields(text, title)
                docs = article_documents(fields)
                states = [[prepare(d, doc) for d in self.detectors] for doc in docs]
        except BudgetExceeded:
            return DocumentReport(
                ident, source, error=f"time budget of {limit:g} s exceeded, skipped"
            )
        except Exception as exc:  # a bug on one document must not end a crawl-sized scan
            return _failed(source, exc, ident)
        seconds = time.perf_counter() - started
        return _Pending(ident, source, fields, docs, states, url, seconds, hidden)

    def _finish(self, batch: Sequence[_Pending | DocumentReport]) -> list[DocumentReport]:
        """Finish a batch: each detector completes its prepared documents in one call (the
        model scores them together), then hits merge into each document's verdict."""
        started = time.perf_counter()
        items = [p for p in batch if isinstance(p, _Pending)]
        docs = [(item, k) for item in items for k in range(len(item.docs))]
        try:
            found = [
                finish(d, [item.states[k][i] for item, k in docs])
                for i, d in enumerate(self.detectors)
            ]
        except Exception as exc:
            if len(items) > 1:  # find the document at fault; the others are scanned alone
                return [r for one in batch for r in self._finish([one])]
            return [
                p if isinstance(p, DocumentReport) else _failed(p.source, exc, p.id) for p in batch
            ]
        hits = {key: [h for per in found for h in per[j]] for j, key in enumerate(map(_key, docs))}
        share = (time.perf_counter() - started) / max(len(items), 1)
        return [
            p if isinstance(p, DocumentReport) else self._verdict(p, hits, share) for p in batch
        ]

    def _verdict(
        self, item: _Pending, hits: Mapping[tuple[int, int], list[Finding]], share: float
    ) -> DocumentReport:
        findings: list[Finding] = []
        score = 0.0
        for k, doc in enumerate(item.docs):
            verdict = merge(doc, hits[id(item), k], min_score=self.min_score)
            found = verdict.findings
            if doc.field == "text" and item.hidden:
                found = _with_hidden_findings(doc, found, item.hidden)
            findings.extend(found)
            score = max(score, verdict.score)
        flagged = any(f.kind == "injection" and f.score >= self.threshold for f in findings)
        return DocumentReport(
            item.id, item.source, flagged, score, tuple(findings), texts=item.fields, url=item.url,
            seconds=item.seconds + share,
        )  # fmt: skip


@dataclass(slots=True)
class _Pending:
    """A document whose detectors have done their per-document work."""

    id: str | None
    source: str
    fields: dict[str, str]
    docs: list[Document]
    states: list[list[object]]  # per field, per detector
    url: str | None = None
    seconds: float = 0.0
    hidden: tuple[tuple[int, int], ...] = ()  # spans of the text hidden from the page's readers


def _with_hidden(
    text: str, hidden: Sequence[HiddenRun], min_score: float
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text with the page's hidden runs that a rule finds suspect (an injection hit a
    report would show), and their spans: where the extraction kept a run (found once), in
    place; otherwise appended, a paragraph each. A run whose words are also visible on the page
    is scanned there: a second copy would make them look like the story's subject. Hidden text
    with nothing suspect in it (a closed menu, a dialog) stays out of the scan and the report.
    The first MAX_HIDDEN_RUNS runs are read, in one pass of the rules."""
    runs = [run for run, _ in hidden[:MAX_HIDDEN_RUNS]]
    joined = Document("\n\n".join(runs))
    starts = np.cumsum([0, *(len(r) + 2 for r in runs)])
    suspect = {
        int(np.searchsorted(starts, hit.start, side="right")) - 1
        for hit in _SCREEN.detect(joined)
        if hit.kind == "injection" and hit.score >= min_score
    }
    spans = []
    for i in sorted(suspect):
        if hidden[i][1]:  # the words are on the page for readers too, and scanned there
            continue
        words = runs[i].split()
        found = list(re.finditer(r"\s+".join(map(re.escape, words)), text)) if words else []
        if len(found) == 1:  # kept by the extraction: marked where it stands
            spans.append(found[0].span())
        elif not found:
            text = f"{text}\n\n{runs[i]}" if text else runs[i]
            spans.append((len(text) - len(runs[i]), len(text)))
        # More than once: which copy is hidden is unknown, and the text is scanned anyway.
    return text, tuple(sorted(spans))


_SCREEN = RulesDetector()


def _with_hidden_findings(
    doc: Document, found: Sequence[Finding], hidden: Sequence[tuple[int, int]]
) -> list[Finding]:
    """The text's findings with a `hidden-text` finding for each hidden span, in order. Residue
    rules read an appended hidden run as lines after the article (a teaser): it is not."""
    marks = []
    for a, b in hidden:
        line, column = doc.line_column(a)
        marks.append(hidden_text_finding(doc.original, a, b).with_(line=line, column=column))
    kept = [
        f
        for f in found
        if not (f.kind == "residue" and any(a <= f.start and f.end <= b for a, b in hidden))
    ]
    return sorted([*kept, *weigh_hidden(marks, kept)], key=lambda f: (f.start, f.end))


def _uncorroborated(detector: Detector) -> Detector:
    if getattr(detector, "corroboration", 1) == 1:
        return detector
    plain = copy.copy(detector)
    plain.corroboration = 1  # type: ignore[attr-defined]
    return plain


def _budget(per_document: float | None, chars: int) -> float | None:
    """The time a document of `chars` characters may take: the budget, and for documents over
    BUDGET_CHARS the budget per BUDGET_CHARS, so long articles are slow, not errors."""
    return per_document * max(1.0, chars / BUDGET_CHARS) if per_document else None


def _failed(source: str, exc: Exception, ident: str | None = None) -> DocumentReport:
    return DocumentReport(ident, source, error=f"internal error while scanning: {exc!r}")


def _key(pair: tuple[_Pending, int]) -> tuple[int, int]:
    return id(pair[0]), pair[1]


def _fields(item: object) -> Mapping[str, object]:
    """The fields of a record-like object: a mapping, a Spark Row, a namedtuple or any object
    with attributes."""
    if isinstance(item, Mapping):
        return item
    as_dict = getattr(item, "asDict", None) or getattr(item, "_asdict", None)
    if callable(as_dict):
        return as_dict()
    return {k: getattr(item, k, None) for k in ("text", "title", "id")}


def _choose_detectors(model: str | Path) -> tuple[tuple[Detector, ...], str]:
    """The detectors for a `model` setting, and the status line reports carry."""
    if model == "rules":
        return (RulesDetector(),), "rules-only"
    if model not in ("auto", "require") and not isinstance(model, Path):
        model = Path(model)
        if not model.exists():
            raise UsageError(
                f"model must be 'auto', 'rules', 'require' or a model folder, got {model}"
            )
    from detector.artifacts import artifact_path

    shipped = artifact_path("model.joblib")
    if model == "auto" and not shipped.is_file():  # say so without importing scikit-learn
        return (RulesDetector(),), f"unavailable: no model file at {shipped}"
    from detector.model.artifact import load
    from detector.model.runtime import ModelDetector

    try:
        loaded = load(model if isinstance(model, Path) else None)
    except ModelError as exc:
        if model == "auto":
            return (RulesDetector(),), f"unavailable: {exc}"
        raise
    version = loaded.card.get("sha256", "")[:12]
    return (ModelDetector(loaded.classifier),), f"model {version}"


__all__ = ["DocumentReport", "Scanner"]
