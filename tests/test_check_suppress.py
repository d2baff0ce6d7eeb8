"""Inline directives silence exactly the next block or their own line; allowlists silence
exactly the spans they name, globally or under a path."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.check.config import load_config
from detector.check.suppress import Allowlist, silenced_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb <!-- detector: ignore-line -->\nc", {2}),
        ("x = 1  # detector: ignore-line\ny", {1}),
        ("<!-- detector: ignore -->\npara one\npara one cont\n\npara two", {2, 3}),
        ("<!-- detector: ignore -->\n\n\npara one\n\npara two", {4}),
        ("intro\n\n<!--detector:ignore-->\nhidden\n", {4}),
        ("detector: ignored words mean nothing\nnext", set()),
        ("no directives\nhere", set()),
    ],
)
def test_directives_silence_exactly_their_lines(text: str, expected: set[int]) -> None:
    assert silenced_lines(text) == expected


def test_allowlist_terms_match_the_whole_span_in_canonical_form(tmp_path: Path) -> None:
    (tmp_path / ".detector.toml").write_text(
        'allow-terms = ["LibertyCoin"]\nallow-regexes = ["Vexa\\\\w+"]\n'
        '[per-path."news/**"]\nallow-terms = ["MoonToken"]\n',
        encoding="utf-8",
    )
    config = load_config(cwd=tmp_path)
    everywhere = Allowlist.for_path(config, "blog/a.md")
    assert everywhere.allows("LibertyCoin") and everywhere.allows("libertycoin")
    assert everywhere.allows("Lіbertycoin")  # Cyrillic і: the same name in disguise
    assert not everywhere.allows("LibertyCoins") and not everywhere.allows("Liberty")
    assert everywhere.allows("VexaSwap") and not everywhere.allows("the VexaSwap")
    assert not everywhere.allows("MoonToken")
    assert Allowlist.for_path(config, "news/today/a.md").allows("MoonToken")
