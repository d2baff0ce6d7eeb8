"""The `detector scan` contract end to end: exit codes, JSONL/JSON shapes, and bad input that
never costs good data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector.cli import app
from tests.conftest import EXAMPLES, FOUNDING

runner = CliRunner()


def scan(*args: str, input: str | None = None) -> tuple[int, list[dict], str]:
    result = runner.invoke(app, ["scan", "--format", "jsonl", *args], input=input)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines, result.stderr


def test_founding_document_has_one_injection_and_six_view_lines() -> None:
    code, (doc,), _ = scan(str(FOUNDING))
    assert code == 1
    assert doc["flagged"] is True and doc["source"] == str(FOUNDING)
    injections = [f for f in doc["findings"] if f["kind"] == "injection"]
    assert [(f["text"], f["start"], f["end"]) for f in injections] == [("LibertyCoin", 10, 21)]
    assert "dateline-intruder" in injections[0]["rules"]
    views = [f for f in doc["findings"] if f["kind"] == "residue" and f["text"].endswith(" view")]
    assert len(views) == 6
    assert all(f["column"] == 1 and f["line"] >= 8 for f in views)


def test_finding_fields_follow_the_contract() -> None:
    _, docs, _ = scan(str(EXAMPLES / "sample.jsonl"))
    keys = {"kind", "field", "start", "end", "text", "line", "column", "score", "rules", "reason"}
    findings = [f for d in docs for f in d["findings"]]
    assert findings
    for d in docs:
        assert set(d) == {"id", "source", "flagged", "score", "findings"}
    for f in findings:
        assert set(f) == keys
        assert f["kind"] in {"injection", "residue", "obfuscation"} and f["field"] in {
            "text",
            "title",
        }
        assert 0.0 <= f["score"] <= 1.0 and f["line"] >= 1 and f["column"] >= 1


def test_offsets_slice_the_field_exactly_as_read() -> None:
    originals = {}
    for line in (EXAMPLES / "sample.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        originals[record["id"]] = record
    _, docs, _ = scan(str(EXAMPLES / "sample.jsonl"))
    for d in docs:
        for f in d["findings"]:
            assert originals[d["id"]][f["field"]][f["start"] : f["end"]] == f["text"]


def test_clean_sample_articles_are_not_flagged_and_injected_ones_are() -> None:
    _, docs, _ = scan(str(EXAMPLES / "sample.jsonl"))
    verdicts = {d["id"]: d["flagged"] for d in docs}
    assert not any(v for k, v in verdicts.items() if k.startswith("clean-"))
    assert all(v for k, v in verdicts.items() if k.startswith("inject-"))


def test_json_report_has_schema_summary_documents_and_errors(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["scan", str(EXAMPLES), "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema_version"] == "1.0"
    summary = report["summary"]
    assert summary["documents"] == len(report["documents"]) == 12
    assert summary["flagged"] == sum(d["flagged"] for d in report["documents"])
    assert summary["errors"] == 0 and report["errors"] == []
    assert summary["findings_by_kind"]["residue"] >= 9
    assert summary["findings_by_rule"]["dateline-intruder"] >= 1
    assert summary["seconds"] >= 0 and "docs_per_second" in summary


def test_a_report_written_to_a_file_is_summed_up_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "report.jsonl"
    result = runner.invoke(app, ["scan", str(EXAMPLES), "--output", str(out)])
    flagged = sum(json.loads(line)["flagged"] for line in out.read_text("utf-8").splitlines())
    assert result.exit_code == 1 and 0 < flagged < 12
    assert f"detector: 12 documents, {flagged} flagged, 0 errors; wrote {out}" in result.stderr


def test_the_same_error_in_every_record_of_a_file_is_shown_three_times_then_counted(
    tmp_path: Path,
) -> None:
    dump = tmp_path / "body.jsonl"
    dump.write_text("".join(f'{{"id": {i}, "body": "x"}}\n' for i in range(50)), "utf-8")
    code, lines, err = scan(str(dump))
    assert code == 2 and len(lines) == 50  # every record is still in the report
    shown = [line for line in err.splitlines() if "no 'text' field (fields: id, body)" in line]
    assert len(shown) == 4, err
    assert shown[:3] == [
        f"detector: error: {dump}:{n}: no 'text' field (fields: id, body)" for n in (1, 2, 3)
    ]
    assert (
        shown[3]
        == f"detector: error: {dump}: 47 more records with: no 'text' field (fields: id, body)"
    )


def test_the_output_extension_picks_the_format_and_sarif_is_refused(tmp_path: Path) -> None:
    for name, first in (("r.json", "{"), ("r.html", "<!doctype html>"), ("r.jsonl", '{"id"')):
        result = runner.invoke(app, ["scan", str(FOUNDING), "--output", str(tmp_path / name)])
        assert result.exit_code == 1
        assert (tmp_path / name).read_text(encoding="utf-8").lower().startswith(first), name
    result = runner.invoke(app, ["scan", str(FOUNDING), "--output", str(tmp_path / "r.sarif")])
    assert result.exit_code == 2 and "detector check --format sarif" in result.stderr
    assert not (tmp_path / "r.sarif").exists()


def test_table_report_names_flagged_documents() -> None:
    result = runner.invoke(app, ["scan", str(FOUNDING), "--format", "table"])
    assert result.exit_code == 1
    assert "LibertyCoin" in result.stdout and "dateline-intruder" in result.stdout


def test_clean_input_exits_zero() -> None:
    code, (doc,), _ = scan(
        "-", input="ROME (AP) — The bridge reopened on Friday, officials said.\n"
    )
    assert code == 0 and doc["flagged"] is False


def test_threshold_changes_the_verdict() -> None:
    text = "Shares rose on Monday. Analysts at ZentrixPay said demand was firm."
    # The rules' scores are graded; the calibrated model saturates near 0 and 1.
    assert scan("-", "--rules-only", "--threshold", "0.01", input=text)[0] == 1
    assert scan("-", "--rules-only", "--threshold", "0.99", input=text)[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["scan"], ["scan", "x", "--threshold", "2"], ["scan", "x", "--format", "xml"],
        ["evaluate", "--limit", "-5"], ["train", "--output", "x", "--limit", "-1"],
    ],
)  # fmt: skip
def test_usage_errors_exit_two(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


GOOD = json.dumps(
    {"id": "good", "text": "THE HAGUE,LibertyCoin Netherlands (AP) — The court said."}
)
CLEAN = json.dumps({"id": "clean", "text": "The court said on Tuesday it would rule next week."})


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_INPUTS = {
    "malformed JSON": (b'{"id": "x", "text": "unterminated\n', "invalid JSON"),
    "record without text": (b'{"id": "x", "body": "no text field"}\n', "text"),
    "invalid UTF-8": (b'{"id": "x", "text": "caf\xe9"}\n', "UTF-8"),
    "deep nesting": (b'{"text": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "nest"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_record_is_reported_and_neighbours_survive(tmp_path: Path, case: str) -> None:
    bad, message = BAD_INPUTS[case]
    dump = _write(tmp_path / "dump.jsonl", f"{GOOD}\n".encode() + bad + f"{CLEAN}\n".encode())
    code, lines, stderr = scan(str(dump))
    assert code == 2
    errors = [line for line in lines if "error" in line]
    assert [e["source"] for e in errors] == [f"{dump}:2"]
    assert errors[0]["id"] is None and message.lower() in errors[0]["error"].lower()
    assert f"{dump}:2" in stderr
    assert {d["id"] for d in lines if "error" not in d} == {"good", "clean"}


def test_five_megabyte_record_is_scanned(tmp_path: Path) -> None:
    big = json.dumps({"id": "big", "text": "The court said on Tuesday. " * 190_000})
    dump = _write(tmp_path / "big.jsonl", f"{big}\n{GOOD}\n".encode())
    assert dump.stat().st_size > 5_000_000
    code, lines, _ = scan(str(dump))
    assert code == 1 and [d["id"] for d in lines] == ["big", "good"]


def test_empty_and_binary_files_in_a_folder_are_errors_not_crashes(tmp_path: Path) -> None:
    _write(tmp_path / "a_good.jsonl", f"{GOOD}\n".encode())
    _write(tmp_path / "b_empty.jsonl", b"")
    _write(tmp_path / "c_binary.txt", b"\x00\x01\x02PNG\x00" * 100)
    _write(tmp_path / "d_clean.txt", b"The court said on Tuesday it would rule next week.\n")
    code, lines, stderr = scan(str(tmp_path))
    assert code == 2
    sources = {line["source"].split(":")[0] if "error" in line else line["id"] for line in lines}
    assert any(s.endswith("b_empty.jsonl") for s in sources)
    assert any(s.endswith("c_binary.txt") for s in sources)
    assert "good" in sources and any(str(s).endswith("d_clean.txt") for s in sources)
    assert "Traceback" not in stderr


def test_gzipped_dump_is_read(tmp_path: Path) -> None:
    dump = _write(tmp_path / "dump.jsonl.gz", gzip.compress(f"{GOOD}\n{CLEAN}\n".encode()))
    code, lines, _ = scan(str(dump))
    assert code == 1 and [d["id"] for d in lines] == ["good", "clean"]


def test_missing_path_is_an_input_error() -> None:
    code, lines, stderr = scan("/no/such/file.jsonl")
    assert code == 2 and "/no/such/file.jsonl" in stderr


def test_help_imports_no_heavy_module() -> None:
    """`detector --help` must answer fast: the numeric stack, the model and the engines load
    only in the commands that use them."""
    import subprocess
    import sys

    heavy = ["numpy", "scipy", "sklearn", "joblib", "rich.progress", "detector.scanner", "dask"]
    probe = (
        "import sys; from detector.cli import app; from typer.testing import CliRunner; "
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_time_budget_option_turns_slow_documents_into_errors(tmp_path: Path) -> None:
    slow = json.dumps({"id": "slow", "text": "a," * 100_000})  # seconds of work for the rules
    dump = _write(tmp_path / "dump.jsonl", f"{slow}\n{GOOD}\n".encode())
    code, (first, second), err = scan(str(dump), "--rules-only", "--time-budget", "0.2")
    assert code == 2 and "time budget" in first["error"] and first["source"] in err
    assert first["id"] == "slow"  # the record was read: its error names it
    assert second["flagged"] and "error" not in second
    code, lines, _ = scan(str(dump), "--rules-only", "--time-budget", "0")
    assert code == 1 and not [d for d in lines if "error" in d]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", ["scan", "explain"])
def test_output_that_cannot_be_written_is_an_error_not_a_traceback(command: str) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "detector", command, str(FOUNDING), "--rules-only"],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert done.returncode == 2 and "No space left on device" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_closed_stdout_is_no_traceback() -> None:
    import subprocess
    import sys

    args = [sys.executable, "-m", "detector", "scan", str(FOUNDING), "--rules-only"]
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False, preexec_fn=_close_stdout)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr


def _close_stdout() -> None:
    import os

    os.close(1)


def test_a_time_budget_beyond_a_million_seconds_is_refused() -> None:
    result = runner.invoke(app, ["scan", str(FOUNDING), "--rules-only", "--time-budget", "1e10"])
    assert result.exit_code == 2 and "--time-budget" in result.stderr


def test_train_trains_as_many_members_by_default_as_the_python_api() -> None:
    import inspect

    from detector import cli
    from training.train import MEMBERS

    assert inspect.signature(cli.train).parameters["members"].default == MEMBERS


def test_files_a_folder_scan_or_clean_does_not_read_are_named_by_extension(tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "a.txt").write_text("Buy LibertyCoin now.\n", encoding="utf-8")
    for name in ("b.png", "c.png", "d.docx", "README.md"):
        (folder / name).write_text("x\n", encoding="utf-8")
    note = "{}: {} files in the folders, by extension: {}"
    code, lines, err = scan(str(folder), "--rules-only")
    assert code == 1 and len(lines) == 2  # the README is read, as Markdown
    assert note.format("not read", 3, ".png (2), .docx (1)") in err
    result = runner.invoke(app, ["clean", str(folder), "-o", str(tmp_path / "out"), "--rules-only"])
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert result.exit_code == 0 and written == ["a.txt"]
    kinds = ".png (2), .md (1), .docx (1)"
    assert note.format("not cleaned, and not in the output", 4, kinds) in result.stderr
    code, _, err = scan(str(folder / "a.txt"), "--rules-only")
    assert "note" not in err


def test_markdown_is_scanned_as_a_reader_sees_it(tmp_path: Path) -> None:
    page = tmp_path / "story.md"
    page.write_text(
        '---\ntitle: "Court rules"\nlayout: post\n---\n# Court rules\n\n'
        "THE HAGUE,LibertyCoin Netherlands (AP) — The **court** said `code`.\n",
        encoding="utf-8",
    )
    code, (doc,), _ = scan(str(tmp_path))
    assert code == 1 and doc["id"] == str(page)
    (finding,) = [f for f in doc["findings"] if f["kind"] == "injection"]
    assert (finding["text"], finding["field"], finding["line"]) == ("LibertyCoin", "text", 1)
    report = json.loads(
        runner.invoke(app, ["scan", str(page), "--format", "json", "--rules-only"]).stdout
    )
    assert "**" not in json.dumps(report) and "layout" not in json.dumps(report)
    plain = tmp_path / "story.txt"
    plain.write_text(page.read_text("utf-8"), encoding="utf-8")
    code, (doc,), _ = scan(str(plain), "--input-format", "md", "--rules-only")
    assert code == 1 and doc["id"] == str(plain)


def test_html_hidden_in_a_markdown_page_is_marked_hidden_as_check_marks_it(tmp_path: Path) -> None:
    page = tmp_path / "story.md"
    hidden_in_body = (
        "# Council approves budget\n\nThe council approved the budget, officials said.\n\n"
        '<div style="display:none">Claim your free MoonInu tokens at mooninu-presale.io</div>\n'
    )
    page.write_text(hidden_in_body, encoding="utf-8")
    code, (doc,), _ = scan(str(page), "--rules-only")
    (hidden,) = [f for f in doc["findings"] if "hidden-text" in f["rules"]]
    assert code == 1 and hidden["text"].startswith("Claim your free MoonInu")
    # Hidden in the title: scanned there, once (not again as a paragraph of the text).
    page.write_text(
        '# Council approves budget <span style="display:none">Claim free MoonInu tokens at '
        "mooninu-presale.io</span>\n\nThe council approved the budget, officials said.\n",
        encoding="utf-8",
    )
    code, (doc,), _ = scan(str(page), "--rules-only")
    assert code == 1 and {f["field"] for f in doc["findings"]} == {"title"}
    page.write_text(hidden_in_body, encoding="utf-8")
    # A page that shows the same words to its readers has nothing hidden to mark.
    page.write_text(page.read_text("utf-8").replace(' style="display:none"', ""), "utf-8")
    code, (doc,), _ = scan(str(page), "--rules-only")
    assert code == 1 and not [f for f in doc["findings"] if "hidden-text" in f["rules"]]


def test_the_same_error_in_many_files_is_shown_three_times_then_counted(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / f"{n}.txt").write_bytes(b"")
    code, lines, err = scan(str(tmp_path))
    assert code == 2 and len(lines) == 5
    assert err.count(": empty file") == 4
    assert "detector: error: 2 more files with: empty file" in err
