"""Fingerprints key a finding on its content: they survive moved lines and disguises of the same
span, and change when the file, kind, span or nearby words change."""

from __future__ import annotations

from detector.check.fingerprint import canonical, context, fingerprint


def test_canonical_folds_case_width_lookalikes_invisibles_and_spacing() -> None:
    assert canonical("LibertyCoin") == "libertycoin"
    assert canonical("Ｌｉｂｅｒｔｙ Coin") == "liberty coin"
    assert canonical("Libеrty\u200bCoin") == "libertycoin"  # Cyrillic е, zero-width space
    assert canonical("  Liberty \n\t Coin ") == "liberty coin"


def test_context_stays_on_the_span_line() -> None:
    text = "Added paragraph above.\nTHE HAGUE,LibertyCoin Netherlands (AP) — The court\nBelow."
    start = text.index("LibertyCoin")
    assert context(text, start, start + 11) == "the hague | netherlands ap the"
    moved = "New text.\n\nMore new text here.\n" + text
    start2 = moved.index("LibertyCoin")
    assert context(moved, start2, start2 + 11) == context(text, start, start + 11)


def test_fingerprint_depends_on_identity_fields_only() -> None:
    base = fingerprint("docs/a.md", "injection", "libertycoin", "the hague | netherlands")
    assert base == fingerprint("docs/a.md", "injection", "libertycoin", "the hague | netherlands")
    assert len({
        base,
        fingerprint("docs/b.md", "injection", "libertycoin", "the hague | netherlands"),
        fingerprint("docs/a.md", "residue", "libertycoin", "the hague | netherlands"),
        fingerprint("docs/a.md", "injection", "vexacoin", "the hague | netherlands"),
        fingerprint("docs/a.md", "injection", "libertycoin", "the hague | paris"),
    }) == 5  # fmt: skip
