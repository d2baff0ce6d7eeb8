"""The baseline file: sorted, stable JSON with a schema version and a trailing newline; counts
per fingerprint; fixed findings drop out on update; entries of files not checked are kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detector.check.baseline import BASELINE_SCHEMA_VERSION, Baseline, Entry, merged, write
from detector.errors import InputError


def _entry(fp: str, path: str = "a.md", text: str = "libertycoin") -> Entry:
    return Entry(fp, path, "injection", text, "the hague | netherlands")


def test_written_file_is_sorted_stable_and_ends_with_newline(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    entries = merged(
        Baseline(), [_entry("f2", "b.md"), _entry("f1", "a.md")], {"a.md", "b.md"}, tmp_path
    )
    write(target, entries)
    first = target.read_text(encoding="utf-8")
    assert first.endswith("}\n") and not first.endswith("\n\n")
    data = json.loads(first)
    assert data["schema_version"] == BASELINE_SCHEMA_VERSION
    assert [e["path"] for e in data["findings"]] == ["a.md", "b.md"]
    assert list(data) == sorted(data) and list(data["findings"][0]) == sorted(data["findings"][0])
    write(
        target,
        merged(
            Baseline.load(target), [_entry("f1"), _entry("f2", "b.md")], {"a.md", "b.md"}, tmp_path
        ),
    )
    assert target.read_text(encoding="utf-8") == first


def test_identical_findings_are_counted_and_claimed_one_by_one(tmp_path: Path) -> None:
    entries = merged(Baseline(), [_entry("f1"), _entry("f1")], {"a.md"}, tmp_path)
    assert [(e.fingerprint, e.count) for e in entries] == [("f1", 2)]
    baseline = Baseline(entries)
    assert [baseline.claim("f1") for _ in range(3)] == [True, True, False]
    assert baseline.claim("other") is False


def test_update_drops_fixed_findings_and_keeps_files_not_checked(tmp_path: Path) -> None:
    (tmp_path / "kept.md").write_text("x", encoding="utf-8")
    previous = Baseline(
        [_entry("fixed", "a.md"), _entry("k", "kept.md"), _entry("gone", "deleted.md")]
    )
    entries = merged(previous, [_entry("now", "a.md")], {"a.md"}, tmp_path)
    assert sorted(e.fingerprint for e in entries) == ["k", "now"]


def test_absent_baseline_is_empty_and_a_broken_one_is_an_input_error(tmp_path: Path) -> None:
    assert Baseline.load(tmp_path / "none.json").entries == {}
    bad = tmp_path / "bad.json"
    bad.write_text('{"findings": [{"path": "a.md"}]}', encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        Baseline.load(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(InputError):
        Baseline.load(bad)
