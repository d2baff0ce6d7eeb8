"""The public Python API: `Scanner.scan_text`, `scan_records`, and properties that hold for
any input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector import Finding, Scanner
from detector.detectors import RulesDetector
from detector.document import Document

scanner = Scanner()


def test_founding_document_through_the_api(founding_text: str) -> None:
    report = scanner.scan_text(founding_text)
    injections = [f for f in report.findings if f.kind == "injection"]
    assert report.flagged and [(f.text, f.start, f.end) for f in injections] == [
        ("LibertyCoin", 10, 21)
    ]
    assert all(isinstance(f, Finding) for f in report.findings)


def test_obfuscated_name_is_one_finding_over_exactly_its_characters() -> None:
    text = "PARIS (AFP) - Traders bought Lіbertу\u200bCoin on Monday."
    report = scanner.scan_text(text)
    (finding,) = [f for f in report.findings if f.kind == "injection"]
    assert finding.text == "Lіbertу\u200bCoin" and text[finding.start : finding.end] == finding.text
    assert {"mixed-script", "invisible-char"} <= set(finding.rules)


def test_spaced_letters_are_one_finding_not_ten() -> None:
    text = "Shares rose on Monday. Buy L i b e r t y C o i n now, he said."
    report = scanner.scan_text(text)
    run = (text.index("L i b"), text.index("C o i n") + len("C o i n"))
    covering = [f for f in report.findings if f.start < run[1] and run[0] < f.end]
    assert len(covering) == 1 and "spaced-letters" in covering[0].rules
    assert covering[0].start <= run[0] and run[1] <= covering[0].end


def test_title_is_scanned_as_its_own_field() -> None:
    report = scanner.scan_text("The council met on Monday.", title="Council meets $LBC")
    (finding,) = report.findings
    assert finding.field == "title" and finding.text == "$LBC"


def test_scan_records_accepts_mappings_and_strings_in_order() -> None:
    items = [{"id": 7, "text": "Fine."}, "Buy $LBC now.", {"no": "text"}]
    reports = list(scanner.scan_records(items))
    assert [r.id for r in reports] == ["7", "2", None]
    assert reports[1].flagged and reports[2].error


def test_scan_records_accepts_rows_and_namedtuples() -> None:
    from collections import namedtuple

    Row = namedtuple("Row", "id text")
    (report,) = scanner.scan_records([Row("r1", "Buy $LBC now.")])
    assert report.id == "r1" and report.flagged


class _Failing:
    """A detector with a bug on documents that mention `boom`, and one that stalls on `STALL`."""

    id = "failing"

    def detect(self, doc: Document) -> list[Finding]:
        if "boom" in doc.text:
            raise RuntimeError("boom")
        while "STALL" in doc.text:
            pass
        return []


def test_a_failing_document_is_an_error_and_the_stream_goes_on() -> None:
    broken = Scanner(detectors=[RulesDetector(), _Failing()])
    reports = list(broken.scan_records(["boom", "Buy $LBC now."]))
    assert reports[0].error and "boom" in reports[0].error and reports[1].flagged


def test_a_document_over_its_time_budget_is_an_error_with_its_source() -> None:
    stalling = Scanner(detectors=[RulesDetector(), _Failing()], time_budget=0.3)
    records = [{"id": "a", "text": "STALL here"}, {"id": "b", "text": "Buy $LBC now."}]
    first, second = stalling.scan_records(records)
    assert first.source == "1" and first.error and "time budget" in first.error
    assert second.id == "b" and second.flagged and second.error is None


# Shapes that make careless regular expressions backtrack or scans go quadratic.
PATHOLOGICAL = {
    "emoji": "\U0001f600",
    "letter-comma": "a,",
    "capital-comma": "A,",
    "camel": "aA",
    "leet": "L1b3",
    "invisible": "a\u200b",
    "mixed-script": "aа",
    "styled": "\U0001d400",
    "dash": "A - ",
    "agency": "(A) ",
    "share": "share | ",
    "brackets": "[",
    "url": "http://a",
    "dots": "a.",
    "tags": "#a$A@a",
    "spaced": "a ",
    "newlines": "\n",
    "promo": "join the ",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_scanned_without_error(unit: str) -> None:
    # 20k repetitions: linear scans take well under a second here; one that backtracks or goes
    # quadratic runs into the time budget and fails this test with an error report.
    text = unit * (20_000 // len(unit))
    for each in (rules_only, scanner):
        report = each.scan_text(text, title=text[:300])
        assert report.error is None, report.error


@pytest.mark.parametrize(
    "text", ["\U0001f600" * 250_000, "a," * 200_000], ids=["1MB-of-emoji", "200k-a-comma"]
)
def test_the_issue_pathological_inputs_complete_or_run_out_of_budget(text: str) -> None:
    """Whatever the machine's speed, they end: scanned, or at worst a time-budget error."""
    first, second = Scanner().scan_records([text, "Buy $LBC now."])
    assert first.error is None or "time budget" in first.error
    assert second.flagged


def test_batches_change_nothing(founding_text: str) -> None:
    from detector.readers import iter_records
    from tests.conftest import EXAMPLES

    records = [*iter_records([str(EXAMPLES)]), founding_text, "Buy $LBC now."]
    alone, together = (
        [r.to_dict() for r in Scanner(batch_size=size).scan_records(records)] for size in (1, 64)
    )
    assert len(alone) == len(records) and alone == together
    assert any(r["flagged"] for r in alone)


def test_lone_surrogates_are_scanned() -> None:
    report = scanner.scan_text("See www.example.com/a\ud800b and LibertyCoin")
    assert all(0 <= f.start < f.end for f in report.findings)


def test_threshold_is_validated() -> None:
    from detector.errors import UsageError

    try:
        Scanner(threshold=1.5)
    except UsageError as exc:
        assert "threshold" in str(exc)
    else:
        raise AssertionError("threshold outside [0, 1] accepted")


def test_findings_below_the_default_floor_show_with_a_low_threshold() -> None:
    text = "The firm PayBright said on Monday that sales rose."
    assert not Scanner(model="rules").scan_text(text).findings
    assert Scanner(model="rules", threshold=0.1).scan_text(text).flagged


interesting = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("LibertyCoin ,.\n$#@:/-—()\u200b\u00adіуо𝐋ＬA")),
    ),
    max_size=300,
)


rules_only = Scanner(model="rules")


def _assert_offsets_slice(report, text: str, title: str | None) -> None:  # type: ignore[no-untyped-def]
    fields = {"text": text, "title": title}
    assert report.error is None, report.error
    for f in report.findings:
        source = fields[f.field]
        assert source is not None and 0 <= f.start < f.end <= len(source)
        assert source[f.start : f.end] == f.text
        assert 0.0 <= f.score <= 1.0 and f.line >= 1 and f.column >= 1


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=interesting, title=st.one_of(st.none(), interesting))
def test_rules_scan_never_raises_and_offsets_slice_the_original(
    text: str, title: str | None
) -> None:
    _assert_offsets_slice(rules_only.scan_text(text, title), text, title)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=interesting, title=st.one_of(st.none(), interesting))
def test_default_scan_never_raises_and_offsets_slice_the_original(
    text: str, title: str | None
) -> None:
    # The default scanner (the shipped model when present) costs more per document: fewer cases.
    _assert_offsets_slice(scanner.scan_text(text, title), text, title)
