"""`detector check` end to end through the CLI: baseline, edits that move accepted findings, a
new insertion that fails the gate and is named by file and line, SARIF for the founding document,
suppressions and allowlists, config, and exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector.cli import app
from tests.conftest import FOUNDING
from tests.test_report_sarif import SCHEMA

runner = CliRunner()

STORY = """# Court reports cyber incident

THE HAGUE,LibertyCoin Netherlands (AP) — The International Criminal Court said Tuesday that it
detected anomalous activity affecting its information systems last week.

The court declined to go into any more detail about the incident.
"""
MARKETS = """# Markets

Stocks rose on Monday as investors weighed earnings from large retailers.

Bond yields were little changed, traders said.
"""
INSERTED = "Traders also piled into VexaSwapCoin after the open, brokers said."


def check(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def check_json(*args: str) -> tuple[int, dict]:
    code, out, _ = check("--format", "json", *args)
    return code, json.loads(out)


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    (tmp_path / "markets.md").write_text(MARKETS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("mode", [["--rules-only"], []], ids=["rules", "model-or-fallback"])
def test_the_publishing_flow(site: Path, mode: list[str]) -> None:
    code, out, _ = check(*mode)
    assert code == 1 and out.startswith("story.md:3:11: injection ")

    code, _, err = check(*mode, "--update-baseline")
    assert code == 0 and (site / ".detector-baseline.json").is_file()
    assert check(*mode)[0] == 0

    # An editor adds paragraphs above the accepted injection: still accepted, on its new line.
    story = site / "story.md"
    story.write_text(
        STORY.replace(
            "THE HAGUE", "Editor's note: updated.\n\nA second new paragraph.\n\nTHE HAGUE"
        ),
        encoding="utf-8",
    )
    code, report = check_json(*mode)
    assert code == 0
    (accepted,) = [f for f in report["findings"] if f["finding"]["text"] == "LibertyCoin"]
    assert accepted["status"] == "baselined"
    assert accepted["line"] == line_of(story, "LibertyCoin") == 7

    # A new coin name in the other file fails the gate and is named by file and line.
    markets = site / "markets.md"
    markets.write_text(MARKETS + "\n" + INSERTED + "\n", encoding="utf-8")
    code, out, _ = check(*mode)
    line = line_of(markets, "VexaSwapCoin")
    assert code == 1
    assert [row.split(" ")[0] for row in out.splitlines()] == [f"markets.md:{line}:25:"]
    assert "VexaSwapCoin" in out and "injection" in out


def test_founding_document_sarif_through_the_cli(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    import jsonschema

    shutil.copy(FOUNDING, tmp_path / "founding.txt")
    monkeypatch.chdir(tmp_path)
    code, out, _ = check(
        "founding.txt", "--format", "sarif", "--rules-only", "--fail-on", "residue"
    )
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    lines = (tmp_path / "founding.txt").read_text(encoding="utf-8").split("\n")
    regions = [
        r["locations"][0]["physicalLocation"]["region"] for r in document["runs"][0]["results"]
    ]
    assert len(regions) >= 7
    for region in regions:
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        text = lines[region["startLine"] - 1]
        start = region["startColumn"] - 1
        assert text[start : start + region["charLength"]]
    assert (regions[0]["startLine"], regions[0]["startColumn"]) == (1, 11)
    views = [r for r in regions if r["startColumn"] == 1 and r["startLine"] in range(8, 14)]
    assert len(views) == 6


def test_suppressions_and_allowlist_silence_exactly_what_they_name(site: Path) -> None:
    markets = site / "markets.md"
    markets.write_text(
        MARKETS
        + f"\n{INSERTED} <!-- detector: ignore-line -->\n"
        + "\n<!-- detector: ignore -->\nFunds rotated into ZorbaCoin, analysts said.\n"
        + "\nSome bought MoonToken too, and others KappaCoin.\n",
        encoding="utf-8",
    )
    code, report = check_json("--rules-only", "markets.md")
    status = {f["finding"]["text"]: f["status"] for f in report["findings"]}
    assert status == {"VexaSwapCoin": "suppressed", "ZorbaCoin": "suppressed",
                      "MoonToken": "new", "KappaCoin": "new"}  # fmt: skip
    assert code == 1

    (site / ".detector.toml").write_text('allow-terms = ["MoonToken"]\n', encoding="utf-8")
    code, report = check_json("--rules-only", "markets.md")
    status = {f["finding"]["text"]: f["status"] for f in report["findings"]}
    assert status["MoonToken"] == "allowed" and status["KappaCoin"] == "new" and code == 1

    (site / ".detector.toml").write_text(
        'allow-terms = ["MoonToken"]\nallow-regexes = ["Kappa\\\\w+"]\n', encoding="utf-8"
    )
    code, report = check_json("--rules-only", "markets.md")
    assert code == 0 and report["summary"]["new"] == 0 and report["summary"]["allowed"] == 2


def test_per_path_allowlist_applies_only_under_its_glob(site: Path) -> None:
    (site / "crypto").mkdir()
    (site / "crypto" / "coins.md").write_text(INSERTED + "\n", encoding="utf-8")
    (site / "markets.md").write_text(INSERTED + "\n", encoding="utf-8")
    (site / ".detector.toml").write_text(
        '[per-path."crypto/**"]\nallow-terms = ["VexaSwapCoin"]\n', encoding="utf-8"
    )
    _, report = check_json("--rules-only", "crypto", "markets.md")
    status = {f["path"]: f["status"] for f in report["findings"]}
    assert status == {"crypto/coins.md": "allowed", "markets.md": "new"}


def test_fail_on_and_threshold_choose_what_fails(site: Path) -> None:
    (site / "story.md").write_text(
        "Stocks rose on Monday.\n\nShare this article\n", encoding="utf-8"
    )
    assert check("--rules-only", "story.md")[0] == 0
    code, out, _ = check("--rules-only", "story.md", "--fail-on", "residue")
    assert code == 1 and out.split(" ")[:3] == ["story.md:3:1:", "residue", "residue-share"]
    assert check("--rules-only", "story.md", "--fail-on", "residue", "--threshold", "0.99")[0] == 0
    for kinds in (["injection,residue"], ["injection", "--fail-on", "residue"]):
        assert check("--rules-only", "story.md", "--fail-on", *kinds)[0] == 1
    code, _, err = check("--rules-only", "story.md", "--fail-on", "injection,spam")
    assert code == 2 and "'spam' is not one of injection, residue, obfuscation" in err


def test_weak_findings_under_the_threshold_are_only_in_json(site: Path) -> None:
    (site / "story.md").write_text("Stocks rose as the startLine moved higher.\n", encoding="utf-8")
    code, out, _ = check("--rules-only", "story.md")
    assert code == 0 and out == ""
    code, report = check_json("--rules-only", "story.md")
    (weak,) = report["findings"]
    assert weak["status"] == "new" and not weak["strong"] and weak["finding"]["score"] < 0.5
    assert report["summary"]["weak"] == 1 and report["summary"]["new"] == 0 and code == 0
    assert check("--rules-only", "story.md", "--threshold", "0.3")[0] == 1


def test_hidden_html_text_fails_with_fail_on_obfuscation(site: Path) -> None:
    (site / "page.html").write_text(
        '<p>Stocks rose.</p>\n<div style="font-size:0">best casino bonus at spinwin.bet</div>\n',
        encoding="utf-8",
    )
    code, out, _ = check("--rules-only", "page.html", "--fail-on", "obfuscation")
    column = len('<div style="font-size:0">') + 1
    assert code == 1 and out.startswith(f"page.html:2:{column}: obfuscation hidden-text ")
    # A closed menu or a toast is how scripts work: hidden, but nothing suspect in it.
    (site / "page.html").write_text(
        "<p>Stocks rose.</p>\n<nav hidden>Home About Contact</nav>\n"
        '<div style="display:none">Link copied to clipboard</div>\n',
        encoding="utf-8",
    )
    code, out = check_json("--rules-only", "page.html", "--fail-on", "obfuscation")
    hidden = [f for f in out["findings"] if f["rule"] == "hidden-text"]
    assert code == 0 and len(hidden) == 2 and not any(f["strong"] for f in hidden)


def test_github_and_junit_formats(site: Path) -> None:
    code, out, _ = check("--rules-only", "--format", "github")
    assert code == 1 and out.startswith("::error file=story.md,line=3,col=11,")
    code, out, _ = check("--rules-only", "--format", "junit")
    assert code == 1 and "<failure" in out and 'name="story.md"' in out


def test_one_run_writes_the_log_format_and_sarif(site: Path) -> None:
    code, out, err = check("--rules-only", "--format", "github", "--sarif", "r.sarif")
    assert code == 1 and out.startswith("::error file=story.md,line=3,col=11,")
    sarif = json.loads((site / "r.sarif").read_text(encoding="utf-8"))
    (result,) = [r for r in sarif["runs"][0]["results"] if "LibertyCoin" in json.dumps(r)]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert ", 1 new finding (1 failing)" in err
    code, _, err = check("--rules-only", "-o", "r.sarif", "--sarif", "./r.sarif")
    assert code == 2 and "same file" in err


def test_a_report_never_lands_on_a_checked_file_or_the_baseline(site: Path) -> None:
    story = (site / "story.md").read_text(encoding="utf-8")
    for args in (["-o", "story.md"], ["--sarif", "./story.md"]):
        code, _, err = check("--rules-only", *args)
        assert code == 2 and "story.md is a checked file" in err
    code, _, err = check("--rules-only", "--update-baseline", "-o", ".detector-baseline.json")
    assert code == 2 and "is the baseline" in err
    code, _, err = check("--rules-only", "--update-baseline", "-o", "story.md")
    assert code == 2 and "is a checked file" in err
    assert not (site / ".detector-baseline.json").exists()
    assert (site / "story.md").read_text(encoding="utf-8") == story
    # Nor on a new file the next run would check, quoting every finding as a finding of its own.
    code, _, err = check("--rules-only", "-o", "sub/findings.md")
    assert code == 2 and "would be, on the next run" in err
    assert not (site / "sub").exists()
    # Nor over a page that is a symlink to a file outside (the report would replace the link).
    outside = site.parent / f"{site.name}-elsewhere"
    outside.mkdir()
    (outside / "kept.md").write_text("Shares rose.\n", encoding="utf-8")
    (site / "latest.md").symlink_to(outside / "kept.md")
    code, _, err = check("--rules-only", "-o", "latest.md")
    assert code == 2 and "latest.md is a checked file" in err
    assert (site / "latest.md").is_symlink()
    (site / ".reports").mkdir()
    for elsewhere in ("findings.sarif", ".reports/findings.md"):  # not included; hidden
        code, _, err = check("--rules-only", "-o", elsewhere)
        assert code == 1, err


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("cr.md", "# Court\r\rTHE HAGUE,LibertyCoin Netherlands (AP) — The court said.\r"),
        ("mixed.html", "<html>\r<body>\n<p>THE HAGUE,LibertyCoin Netherlands (AP) — Hi.</p>\n"),
    ],
)
def test_lone_carriage_returns_in_markup_are_located(
    tmp_path: Path, name: str, source: str
) -> None:
    path = tmp_path / name
    path.write_bytes(source.encode("utf-8"))
    code, out = check_json("--rules-only", str(path))
    (finding,) = [f for f in out["findings"] if f["finding"]["text"] == "LibertyCoin"]
    line, column, offset = finding["line"], finding["column"], finding["char_offset"]
    lines = re.split("\r\n?|\n", source)
    assert code == 1 and lines[line - 1][column - 1 :].startswith("LibertyCoin")
    assert source[offset:].startswith("LibertyCoin")


def test_ignore_line_holds_after_a_lone_carriage_return(site: Path) -> None:
    (site / "story.md").write_bytes(
        b"Intro.\rMore.\n\nTHE HAGUE,LibertyCoin Netherlands (AP) - Hi. <!-- detector: ignore-line -->\n"
    )
    code, out = check_json("--rules-only", "story.md")
    statuses = {f["finding"]["text"]: f["status"] for f in out["findings"]}
    assert code == 0 and statuses["LibertyCoin"] == "suppressed"


def test_a_gate_that_matched_no_file_passes_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.mdx").write_text("# Page\n", encoding="utf-8")
    code, _, err = check("--rules-only", str(tmp_path / "docs"))
    assert code == 0 and "warning: no file matched the include globs (*.md, " in err


def test_output_file_and_explicit_baseline(site: Path) -> None:
    code, _, _ = check("--rules-only", "--update-baseline", "--baseline", "ci/accepted.json")
    assert code == 0 and (site / "ci" / "accepted.json").is_file()
    assert check("--rules-only")[0] == 1  # the default baseline does not exist
    code, _, _ = check(
        "--rules-only", "--baseline", "ci/accepted.json", "-f", "sarif", "-o", "r.sarif"
    )
    assert (
        code == 0
        and json.loads((site / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    )


@pytest.mark.parametrize(
    ("setup", "args", "named"),
    [
        (".detector.toml", ["--rules-only"], "'treshold'"),
        (None, ["--rules-only", "missing.md"], "missing.md"),
        (None, ["--rules-only", "--fail-on", "spam"], "spam"),
        (None, ["--rules-only", "-"], "stdin"),
    ],
)
def test_usage_and_input_errors_exit_2_with_a_message(
    site: Path, setup: str | None, args: list[str], named: str
) -> None:
    if setup:
        (site / setup).write_text("treshold = 0.4\n", encoding="utf-8")
    result = runner.invoke(app, ["check", *args])
    assert result.exit_code == 2
    assert named in result.stderr and "Traceback" not in result.stderr


def test_a_broken_baseline_is_an_input_error(site: Path) -> None:
    (site / ".detector-baseline.json").write_text("{", encoding="utf-8")
    code, _, err = check("--rules-only")
    assert code == 2 and ".detector-baseline.json" in err


def test_config_shows_values_and_where_they_came_from(site: Path) -> None:
    (site / "pyproject.toml").write_text(
        '[tool.detector]\nthreshold = 0.7\nexclude = ["drafts"]\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["config", "--json", "--fail-on", "residue"])
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    settings = shown["settings"]
    assert shown["file"] == str((site / "pyproject.toml").resolve())
    assert settings["threshold"] == {"value": 0.7, "from": shown["file"]}
    assert settings["exclude"] == {"value": ["drafts"], "from": shown["file"]}
    assert settings["fail-on"] == {"value": ["residue"], "from": "command line"}
    assert settings["model"] == {"value": "auto", "from": "default"}
    text = runner.invoke(app, ["config"])
    assert text.exit_code == 0 and "threshold = 0.7" in text.stdout


def test_the_summary_counts_a_file_that_could_not_be_read_apart(site: Path) -> None:
    code, _, err = check("--rules-only", "missing.md", *sorted(p.name for p in site.glob("*.md")))
    checked = len(list(site.glob("*.md"))) + 1
    assert code == 2 and f"{checked} files (1 could not be checked)" in err


def test_folders_of_installed_dependencies_are_not_walked(site: Path) -> None:
    (site / "story.md").unlink()
    for folder in ("node_modules/pkg", "venv/lib/python3.11/site-packages/pkg"):
        (site / folder).mkdir(parents=True)
        (site / folder / "README.md").write_text(STORY, encoding="utf-8")
    code, out, err = check("--rules-only")
    assert code == 0 and out == "" and "1 file," in err  # markets.md alone
    named = "node_modules/pkg/README.md"
    code, out, _ = check("--rules-only", named)  # named, it is checked
    assert code == 1 and out.startswith(f"{named}:3:11: injection ")


def test_a_named_file_the_config_excludes_is_said_to_be_excluded(site: Path) -> None:
    (site / ".detector.toml").write_text('exclude = ["drafts/**"]\n', encoding="utf-8")
    (site / "drafts").mkdir()
    (site / "drafts" / "b.md").write_text(STORY, encoding="utf-8")
    code, _, err = check("--rules-only", "drafts/b.md")
    assert code == 0 and "warning: drafts/b.md excluded by the exclude globs (drafts/**)" in err


def test_the_front_matter_a_page_shows_is_checked(site: Path) -> None:
    page = (
        '---\ntitle: "Court rules on appeal"\ndescription: Buy $LBC today at libertycoin.io\n'
        "tags: [LibertyCoin]\n---\n\n# Court rules\n\nThe court said on Tuesday it would rule.\n"
    )
    (site / "story.md").write_text(page, encoding="utf-8")
    code, out, _ = check("--rules-only", "story.md")
    assert code == 1 and out.startswith("story.md:3:14: injection ")
    assert ":4:" not in out  # tags are metadata, not shown
    (site / "story.md").write_text(page.replace("Buy $LBC today at libertycoin.io", "A ruling"))
    assert check("--rules-only", "story.md")[0] == 0
