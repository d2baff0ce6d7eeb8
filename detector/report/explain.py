"""`detector explain` in a terminal: the document with each token shaded by the model's
probability, the judged tokens with their rules and strongest features, and each finding with
the document's score without it."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from detector.explain import Explanation, FeatureEffect, TokenExplanation
from detector.report.table import STYLES, printable

MAX_TEXT = 4000  # characters of each field shown shaded; the tables cover every token
SHADES = ((0.5, "bold white on red"), (0.2, "black on dark_orange"), (0.05, "black on yellow"))


def _shade(token: TokenExplanation) -> str:
    p = token.probability or 0.0
    style = next((s for floor, s in SHADES if p >= floor), "")
    return style or ("underline" if token.rules else "")


def shaded(text: str, tokens: list[TokenExplanation]) -> Text:
    """The field with tokens styled by probability (rule hits underlined)."""
    out, pos = Text(), 0
    for token in tokens:
        if token.start >= MAX_TEXT:
            break
        out.append(_lines(text[pos : token.start]))
        out.append(printable(token.text), style=_shade(token))
        pos = token.end
    out.append(_lines(text[pos:MAX_TEXT]) + ("…" if len(text) > MAX_TEXT else ""))
    return out


def _lines(text: str) -> str:
    return "\n".join(printable(line) for line in text.replace("\r\n", "\n").split("\n"))


def _effect(f: FeatureEffect, token: TokenExplanation) -> str:
    """`in_dateline 1 → 0: p 0.12 (+0.88)`: the value, its replacement, the probability then,
    and how much the feature had added."""
    value = "" if f.value != f.value else f" {f.value:.3g} → {f.reference:.3g}"
    effect = (token.probability or 0.0) - f.probability_without
    return f"{f.name}{value}: p {f.probability_without:.2f} ({effect:+.2f})"


def render(explanation: Explanation, out: IO[str], *, color: bool = False) -> None:
    e = explanation
    console = Console(file=out, force_terminal=color, no_color=not color, width=120)
    verdict = "flagged" if e.flagged else "not flagged"
    source = "" if e.source == e.id else f"{e.source}  "  # a text file's id is its path
    console.print(Text(f"{e.id}  ", style="bold") + Text(
        f"{source}score {e.score:.2f} ({verdict} at {e.threshold}; {e.detector})"))  # fmt: skip
    for name, text in e.texts.items():
        console.print(Text(name, style="dim"))
        console.print(shaded(text, [t for t in e.tokens if t.field == name]))
    rows = [t for t in e.tokens if t.judged or t.rules]
    model = e.detector.startswith("model")  # rules only (or a fallback): no p, no features
    if rows:
        title = "tokens the model judged or a rule marked" if model else "tokens a rule marked"
        table = Table(title=title, title_justify="left")
        columns = (
            ["where", "token", "p", "rules", _FEATURES] if model else ["where", "token", "rules"]
        )
        for column in columns:
            table.add_column(column)
        for t in rows:
            cells = {
                "where": f"{t.field}:{t.line}:{t.column}",
                "token": printable(t.text),
                "p": "" if t.probability is None else f"{t.probability:.2f}",
                "rules": ", ".join(f"{r} {s:.2f}" for r, s in t.rules.items()),
                _FEATURES: "\n".join([*(_effect(f, t) for f in t.features),
                                      *(f"group {_effect(g, t)}" for g in t.groups)]),
            }  # fmt: skip
            table.add_row(*(cells[c] for c in columns))
        console.print(table)
    if e.findings:
        table = Table(title="findings, and the score without each", title_justify="left")
        for column in ("where", "kind", "text", "score", "rules"):
            table.add_column(column, max_width=40 if column in ("text", "rules") else None)
        table.add_column("counterfactual", no_wrap=True)
        for c in e.findings:
            f = c.finding
            table.add_row(
                f"{f.field}:{f.line}:{f.column}", Text(f.kind, style=STYLES[f.kind]),
                printable(f.text), f"{f.score:.2f}", ", ".join(f.rules),
                f"{e.score:.2f} → {c.score_without:.2f} without {printable(repr(_short(f.text)))}",
            )  # fmt: skip
        console.print(table)
    if model:
        console.print(Text(f"How features are weighed: {e.method}", style="dim"))


_FEATURES = "strongest features: value → replacement: p then (effect)"


def _short(text: str, limit: int = 30) -> str:
    """`text`, cut to `limit` characters with an ellipsis (a long teaser would squeeze every
    other column of the table to nothing)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
