"""The HTML report: escaped against hostile documents, complete offline, capped for large dumps,
and, in a real headless Chromium, showing the founding document's injection highlighted."""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from detector.cli import app
from detector.report.html import HtmlWriter
from detector.report.summary import Summary
from detector.scanner import Scanner
from tests.conftest import FOUNDING, REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
HOSTILE = (
    'THE HAGUE,LibertyCoin Netherlands (AP) — <script>alert("x")</script> said </textarea>'
    '<img src=x onerror=alert(1)> "quoted" & more.'
)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def render(texts: list[str], **kwargs: object) -> str:
    scanner = Scanner(model="rules")
    out = io.StringIO()
    writer = HtmlWriter(out, **kwargs)  # type: ignore[arg-type]
    summary = Summary(model=scanner.model_status)
    for i, text in enumerate(texts):
        report = scanner.scan_text(text, id=f"doc-{i}", source=f"dump.jsonl:{i + 1}")
        summary.add(report)
        writer.write(report)
    summary.stop()
    writer.finish(summary)
    return out.getvalue()


def test_hostile_text_stays_text() -> None:
    page = render([HOSTILE])
    parser = Elements()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert tags.count("script") == 1  # the report's own
    assert "img" not in tags and "textarea" not in tags
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;/textarea&gt;" in page
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)


def test_offline_and_self_contained() -> None:
    page = render([HOSTILE])
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<style>" in page and "<script>" in page
    assert "default-src 'none'" in page  # the page may fetch nothing


def test_summary_counts_and_highlight() -> None:
    page = render([HOSTILE, "A plain sentence about the weather in Rome."])
    assert re.search(r'id="n-documents">2<', page) and re.search(r'id="n-flagged">1<', page)
    assert 'id="model">rules-only<' in page
    (mark,) = re.findall(r'<mark class="f injection"[^>]*>([^<]*)</mark>', page)
    assert mark == "LibertyCoin"
    assert "dateline-intruder" in page


def test_large_dumps_are_capped_with_a_note() -> None:
    page = render([HOSTILE] * 5, max_documents=3)
    assert page.count('<article class="doc"') == 3
    assert re.search(r'id="left-out">2 more flagged documents', page)


def test_cli_writes_html_by_extension(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["scan", str(FOUNDING), "--rules-only", "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- in a real browser --------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser_page(tmp_path: Path):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
    )
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 900},
        )  # fmt: skip
        try:
            yield context.new_page()
        finally:
            context.close()


def test_founding_document_in_chromium(tmp_path: Path, browser_page) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["scan", str(FOUNDING), "--format", "html", "-o", str(report)])
    assert result.exit_code == 1, result.stderr
    page = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(report.resolve().as_uri())
    mark = page.locator("mark.f.injection").first
    assert mark.is_visible()
    assert mark.inner_text() == "LibertyCoin"
    assert "dateline-intruder" in (mark.get_attribute("title") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html_report_founding.png"), full_page=True)

    # Expanding shows the rules, model probability and reason of each finding.
    mark.click()
    rows = page.locator("table.findings tbody tr")
    assert rows.first.is_visible() and "LibertyCoin" in rows.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "html_report_founding_expanded.png"), full_page=True)

    # Filters: a kind unticked dims its marks; a rule and an id search hide the document.
    page.locator("input.kind[value=injection]").uncheck()
    assert "dim" in (mark.get_attribute("class") or "")
    page.locator("input.kind[value=injection]").check()
    page.select_option("#rule", "residue-teaser")
    assert page.locator("article.doc").first.is_visible()
    page.fill("#search", "no-such-document")
    assert not page.locator("article.doc").first.is_visible()
    assert page.locator("#no-match").is_visible()
    page.fill("#search", "founding")
    assert page.locator("article.doc").first.is_visible()
    assert not errors


def test_overlapping_findings_split_into_marks() -> None:
    from detector.findings import Finding
    from detector.report.html import highlight

    text = "Share LibertyCoin now"
    residue = Finding("residue", 0, len(text), 0.85, ("residue-share",), "share line")
    injection = Finding("injection", 6, 17, 0.9, ("coin-morphology",), "coin name")
    page = highlight(text, [residue, injection])
    marks = re.findall(r'<mark class="f (\w+)"[^>]*>([^<]*)</mark>', page)
    assert marks == [("residue", "Share "), ("injection", "LibertyCoin"), ("residue", " now")]
    covering = re.search(r'<mark class="f injection"[^>]*data-rules="([^"]*)"', page)
    assert covering and set(covering.group(1).split()) == {"residue-share", "coin-morphology"}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="<>&\"'/= abcscriptLibertyCoin,\n\u200b", max_size=80))
def test_no_document_text_becomes_markup(noise: str) -> None:
    page = render([f"THE HAGUE,LibertyCoin {noise} Netherlands (AP) — {noise}"])
    parser = Elements()
    parser.feed(page)
    ours = Elements()
    ours.feed(render(["THE HAGUE,LibertyCoin Netherlands (AP) — said."]))
    assert {t for t, _ in parser.tags} <= {t for t, _ in ours.tags}
    assert [t for t, _ in parser.tags].count("script") == 1
