"""The normalised view folds evasions and always maps back to the original characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detector.normalize import normalize


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("plain ascii text", "plain ascii text"),
        ("Lіbertу\u200bCoin", "LibertyCoin"),  # Cyrillic і and у, a zero-width space
        ("Liberty\u00adCoin", "LibertyCoin"),  # soft hyphen
        ("\u202eLibertyCoin\u202c", "LibertyCoin"),  # bidi controls
        ("𝐋𝐢𝐛𝐞𝐫𝐭𝐲𝐂𝐨𝐢𝐧", "LibertyCoin"),  # mathematical bold
        ("ＬｉｂｅｒｔｙＣｏｉｎ", "LibertyCoin"),  # fullwidth
        ("buy L i b e r t y C o i n now", "buy LibertyCoin now"),  # spaced letters
        ("Москва и Петербург", "Москва и Петербург"),  # real Cyrillic prose is left alone
        ("café naïve", "café naïve"),
    ],
)
def test_folds_evasions(original: str, expected: str) -> None:
    assert normalize(original).text == expected


@pytest.mark.parametrize(
    ("original", "needle"),
    [
        ("THE HAGUE,Lіbertу\u200bCoin Netherlands", "LibertyCoin"),
        ("x 𝐋𝐢𝐛𝐞𝐫𝐭𝐲𝐂𝐨𝐢𝐧 y", "LibertyCoin"),
        ("a L i b e r t y C o i n b", "LibertyCoin"),
    ],
)
def test_span_maps_back_to_exactly_the_original_characters(original: str, needle: str) -> None:
    view = normalize(original)
    start = view.text.index(needle)
    o_start, o_end = view.span_to_original(start, start + len(needle))
    word = original[o_start:o_end]
    assert normalize(word).text == needle
    assert original[:o_start].rstrip().endswith(("HAGUE,", "x", "a"))


def test_a_word_wholly_in_lookalikes_is_folded_in_latin_text() -> None:
    # Every letter of "Віtсоіn" here is Cyrillic; the sentence around it is English.
    assert "Bitcoin" in normalize("Investors bought Віtсоіn again this week").text


@given(st.text())
def test_index_is_monotonic_and_in_range(text: str) -> None:
    view = normalize(text)
    assert len(view.index) == len(view.text) + 1
    assert all(0 <= int(i) <= len(text) for i in view.index)
    assert all(int(a) <= int(b) for a, b in zip(view.index, view.index[1:], strict=False))
