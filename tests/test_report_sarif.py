"""SARIF 2.1.0 output validates against the official schema and locates every finding: 1-based
lines and columns, character offset and length in the source, rules described, fingerprints
stable; dump records are located at their line with the text offset in properties."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from detector.check import load_config, run_check
from detector.report.check import write_check
from detector.report.sarif import FINGERPRINT_KEY
from detector.scanner import Scanner
from tests.conftest import FOUNDING, REPO

SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
RULES = Scanner(model="rules")


@pytest.fixture
def sarif_schema() -> dict:
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _sarif(root: Path, *names: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(root)
    config = load_config(overrides={"model": "rules"}, cwd=root)
    result = run_check(list(names), config, scanner=RULES)
    out = io.StringIO()
    write_check("sarif", result, out)
    return json.loads(out.getvalue())


def _validate(document: dict, schema: dict) -> None:
    import jsonschema

    jsonschema.validate(document, schema, cls=jsonschema.Draft4Validator)


def test_founding_document_sarif_validates_and_locates_every_finding(
    tmp_path: Path, sarif_schema: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FOUNDING, tmp_path / "founding.txt")
    document = _sarif(tmp_path, "founding.txt", monkeypatch=monkeypatch)
    _validate(document, sarif_schema)
    source = (tmp_path / "founding.txt").read_text(encoding="utf-8")
    lines = source.split("\n")
    (run,) = document["runs"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(run["results"]) >= 7  # one injection and six view counters at least
    for result in run["results"]:
        assert result["ruleId"] in rule_ids and rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning") and result["message"]["text"]
        assert len(result["partialFingerprints"][FINGERPRINT_KEY]) == 32
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "founding.txt"
        region = physical["region"]
        start, length = region["charOffset"], region["charLength"]
        line = lines[region["startLine"] - 1]
        column = region["startColumn"]
        assert line[column - 1 : column - 1 + length] == source[start : start + length]
        assert region["endLine"] == region["startLine"]
        assert region["endColumn"] == column + length
    injection = next(r for r in run["results"] if r["properties"]["kind"] == "injection")
    region = injection["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["charOffset"]) == (1, 11, 10)
    assert injection["level"] == "error" and region["charLength"] == len("LibertyCoin")


def test_jsonl_results_sit_on_the_record_line_with_offsets_in_properties(
    tmp_path: Path, sarif_schema: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = FOUNDING.read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "clean", "text": "Stocks rose."}),
        json.dumps({"id": "f", "text": text}),
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = _sarif(tmp_path, "dump.jsonl", monkeypatch=monkeypatch)
    _validate(document, sarif_schema)
    results = document["runs"][0]["results"]
    assert results
    for result in results:
        assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
        props = result["properties"]
        assert props["record"] == "f" and props["line"] == 2
        assert text[props["start"] : props["end"]]


def test_accepted_findings_are_marked_suppressed_with_a_baseline_state(
    tmp_path: Path, sarif_schema: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(FOUNDING, tmp_path / "founding.txt")
    monkeypatch.chdir(tmp_path)
    config = load_config(overrides={"model": "rules"}, cwd=tmp_path)
    run_check(["founding.txt"], config, update_baseline=True, scanner=RULES)
    document = _sarif(tmp_path, "founding.txt", monkeypatch=monkeypatch)
    _validate(document, sarif_schema)
    for result in document["runs"][0]["results"]:
        assert result["baselineState"] == "unchanged"
        assert result["suppressions"][0]["kind"] == "external"
