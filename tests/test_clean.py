"""Span removal with repair: a table of joints, and properties over generated text (removing
what was inserted restores the text; nothing outside the spans is lost)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.clean import clean_fields, removable, remove_spans, whole_sentences
from detector.findings import Finding
from detector.scanner import Scanner


def cut(text: str, target: str) -> str:
    start = text.index(target)
    return remove_spans(text, [(start, start + len(target))])


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        (
            "THE HAGUE,LibertyCoin Netherlands (AP) —",
            "LibertyCoin",
            "THE HAGUE, Netherlands (AP) —",
        ),
        ("the LibertyCoin token rose", "LibertyCoin", "the token rose"),
        ("growth was steadyVexaSwap this year", "VexaSwap", "growth was steady this year"),
        ("the court said LibertyCoin.", "LibertyCoin", "the court said."),
        ("the court said, LibertyCoin. Then", "LibertyCoin", "the court said. Then"),
        ("HAGUE, LibertyCoin, Netherlands", "LibertyCoin", "HAGUE, Netherlands"),
        ("(AP) — LibertyCoin — The court", "LibertyCoin", "(AP) — The court"),
        ("the coin (LibertyCoin) rose", "LibertyCoin", "the coin rose"),
        ("a “LibertyCoin” rally", "LibertyCoin", "a rally"),
        ("VATICAN CITY (LibertyCoin AP) —", "LibertyCoin", "VATICAN CITY (AP) —"),
        ("LibertyCoin The court said", "LibertyCoin", "The court said"),
        ("LibertyCoin, the court said", "LibertyCoin", "the court said"),
        ("  LibertyCoin indented", "LibertyCoin", "  indented"),
        (
            "the court said\nBuy LibertyCoin now\nNext line",
            "Buy LibertyCoin now",
            "the court said\nNext line",
        ),
        ("para one\n\nBuy now\n\npara two", "Buy now", "para one\n\npara two"),
        ("para one\r\nBuy now\r\npara two", "Buy now", "para one\r\npara two"),
        ("the body.\n\nBuy now", "Buy now", "the body."),
        ("the body.\n\nBuy now\n", "Buy now", "the body.\n"),
        ("Buy now\nthe body.", "Buy now", "the body."),
        ("CITY  LibertyCoin — text", "LibertyCoin", "CITY — text"),
        ("twoXYZwords", "XYZ", "two words"),
        ("the end LibertyCoin", "LibertyCoin", "the end"),
        ("said, LibertyCoin\nnext", "LibertyCoin", "said,\nnext"),
    ],
)
def test_joints_are_repaired(text: str, span: str, expected: str) -> None:
    assert cut(text, span) == expected


def test_spans_apart_only_by_spaces_go_as_one() -> None:
    text = "the Buy LibertyCoin now token"
    spans = [(4, 7), (8, 19), (20, 23)]
    assert remove_spans(text, spans) == "the token"


def test_nothing_to_remove_leaves_text_alone() -> None:
    assert remove_spans("a  b ,c", []) == "a  b ,c"
    assert remove_spans("abc", [(2, 2), (5, 9)]) == "abc"


# -- properties --------------------------------------------------------------------------------

WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    min_size=1,
    max_size=8,
)
TOKEN = st.tuples(WORD, st.sampled_from(["", "", "", ",", ".", ";", ":", "!", "?"])).map("".join)
LINE = st.lists(TOKEN, min_size=1, max_size=8).map(" ".join)
PAYLOAD = st.sampled_from(["LibertyCoin", "$PUMP", "t.me/pumpgroup", "Buy now", "L i b e r t y"])
# How a payload goes in at a boundary after token i: " X" after it, "X " before the next token,
# glued to its end, glued to the next token's start.
MODES = ("after", "before", "glued_end", "glued_start")


@st.composite
def injected(draw: st.DrawFn) -> tuple[str, str, list[tuple[int, int]]]:
    """A well-formed text (single spaces, no space before punctuation, single blank lines at
    most), the same text with payloads inserted, and the payloads' spans."""
    lines = draw(st.lists(LINE, min_size=1, max_size=5))
    breaks = draw(
        st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(lines), max_size=len(lines))
    )
    original = "".join(line + br for line, br in zip(lines, breaks, strict=True))
    if not draw(st.booleans()):
        original = original.rstrip("\n")
    # Word boundaries are where each token starts and ends; insert at some of them.
    tokens = [m.span() for m in re.finditer(r"\S+", original)]
    plan: dict[int, tuple[str, str, str]] = {}  # anchor -> (before, payload, after)
    for i in draw(st.sets(st.integers(0, len(tokens) - 1), max_size=4)):
        mode, payload = draw(st.sampled_from(MODES)), draw(PAYLOAD)
        start, end = tokens[i]
        anchor, before, after = {
            "after": (end, " ", ""),
            "before": (start, "", " "),
            "glued_end": (end, "", ""),
            "glued_start": (start, "", ""),
        }[mode]
        if mode.startswith("glued") and not (
            original[start].isalnum() and original[end - 1].isalnum()
        ):
            continue  # glue only to a word character, as the generator does
        plan.setdefault(anchor, (before, payload, after))
    if draw(st.booleans()):  # a payload on a line of its own
        starts = [0] + [m.end() for m in re.finditer("\n", original)]
        anchor = draw(st.sampled_from(starts))
        if anchor < len(original) and anchor not in plan:
            plan[anchor] = ("", draw(PAYLOAD), "\n")
    pieces, spans, cursor, shift = [], [], 0, 0
    for anchor in sorted(plan):
        before, payload, after = plan[anchor]
        pieces += [original[cursor:anchor], before, payload, after]
        start = anchor + shift + len(before)
        spans.append((start, start + len(payload)))
        shift += len(before) + len(payload) + len(after)
        cursor = anchor
    pieces.append(original[cursor:])
    return original, "".join(pieces), spans


@settings(max_examples=300, deadline=None)
@given(injected())
def test_removing_inserted_payloads_restores_the_text(case: tuple[str, str, list]) -> None:
    original, text, spans = case
    cleaned = remove_spans(text, spans)
    assert cleaned == original
    assert "  " not in cleaned and not re.search(r" [,.;:!?]", cleaned)
    assert not re.search(r"(?m)^ | $", cleaned)


ANY_TEXT = st.text(alphabet="ab1 ,.;:!?()“”—-\n\t", max_size=40)


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=4))
def test_only_spaces_and_punctuation_next_to_spans_are_lost(text: str, raw: list) -> None:
    spans = [(min(s, e), max(s, e)) for s, e in raw]
    cleaned = remove_spans(text, spans)
    inside = set()
    for s, e in spans:
        inside.update(range(s, min(e, len(text))))
    kept = "".join(c if i not in inside else " " for i, c in enumerate(text))
    # Every word character outside the spans survives, in order, and words never fuse.
    assert re.findall(r"[^\W_]+", cleaned) == re.findall(r"[^\W_]+", kept)
    # Nothing is added but single spaces between words.
    assert len(re.sub(r"\s", "", cleaned)) <= len(re.sub(r"\s", "", kept))


def test_clean_fields_removes_only_flagged_injections(founding_text: str) -> None:
    scanner = Scanner(model="rules")
    cleaned = clean_fields(scanner, founding_text)
    assert cleaned.fields["text"].startswith("THE HAGUE, Netherlands (AP) — The International")
    assert [f.text for f in cleaned.removed] == ["LibertyCoin"]
    assert len(cleaned.fields["text"]) == len(founding_text) - len("LibertyCoin")
    # Residue stays unless asked for.
    assert "1162 view" in cleaned.fields["text"]
    stripped = clean_fields(scanner, founding_text, residue=True)
    assert "view" not in stripped.fields["text"].split("\n")[-1]
    assert {f.kind for f in stripped.removed} == {"injection", "residue"}
    rescan = scanner.scan_text(stripped.fields["text"])
    assert not rescan.findings


def test_removable_picks_by_kind_and_threshold(founding_text: str) -> None:
    findings = Scanner(model="rules").scan_text(founding_text).findings
    assert all(f.kind == "injection" for f in removable(findings, 0.5))
    assert not removable(findings, 1.01)
    residue = [f for f in findings if f.kind == "residue"]
    assert set(residue) <= set(removable(findings, 1.01, residue=True))


def _found(text: str, span: str) -> Finding:
    start = text.index(span)
    column = start - text.rfind("\n", 0, start)
    return Finding("injection", start, start + len(span), 0.9, ("model",), "", span, column=column)


@pytest.mark.parametrize(
    ("text", "spans", "removed"),
    [
        # Most of its sentence: the sentence goes, not just the pitch.
        ("Hours grow.\nJoin the MoonInu presale now at mooninu-presale.io before it ends!\nMore.",
         ["Join the MoonInu presale now at mooninu-presale.io"],
         ["Join the MoonInu presale now at mooninu-presale.io before it ends!"]),
        ('It rose. "Buy $LBC today." Then it fell.', ["Buy $LBC today"], ['"Buy $LBC today."']),
        # A finding that ends with its sentence's stop: that sentence, not the next one too.
        ("Calm, traders said. See https://vexa-presale.io/buy-tokens. The index rose 2%.",
         ["See https://vexa-presale.io/buy-tokens."], ["See https://vexa-presale.io/buy-tokens."]),
        # Never the dateline before a pitch in the lede, nor past an abbreviation's dot.
        ("THE HAGUE, Netherlands (AP) — Join the MoonInu presale now at mooninu.io! The court said.",
         ["Join the MoonInu presale now at mooninu.io"],
         ["Join the MoonInu presale now at mooninu.io!"]),
        ("Fine. The U.S. market loves VexaCoin at vexa-coin.io now. Analysts disagreed.",
         ["VexaCoin at vexa-coin.io"], ["The U.S. market loves VexaCoin at vexa-coin.io now."]),
        # Two findings that are most of their sentence together.
        ("Monday. Visit vexa-coin.io, then tell friends about LibertyCoin today. Analysts said.",
         ["vexa-coin.io", "LibertyCoin today"],
         ["Visit vexa-coin.io, then tell friends about LibertyCoin today.", "LibertyCoin today"]),
        # A line break of Windows stays out of it.
        ("Hours grow.\r\nJoin the MoonInu presale now at mooninu.io before it ends\r\nMore.",
         ["Join the MoonInu presale now at mooninu.io"],
         ["Join the MoonInu presale now at mooninu.io before it ends"]),
        # A name in a sentence of the story: the name alone.
        ("THE HAGUE,LibertyCoin Netherlands (AP) — The court said.", ["LibertyCoin"],
         ["LibertyCoin"]),
        ("It rose. Shares of VexaSwap fell 3% on Monday. Then it fell.", ["VexaSwap"], ["VexaSwap"]),
    ],
)  # fmt: skip
def test_pitches_that_are_most_of_their_sentence_take_the_sentence_with_them(
    text: str, spans: list[str], removed: list[str]
) -> None:
    widened = whole_sentences(text, [_found(text, span) for span in spans])
    assert [f.text for f in widened] == removed
    for finding in widened:
        assert finding.text == text[finding.start : finding.end]
        line_start = text.rfind("\n", 0, finding.start) + 1
        assert finding.column - 1 == finding.start - line_start


def test_furniture_is_never_widened_to_a_sentence() -> None:
    text = "Read more: the court ruled. Share this"
    residue = _found(text, "Share this").with_(kind="residue")
    assert whole_sentences(text, [residue]) == [residue]
