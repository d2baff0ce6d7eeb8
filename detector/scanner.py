"""The public entry point: a `Scanner`, configured once, turns texts and record streams into
document reports. The CLI is a thin layer over it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from detector.detectors import Detector, RulesDetector
from detector.document import Document
from detector.errors import ModelError, UsageError
from detector.findings import Finding
from detector.readers import Record, RecordError
from detector.scoring import merge


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

    def to_dict(self) -> dict[str, object]:
        if self.error is not None:
            return {"id": self.id, "source": self.source, "error": self.error}
        return {
            "id": self.id,
            "source": self.source,
            "flagged": self.flagged,
            "score": round(self.score, 4),
            "findings": [f.to_dict() for f in self.findings],
        }


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
    """

    def __init__(
        self,
        threshold: float = 0.5,
        model: str | Path = "auto",
        detectors: Sequence[Detector] | None = None,
        min_score: float = 0.25,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise UsageError(f"threshold must be within [0, 1], got {threshold}")
        self.threshold = threshold
        # A finding at or above the threshold is always reported, however low the threshold.
        self.min_score = min(min_score, threshold)
        if detectors is not None:
            self.detectors: tuple[Detector, ...] = tuple(detectors)
            self.model_status = "+".join(d.id for d in self.detectors)
        else:
            self.detectors, self.model_status = _choose_detectors(model)

    def scan_text(
        self, text: str, title: str | None = None, *, id: str | None = None, source: str = ""
    ) -> DocumentReport:
        """Scan one article: its body `text` and, when given, its `title`."""
        findings: list[Finding] = []
        score = 0.0
        fields = {"title": title, "text": text} if title else {"text": text}
        for name, value in fields.items():
            other = text if name == "title" else title
            doc = Document(value, field=name, other=other)  # type: ignore[arg-type]
            hits = [hit for detector in self.detectors for hit in detector.detect(doc)]
            verdict = merge(doc, hits, min_score=self.min_score)
            findings.extend(verdict.findings)
            score = max(score, verdict.score)
        flagged = any(f.kind == "injection" and f.score >= self.threshold for f in findings)
        return DocumentReport(id, source, flagged, score, tuple(findings), texts=fields)

    def scan_records(self, records: Iterable[object]) -> Iterator[DocumentReport]:
        """Scan a stream lazily, in order. Items may be reader records (errors pass through as
        error reports), mappings or objects with `text` and optional `title`/`id` attributes
        (dataclasses, namedtuples, Spark Rows), or plain strings. A document that cannot be
        scanned becomes an error report; the stream goes on."""
        for n, item in enumerate(records, start=1):
            if isinstance(item, RecordError):
                yield DocumentReport(None, item.source, error=item.message)
                continue
            if isinstance(item, Record):
                ident, source, text, title = item.id, item.source, item.text, item.title
            elif isinstance(item, str):
                ident, source, text, title = str(n), str(n), item, None
            else:
                fields = _fields(item)
                text, title, ident = fields.get("text"), fields.get("title"), fields.get("id")
                ident = str(ident) if ident not in (None, "") else str(n)
                source = str(n)
                title = title if isinstance(title, str) else None
                if not isinstance(text, str):
                    yield DocumentReport(None, source, error="record has no string 'text' field")
                    continue
            try:
                yield self.scan_text(text, title, id=ident, source=source)
            except Exception as exc:  # a bug on one document must not end a crawl-sized scan
                yield DocumentReport(None, source, error=f"internal error while scanning: {exc!r}")


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
