"""Taking spans out of text as if they had never been written: the span goes, and the spaces,
punctuation and line breaks around it are repaired. Serves `detector clean` and the
counterfactuals of `detector explain`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detector.findings import Finding

if TYPE_CHECKING:
    from detector.scanner import Scanner

# Spaces inside a line (never line breaks).
_HSPACE = frozenset(" \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                    "\u2009\u200a\u202f\u205f\u3000")  # fmt: skip
_NEWLINE = frozenset("\r\n")
# Punctuation that leans on the word before it: no space goes before it.
_CLOSING = frozenset(",.;:!?)]}%…”’»")
# Separators that give way to the punctuation after them (`said, X.` -> `said.`).
_SEPARATOR = frozenset(",;:")
_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "«": "»", '"': '"'}
_OPENING = frozenset("([{“‘«")


def remove_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` without the characters of `spans` (start, end; end exclusive), repaired:

    - a line left empty goes with its line break (and a blank line it leaves doubled);
    - between words one space stays (the narrower gap, when there was space on both sides),
      and a space is put back only when two words would otherwise fuse;
    - no space is left before closing punctuation, at a line's start or end;
    - emptied brackets or quotes go; a separator doubled by the removal (`HAGUE, X, Netherlands`)
      or left before closing punctuation (`said, X.`) goes.

    Everything outside the spans is kept, except those spaces, separators and emptied brackets
    next to a span.
    """
    for start, end in reversed(_merged(text, spans)):
        text = _remove(text, start, end)
    return text


def _merged(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, clipped spans; spans that overlap or are apart only by spaces become one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if out and all(c in _HSPACE for c in text[out[-1][1] : start]):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _remove(text: str, start: int, end: int) -> str:
    a, b = start, end
    while a > 0 and text[a - 1] in _HSPACE:
        a -= 1
    while b < len(text) and text[b] in _HSPACE:
        b += 1
    left = text[a - 1] if a > 0 else "\n"
    right = text[b] if b < len(text) else "\n"
    if left in _NEWLINE and right in _NEWLINE:
        return _drop_line(text, a, b)
    if left in _NEWLINE:  # keep the indentation; a separator left leading the line goes too
        if right in _SEPARATOR:
            b += 1
            while b < len(text) and text[b] in _HSPACE:
                b += 1
        return text[:start] + text[b:]
    if right in _NEWLINE:  # no trailing space
        return text[:a] + text[b:]
    if _PAIRS.get(left) == right:  # `(X)`, `“X”`: the emptied pair goes as well
        return _remove(text, a - 1, b + 1)
    if left == right and not left.isalnum() or left in _SEPARATOR and right in _CLOSING:
        return text[: a - 1] + text[b:]  # `HAGUE, X, Netherlands`, `— X —`, `said, X.`
    if right in _CLOSING or left in _OPENING:
        return text[:a] + text[b:]
    if a < start and b > end:  # space on both sides: keep the narrower gap
        return text[:start] + text[b:] if start - a <= b - end else text[:a] + text[end:]
    if a < start or b > end:  # space on one side: keep it
        return text[:start] + text[b:] if a < start else text[:a] + text[end:]
    glue = " " if left.isalnum() and right.isalnum() else ""
    return text[:start] + glue + text[end:]


def _drop_line(text: str, a: int, b: int) -> str:
    """Remove the line text[a:b] (nothing but the span and spaces) with one line break."""
    after = b + (2 if text.startswith("\r\n", b) else 1 if b < len(text) else 0)
    if after == b:  # the last line, unterminated: the break(s) before it go instead
        return text[:a].rstrip("\r\n")
    head, tail = text[:a], text[after:]
    blank_before = a == 0 or head.endswith(("\n\n", "\n\r\n"))
    if blank_before and (tail == "" or tail.startswith(("\n", "\r\n"))):
        # The line sat between a blank line (or the start) and a blank line (or the end).
        if tail:
            tail = tail[2:] if tail.startswith("\r\n") else tail[1:]
        else:
            head = head[:-2] if head.endswith("\r\n") else head[:-1]
    return head + tail


# -- findings ----------------------------------------------------------------------------------


def removable(
    findings: Sequence[Finding], threshold: float, *, residue: bool = False
) -> list[Finding]:
    """The findings `clean` takes out: injections scoring at least `threshold`, and with
    `residue` every residue finding (page furniture)."""
    return [
        f
        for f in findings
        if (f.kind == "injection" and f.score >= threshold) or (residue and f.kind == "residue")
    ]


def whole_sentences(text: str, findings: Sequence[Finding], share: float = 0.5) -> list[Finding]:
    """The findings of one field, a sentence's first injection widened to the whole sentence when
    the sentence's injections together are most of it (more than `share` of its letters and digits): `Join the
    MoonInu presale now at mooninu-presale.io before it ends!` goes whole rather than leave
    `before it ends!` behind. A name inside a sentence of the story is a small part of it and
    stays as it is. Sentences are `sentence_of`'s."""
    groups: dict[tuple[int, int], list[Finding]] = {}
    out: list[Finding] = [f for f in findings if f.kind != "injection"]  # furniture: its line
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.kind == "injection":
            groups.setdefault(sentence_of(text, finding.start, finding.end), []).append(finding)
    for (start, end), members in groups.items():
        covered = set().union(*(range(f.start, f.end) for f in members))
        inside = sum(text[i].isalnum() for i in covered)
        first = members[0]
        if inside <= share * sum(c.isalnum() for c in text[start:end]) or (
            (first.start, first.end) == (start, end)
        ):
            out += members
            continue
        out.append(
            first.with_(
                start=start,
                end=end,
                text=text[start:end],
                column=first.column - (first.start - start),
                reason=f"{first.reason}; with the rest of its sentence",
            )  # fmt: skip
        )
        out += members[1:]
    return out


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding `text[start:end]`, within its line: from the last sentence stop
    (`.`, `!`, `?` before a space; not after `U.S` or `Mr`) or dateline dash before it, or the
    line's start, to the first stop from its last character on (and a closing quote after
    it), or the line's end."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    while line_end > end and text[line_end - 1] == "\r":
        line_end -= 1
    begin = line_start
    for match in _SENTENCE_START.finditer(text, line_start, start):
        begin = match.end()
    stop = _SENTENCE_STOP.search(text, max(start, end - 1), line_end)
    return begin, stop.end() if stop else line_end


_ABBREVIATED = r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bNo)"
_SENTENCE_STOP = re.compile(_ABBREVIATED + r"[.!?]+[\"'’”»)\]]*(?=\s|$)")
_SENTENCE_START = re.compile(_ABBREVIATED + r"[.!?]+[\"'’”»)\]]*\s+|\s(?:[—–]|--?)\s+")


def without(text: str, findings: Iterable[Finding]) -> str:
    """`text` with the findings' spans removed and repaired."""
    return remove_spans(text, [(f.start, f.end) for f in findings])


@dataclass(frozen=True, slots=True)
class CleanedDocument:
    """A document's fields after cleaning, and the findings taken out by each pass (offsets of
    a pass index the text as the passes before it left it)."""

    fields: dict[str, str]
    passes: tuple[tuple[Finding, ...], ...]

    @property
    def removed(self) -> tuple[Finding, ...]:
        return tuple(f for found in self.passes for f in found)

    @property
    def changed(self) -> bool:
        return bool(self.removed)


def clean_fields(
    scanner: Scanner,
    text: str,
    title: str | None = None,
    *,
    residue: bool = False,
    max_passes: int = 3,
) -> CleanedDocument:
    """Scan an article, remove what `removable` picks (a pitch that is most of its sentence
    with the rest of the sentence, `whole_sentences`), and scan again until nothing removable
    is left (a removal can bring two odd neighbours together) or `max_passes` is reached.
    """
    fields = {"text": text, **({"title": title} if title is not None else {})}
    passes: list[tuple[Finding, ...]] = []
    for _ in range(max_passes):
        report = scanner.scan_text(fields["text"], fields.get("title"))
        picked = removable(report.findings, scanner.threshold, residue=residue)
        if not picked:
            break
        per_field = {
            name: whole_sentences(current, [f for f in picked if f.field == name])
            for name, current in fields.items()
        }
        passes.append(tuple(f for found in per_field.values() for f in found))
        for name, found in per_field.items():
            fields[name] = without(fields[name], found)
    return CleanedDocument(fields, tuple(passes))


def diff(before: str, after: str, label: str) -> list[str]:
    """A unified diff of one field, for `clean --verbose`."""
    import difflib

    return list(
        difflib.unified_diff(
            before.splitlines(),
            after.splitlines(),
            f"{label} (as read)",
            f"{label} (cleaned)",
            lineterm="",
            n=0,
        )  # fmt: skip
    )
