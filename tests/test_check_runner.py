"""The check run: files found under include/exclude, every finding located in its file and
sorted into new, baselined, suppressed or allowed; what fails depends on kind and threshold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detector.check import load_config, run_check
from detector.check.runner import fails
from detector.findings import Finding
from detector.scanner import Scanner
from tests.conftest import fixed_model

RULES = Scanner(model="rules")
DATELINE = "THE HAGUE,LibertyCoin Netherlands (AP) — The court said Tuesday it was attacked."


def _run(root: Path, *paths: str, update: bool = False, **overrides: object):  # type: ignore[no-untyped-def]
    config = load_config(overrides={"model": "rules", **overrides}, cwd=root)
    return run_check([str(root / p) for p in paths] or [str(root)], config,
                     update_baseline=update, scanner=RULES)  # fmt: skip


def _finding(kind: str, rules: tuple[str, ...], score: float = 0.8) -> Finding:
    return Finding(kind, 0, 4, score, rules, "r", "text")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("finding", "fail_on", "threshold", "expected"),
    [
        (_finding("injection", ("ticker",)), ("injection",), 0.5, True),
        (_finding("injection", ("ticker",), 0.4), ("injection",), 0.5, False),
        (_finding("residue", ("residue-share",)), ("injection",), 0.5, False),
        (_finding("residue", ("residue-share",)), ("residue",), 0.5, True),
        (_finding("injection", ("coin-morphology", "mixed-script")), ("obfuscation",), 0.5, True),
        (_finding("injection", ("coin-morphology",)), ("obfuscation",), 0.5, False),
        (_finding("obfuscation", ("hidden-text",)), ("obfuscation",), 0.5, True),
    ],
)
def test_what_fails_is_kind_or_evasion_at_or_above_threshold(
    tmp_path: Path, finding: Finding, fail_on: tuple[str, ...], threshold: float, expected: bool
) -> None:
    config = load_config(overrides={"fail-on": list(fail_on), "threshold": threshold}, cwd=tmp_path)
    assert fails(finding, config) is expected


def test_markdown_finding_is_located_in_the_source_file(tmp_path: Path) -> None:
    source = f"# Court reports attack\n\nIntro *words*.\n\n{DATELINE}\n"
    (tmp_path / "a.md").write_text(source, encoding="utf-8")
    result = _run(tmp_path)
    (located,) = [f for f in result.findings if f.finding.kind == "injection"]
    loc = located.location
    assert (loc.line, loc.column) == (5, 11) and (loc.end_line, loc.end_column) == (5, 22)
    assert source[loc.offset : loc.offset + loc.length] == "LibertyCoin"
    assert located.status == "new" and located.failing and result.failed


def test_title_findings_are_located_in_the_heading(tmp_path: Path) -> None:
    source = "# Markets cheer *VexaSwapCoin* rally\n\nStocks rose on Monday.\n"
    (tmp_path / "a.md").write_text(source, encoding="utf-8")
    (located,) = [f for f in _run(tmp_path).findings if f.finding.kind == "injection"]
    assert located.finding.field == "title"
    loc = located.location
    assert (loc.line, loc.column) == (1, source.index("VexaSwapCoin") + 1)
    assert source[loc.offset : loc.offset + loc.length] == "VexaSwapCoin"


def test_suppressions_and_allowlist_silence_only_what_they_name(tmp_path: Path) -> None:
    (tmp_path / ".detector.toml").write_text('allow-terms = ["MoonToken"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(
        f"{DATELINE}\n\n"
        "Investors bought VexaSwapCoin on Monday. <!-- detector: ignore-line -->\n\n"
        "<!-- detector: ignore -->\nTraders then moved to ZorbaCoin, brokers said.\n\n"
        "Others chose MoonToken and KappaCoin that week.\n",
        encoding="utf-8",
    )
    result = _run(tmp_path)
    status = {f.finding.text: f.status for f in result.findings}
    assert status["VexaSwapCoin"] == "suppressed" and status["ZorbaCoin"] == "suppressed"
    assert status["MoonToken"] == "allowed"
    assert status["LibertyCoin"] == "new" and status["KappaCoin"] == "new"


def test_what_the_user_allowed_corroborates_nothing(tmp_path: Path) -> None:
    """An allowed or silenced span does not raise the words around it (model corroboration):
    a weak word is reported as the model alone scores it, and fails nothing."""
    scanner = Scanner(detectors=[fixed_model({"Eon": 0.9, "Zorvalis": 0.1})])
    text = "Shares of Eon rose on Monday after analysts at Zorvalis upgraded the stock.\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    config = load_config(cwd=tmp_path)
    found = run_check([str(tmp_path)], config, scanner=scanner).findings
    assert {(f.finding.text, round(f.finding.score, 2)) for f in found} == {
        ("Eon", 0.9), ("Zorvalis", 0.53)
    }  # fmt: skip
    (tmp_path / ".detector.toml").write_text('allow-terms = ["Eon"]\n', encoding="utf-8")
    config = load_config(cwd=tmp_path)
    result = run_check([str(tmp_path)], config, scanner=scanner)
    status = {f.finding.text: (f.status, round(f.finding.score, 2)) for f in result.findings}
    assert status == {"Eon": ("allowed", 0.9)}  # Zorvalis at 0.1: under the 0.25 reported
    assert not result.failed


def test_update_baseline_accepts_current_findings(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(DATELINE + "\n", encoding="utf-8")
    first = _run(tmp_path, update=True)
    assert first.baseline_written == tmp_path.resolve() / ".detector-baseline.json"
    assert not first.failed and {f.status for f in first.findings} == {"baselined"}
    stored = json.loads(first.baseline_written.read_text(encoding="utf-8"))
    assert [e["path"] for e in stored["findings"]] == ["a.md"]
    again = _run(tmp_path)
    assert not again.failed and again.counts()["baselined"] == len(first.findings)


def test_copies_beyond_the_accepted_count_are_new(tmp_path: Path) -> None:
    line = "Traders bought VexaSwapCoin on Monday."
    (tmp_path / "a.md").write_text(f"{line}\n\nOther text.\n", encoding="utf-8")
    _run(tmp_path, update=True)
    (tmp_path / "a.md").write_text(f"{line}\n\nOther text.\n\n{line}\n", encoding="utf-8")
    result = _run(tmp_path)
    assert [(f.location.line, f.status) for f in result.findings] == [(1, "baselined"), (5, "new")]


def test_folders_follow_include_and_exclude_but_named_files_only_exclude(tmp_path: Path) -> None:
    (tmp_path / ".detector.toml").write_text('exclude = ["vendor"]\n', encoding="utf-8")
    for name in ("a.md", "b.html", "c.txt", "d.py", "vendor/e.md", "f.jsonl"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text('{"text": "x"}\n' if name.endswith(".jsonl") else "x\n", encoding="utf-8")
    found = {Path(p).name for p in _run(tmp_path).files}
    assert found == {"a.md", "b.html", "c.txt", "f.jsonl"}
    assert {Path(p).name for p in _run(tmp_path, "d.py", "vendor/e.md").files} == {"d.py"}


def test_dump_records_are_located_at_their_line(tmp_path: Path) -> None:
    records = [{"id": "clean", "text": "Stocks rose on Monday."},
               {"id": "bad", "title": "Markets", "text": DATELINE}]  # fmt: skip
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    result = _run(tmp_path)
    (located,) = [f for f in result.findings if f.finding.text == "LibertyCoin"]
    assert located.location.line == 2 and located.location.offset is None
    assert located.location.properties == {
        "record": "bad", "line": 2, "field": "text", "start": 10, "end": 21,
    }  # fmt: skip


def test_hidden_html_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text(
        '<p>Stocks rose.</p><div style="display:none">best casino bonus at spinwin.bet</div>'
        "<dialog hidden>Subscribe to our newsletter</dialog>",
        encoding="utf-8",
    )
    result = _run(tmp_path, **{"fail-on": ["obfuscation"]})
    hidden = [f for f in result.findings if f.rule == "hidden-text"]
    assert [(f.finding.text, f.location.column, f.failing) for f in hidden] == [
        ("best casino bonus at spinwin.bet", 46, True),
        ("Subscribe to our newsletter", 99, False),
    ]


def test_a_file_that_breaks_the_scanner_is_an_error_and_the_others_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("boom\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(DATELINE + "\n", encoding="utf-8")
    scan_text = RULES.scan_text

    def fragile(text: str, title: str | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        if "boom" in text:
            raise RuntimeError("bug")
        return scan_text(text, title, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(RULES, "scan_text", fragile)
    result = _run(tmp_path)
    assert [e.source for e in result.errors] == [str(tmp_path / "a.md")]
    assert "internal error" in result.errors[0].message
    assert any(f.path.endswith("b.md") and f.failing for f in result.findings)


def test_empty_files_are_checked_and_clean(tmp_path: Path) -> None:
    (tmp_path / "placeholder.md").write_text("", encoding="utf-8")
    result = _run(tmp_path)
    assert result.files == [str(tmp_path / "placeholder.md")] and not result.errors
    assert result.findings == []


def test_unreadable_input_is_an_error_and_blocks_the_baseline_update(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\0\1\2")
    result = _run(tmp_path, "bin.txt", update=True)
    assert [e.source for e in result.errors] == [str(tmp_path / "bin.txt")]
    assert result.baseline_written is None


def test_a_page_the_scan_could_not_finish_is_an_error_not_a_pass(tmp_path: Path) -> None:
    from detector.scanner import DocumentReport

    class Failing(Scanner):
        def scan_text(self, text, title=None, *, id=None, source=""):  # type: ignore[no-untyped-def]
            return DocumentReport(None, source, error="time budget of 5 s exceeded, skipped")

    (tmp_path / "story.md").write_text(f"{DATELINE}\n", encoding="utf-8")
    (tmp_path / "dump.jsonl").write_text(json.dumps({"id": "a", "text": DATELINE}) + "\n")
    config = load_config(overrides={"model": "rules"}, cwd=tmp_path)
    result = run_check([str(tmp_path)], config, scanner=Failing(model="rules"))
    assert not result.findings
    assert [(e.source, e.message) for e in result.errors] == [
        (str(tmp_path / "dump.jsonl:1"), "time budget of 5 s exceeded, skipped"),
        (str(tmp_path / "story.md"), "time budget of 5 s exceeded, skipped"),
    ]


def test_a_rescan_without_corroboration_that_fails_is_an_error_too(tmp_path: Path) -> None:
    from detector.scanner import DocumentReport

    class Failing(Scanner):
        def scan_text(self, text, title=None, *, id=None, source=""):  # type: ignore[no-untyped-def]
            return DocumentReport(None, source, error="time budget of 5 s exceeded, skipped")

    class RescanFails(Scanner):
        def without_corroboration(self) -> Scanner:
            return Failing(model="rules")

    (tmp_path / "story.md").write_text(f"{DATELINE}\n", encoding="utf-8")
    # An allowed finding makes the check score the page again, without corroboration.
    config = load_config(overrides={"model": "rules", "allow-terms": ["LibertyCoin"]}, cwd=tmp_path)
    result = run_check([str(tmp_path)], config, scanner=RescanFails(model="rules"))
    assert not result.findings
    assert [e.source for e in result.errors] == [str(tmp_path / "story.md")]
