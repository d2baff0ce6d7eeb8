"""The HTML report: one self-contained page (inline CSS and JS, works offline) with a summary, a
histogram of document scores, and each flagged document with its findings highlighted in
context; filters by kind and rule, search by id, pages of 25. Every piece of a document is
escaped: documents are hostile input."""

from __future__ import annotations

import html
import re
from importlib import resources
from typing import IO

from detector.findings import KINDS, Finding
from detector.normalize import INVISIBLE
from detector.report.summary import Summary
from detector.scanner import DocumentReport

MAX_DOCUMENTS = 2000  # flagged documents shown in full; the rest are counted in a note
MAX_ERRORS = 200
CONTEXT = 240  # characters shown either side of a finding
BINS = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PRIORITY = {"injection": 0, "obfuscation": 1, "residue": 2}


def esc(value: object) -> str:
    """Text safe inside an element or a quoted attribute, and encodable as UTF-8."""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return html.escape(text, quote=True)


def _visible(text: str) -> str:
    """Escaped text with invisible and control characters shown as `⟨U+200B⟩` badges."""
    out, pos = [], 0
    for match in re.finditer(f"{INVISIBLE.pattern}|{_CONTROL.pattern}", text):
        out.append(esc(text[pos : match.start()]))
        out.append(f'<span class="cp">⟨U+{ord(match.group()):04X}⟩</span>')
        pos = match.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def _tooltip(f: Finding) -> str:
    parts = [f"{f.kind} {f.score:.2f}", f"rules: {', '.join(f.rules)}"]
    if "model_probability" in f.extra:
        parts.append(f"model p={f.extra['model_probability']:.2f}")
    parts.append(f.reason)
    return " · ".join(parts)


def _windows(findings: list[Finding], length: int) -> list[tuple[int, int]]:
    spans = sorted((max(0, f.start - CONTEXT), min(length, f.end + CONTEXT)) for f in findings)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, findings: list[Finding]) -> str:
    """The text around `findings`, each finding a <mark> coloured by kind; overlapping findings
    split into pieces that carry every covering finding's details."""
    pieces = []
    windows = _windows(findings, len(text))
    for n, (w_start, w_end) in enumerate(windows):
        if w_start > 0:
            pieces.append('<span class="gap">…</span>' if n else "…")
        cuts = sorted({w_start, w_end, *(p for f in findings for p in (f.start, f.end)
                                           if w_start < p < w_end)})  # fmt: skip
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = [f for f in findings if f.start <= a and b <= f.end]
            if not covering:
                pieces.append(_visible(text[a:b]))
                continue
            covering.sort(key=lambda f: _PRIORITY[f.kind])
            top = covering[0]
            pieces.append(
                f'<mark class="f {top.kind}" tabindex="0" data-kind="{top.kind}" '
                f'data-rules="{esc(" ".join(r for f in covering for r in f.rules))}" '
                f'title="{esc(chr(10).join(_tooltip(f) for f in covering))}">'
                f"{_visible(text[a:b])}</mark>"
            )
    if windows and windows[-1][1] < len(text):
        pieces.append("…")
    return "".join(pieces)


def _finding_row(f: Finding) -> str:
    p = f.extra.get("model_probability")
    return (
        f'<tr data-kind="{f.kind}" data-rules="{esc(" ".join(f.rules))}">'
        f'<td><span class="chip {f.kind}">{f.kind}</span></td>'
        f"<td>{f.field}:{f.line}:{f.column}</td><td>{f.score:.2f}</td>"
        f"<td>{'' if p is None else f'{p:.2f}'}</td>"
        f'<td class="ftext">{_visible(f.text)}</td><td>{esc(", ".join(f.rules))}</td>'
        f"<td>{esc(f.reason)}</td></tr>"
    )


def render_document(report: DocumentReport) -> str:
    """One flagged document: its header, each field's findings in context, a findings table."""
    fields = []
    for name in ("title", "text"):
        found = [f for f in report.findings if f.field == name]
        text = report.texts.get(name)
        if found and text is not None:
            fields.append(
                f'<div class="field"><span class="fname">{name}</span>'
                f'<div class="ctx">{highlight(text, found)}</div></div>'
            )
    kinds = " ".join(sorted({f.kind for f in report.findings}))
    rules = " ".join(sorted({r for f in report.findings for r in f.rules}))
    rows = "".join(_finding_row(f) for f in report.findings)
    return (
        f'<article class="doc" data-id="{esc(report.id)}" data-kinds="{kinds}" '
        f'data-rules="{esc(rules)}"><header><h2 class="id">{esc(report.id)}</h2>'
        f'<span class="source">{esc(report.source)}</span>'
        f'<span class="score">score {report.score:.2f}</span></header>{"".join(fields)}'
        f"<details><summary>{len(report.findings)} findings: rules, model probability, "
        f'reasons</summary><table class="findings"><thead><tr><th>kind</th><th>where</th>'
        f"<th>score</th><th>model p</th><th>text</th><th>rules</th><th>reason</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details></article>"
    )


class HtmlWriter:
    """Collects flagged documents (rendered as they come, up to MAX_DOCUMENTS) and writes the
    page when the scan finishes."""

    def __init__(self, out: IO[str], *, max_documents: int = MAX_DOCUMENTS) -> None:
        self.out = out
        self.max_documents = max_documents
        self.documents: list[str] = []
        self.left_out = 0
        self.errors: list[DocumentReport] = []
        self.histogram = [0] * BINS

    def write(self, report: DocumentReport) -> None:
        if report.error is not None:
            self.errors.append(report)
            return
        self.histogram[min(int(report.score * BINS), BINS - 1)] += 1
        if not report.flagged:
            return
        if len(self.documents) < self.max_documents:
            self.documents.append(render_document(report))
        else:
            self.left_out += 1

    def finish(self, summary: Summary) -> None:
        page = _template()
        for marker, value in (
            ("<!--SUMMARY-->", self._summary(summary)),
            ("<!--FILTERS-->", self._filters(summary)),
            ("<!--DOCUMENTS-->", "".join(self.documents) + self._note()),
        ):
            page = page.replace(marker, value)
        self.out.write(page)
        self.out.flush()

    def _summary(self, s: Summary) -> str:
        kinds = "".join(
            f'<li><span class="chip {k}">{k}</span> {s.by_kind.get(k, 0)}</li>' for k in KINDS
        )
        rules = "".join(
            f"<tr><td>{esc(r)}</td><td>{n}</td></tr>"
            for r, n in sorted(s.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        top = max(self.histogram) or 1
        bars = "".join(
            f'<div class="bin{" over" if (i + 1) / BINS > s.threshold else ""}" '
            f'title="{i / BINS:.1f}–{(i + 1) / BINS:.1f}: {n} documents">'
            f'<span class="n">{n}</span><div class="bar" style="height:{100 * n / top:.0f}%">'
            f'</div><span class="lo">{i / BINS:.1f}</span></div>'
            for i, n in enumerate(self.histogram)
        )
        errors = "".join(
            f"<li>{esc(e.source)}: {esc(e.error)}</li>" for e in self.errors[:MAX_ERRORS]
        )
        if len(self.errors) > MAX_ERRORS:
            errors += f"<li>… and {len(self.errors) - MAX_ERRORS} more</li>"
        return (
            f'<dl class="counts"><div><dt>documents</dt><dd id="n-documents">{s.documents}</dd>'
            f'</div><div><dt>flagged</dt><dd id="n-flagged">{s.flagged}</dd></div>'
            f"<div><dt>errors</dt><dd>{s.errors}</dd></div>"
            f'<div><dt>detector</dt><dd id="model">{esc(s.model)}</dd></div>'
            f"<div><dt>threshold</dt><dd>{s.threshold}</dd></div></dl>"
            f'<section class="panels"><div><h3>findings by kind</h3><ul class="kinds">{kinds}'
            f'</ul><h3>findings by rule</h3><table class="rules">{rules}</table></div>'
            f'<div><h3>document scores</h3><div class="histogram">{bars}</div></div></section>'
            + (f'<h3>errors</h3><ul class="errors">{errors}</ul>' if errors else "")
        )

    def _filters(self, s: Summary) -> str:
        kinds = "".join(
            f'<label><input type="checkbox" class="kind" value="{k}" checked> {k}</label>'
            for k in KINDS
        )
        rules = "".join(f'<option value="{esc(r)}">{esc(r)}</option>' for r in sorted(s.by_rule))
        return (
            f'{kinds}<select id="rule"><option value="">every rule</option>{rules}</select>'
            f'<input id="search" type="search" placeholder="search by id">'
        )

    def _note(self) -> str:
        if not self.left_out:
            return ""
        return (
            f'<p class="note" id="left-out">{self.left_out} more flagged documents are not '
            f"shown (the page keeps the first {self.max_documents}); write --format json for "
            f"every one.</p>"
        )


def _template() -> str:
    return resources.files("detector.report").joinpath("report.html").read_text("utf-8")
