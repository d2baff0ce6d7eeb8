"""The public Python API: `Scanner.scan_text`, `scan_records`, and properties that hold for
any input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector import Finding, Scanner

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


def test_a_failing_document_is_an_error_and_the_stream_goes_on(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    broken = Scanner(model="rules")
    real = broken.scan_text

    def scan_text(text, title=None, **kw):  # type: ignore[no-untyped-def]
        if "boom" in text:
            raise RuntimeError("boom")
        return real(text, title, **kw)

    monkeypatch.setattr(broken, "scan_text", scan_text)
    reports = list(broken.scan_records(["boom", "Buy $LBC now."]))
    assert reports[0].error and "boom" in reports[0].error and reports[1].flagged


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
