"""The Markdown report: parsed as GitHub would (markdown-it with tables), one row per finding
with a link to file and line, and hostile text that cannot break the table or become markup."""

from __future__ import annotations

import io

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from detector.cli import app
from detector.report.markdown import MarkdownWriter
from detector.report.summary import Summary
from detector.scanner import Scanner
from tests.conftest import FOUNDING

HOSTILE = "THE HAGUE,LibertyCoin|x Netherlands (AP) — <script>alert(1)</script> **bold** `tick`"


def table_rows(markdown: str) -> list[list[str]]:
    """Each body row of the table as cell texts, and fails on any raw HTML in the output."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    rows: list[list[str]] = []
    in_body = False
    for t in tokens:
        if t.type in ("tbody_open", "tbody_close"):
            in_body = t.type == "tbody_open"
        elif t.type == "tr_open" and in_body:
            rows.append([])
        elif t.type == "inline" and in_body and rows:
            rows[-1].append("".join(c.content for c in t.children or [] if c.type == "text"))
            assert not [c for c in t.children or [] if c.type in ("html_inline", "strong_open")]
    return rows


def test_founding_document_row_links_file_and_line() -> None:
    result = CliRunner().invoke(
        app, ["scan", str(FOUNDING), "--format", "markdown", "--rules-only"]
    )
    assert result.exit_code == 1
    rows = table_rows(result.stdout)
    injection = [r for r in rows if r[2] == "injection"]
    assert len(injection) == 1 and injection[0][4] == "LibertyCoin"
    assert injection[0][1] == f"{FOUNDING}:1"
    assert f"]({FOUNDING}#L1)" in result.stdout
    assert len(rows) == 10  # the injection and nine residue findings


def test_hostile_text_keeps_the_table_whole() -> None:
    scanner = Scanner(model="rules")
    out = io.StringIO()
    writer = MarkdownWriter(out, max_rows=1)
    summary = Summary(model="rules-only")
    for i, source in enumerate(["dump.jsonl:3", "dump.json:2"]):
        report = scanner.scan_text(HOSTILE, id=f"d|{i}", source=source)
        summary.add(report)
        writer.write(report)
    writer.finish(summary)
    rows = table_rows(out.getvalue())
    assert len(rows) == 1 and all(len(r) == 6 for r in rows)
    assert rows[0][0] == "d|0" and rows[0][4].startswith("LibertyCoin|x")
    assert "](dump.jsonl#L3)" in out.getvalue()  # a JSONL record links to its line
    assert "more findings" in out.getvalue()
