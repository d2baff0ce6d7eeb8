"""Presenting the scoring report: rich tables for the terminal and a self-contained SVG
precision-recall curve (no plotting library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def render(report: dict[str, Any], console: Console) -> None:
    """Print the scoring report as tables."""
    spans = report["spans"]
    head = Table(
        title=f"spans at threshold {report['threshold']} ({report['model']})", title_justify="left"
    )
    for col in (
        "precision",
        "recall",
        "F1",
        "boundary IoU",
        "exact boundaries",
        "gold",
        "predicted",
    ):
        head.add_column(col, justify="right")
    head.add_row(
        f"{spans['precision']:.3f}", f"{spans['recall']:.3f}", f"{spans['f1']:.3f}",
        f"{spans['boundary_iou']:.3f}", f"{spans['exact_boundaries']:.3f}",
        str(spans["gold_spans"]), str(spans["predicted_spans"]),
    )  # fmt: skip
    console.print(head)

    alarms = Table(title="false alarms on clean documents", title_justify="left")
    for col in ("group", "documents", "flagged", "rate"):
        alarms.add_column(col, justify="right" if col != "group" else "left")
    for group, a in sorted(report["false_alarms"].items()):
        alarms.add_row(group, str(a["documents"]), str(a["flagged"]), _pct(a["rate"]))
    console.print(alarms)

    for key, title in (
        ("recall_by_payload", "recall by payload"),
        ("recall_by_position", "recall by position"),
        ("recall_by_evasion", "recall by evasion"),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column(key.split("_")[-1])
        table.add_column("spans", justify="right")
        table.add_column("recall", justify="right")
        for name, row in report[key].items():
            table.add_row(name, str(row["spans"]), f"{row['recall']:.3f}")
        console.print(table)

    rules = Table(title="rule hit rates (masscheck)", title_justify="left")
    for col in ("rule", "injected docs", "clean docs", "S/O"):
        rules.add_column(col, justify="right" if col != "rule" else "left")
    for rule, row in sorted(report["rule_hit_rates"].items(), key=lambda kv: -kv[1]["injected"]):
        rules.add_row(rule, _pct(row["injected"]), _pct(row["clean"]), f"{row['s_o']:.3f}")
    console.print(rules)

    sweep = Table(title="threshold sweep", title_justify="left")
    groups = sorted({g for row in report["sweep"] for g in row["false_alarms"]})
    for col in ("threshold", "precision", "recall", "F1", *groups):
        sweep.add_column(col, justify="right")
    for row in report["sweep"]:
        sweep.add_row(
            f"{row['threshold']:.2f}", f"{row['precision']:.3f}", f"{row['recall']:.3f}",
            f"{row['f1']:.3f}", *(_pct(row["false_alarms"].get(g, 0.0)) for g in groups),
        )  # fmt: skip
    console.print(sweep)


def pr_curve_svg(points: Sequence[tuple[float, float, float]], title: str) -> str:
    """An SVG of (threshold, precision, recall) points: recall on x, precision on y."""
    width, height, pad = 480, 360, 48
    pts = sorted(points, key=lambda p: p[2])

    def xy(precision: float, recall: float) -> tuple[float, float]:
        return pad + recall * (width - 2 * pad), height - pad - precision * (height - 2 * pad)

    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(p, r) for _, p, r in pts))
    marks = "".join(
        f'<circle cx="{xy(p, r)[0]:.1f}" cy="{xy(p, r)[1]:.1f}" r="3"><title>threshold {t:.2f}: '
        f"precision {p:.3f}, recall {r:.3f}</title></circle>"
        for t, p, r in pts
    )
    ticks = "".join(
        f'<text x="{pad + v * (width - 2 * pad):.0f}" y="{height - pad + 16}" font-size="10" '
        f'text-anchor="middle">{v:.1f}</text><text x="{pad - 8}" '
        f'y="{height - pad - v * (height - 2 * pad) + 3:.0f}" font-size="10" text-anchor="end">{v:.1f}</text>'
        for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>'
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="13">{title}</text>'
        f'<rect x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}" '
        f'fill="none" stroke="#999"/>{ticks}'
        f'<text x="{width / 2}" y="{height - 10}" text-anchor="middle" font-size="11">recall</text>'
        f'<text x="14" y="{height / 2}" font-size="11" transform="rotate(-90 14 {height / 2})" '
        f'text-anchor="middle">precision</text>'
        f'<polyline points="{path}" fill="none" stroke="#c0392b" stroke-width="2"/>'
        f'<g fill="#c0392b">{marks}</g></svg>\n'
    )
