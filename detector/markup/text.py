"""Extracted text that remembers where it came from: the per-character map to source offsets,
the builder that collects a title and a body while markup is read, and hidden-text findings."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from detector.findings import Finding

# The finding for text a reader never sees: not a rule of the scanner (plain text has no CSS),
# but reported like one, with a stable id.
HIDDEN_TEXT_ID = "hidden-text"
HIDDEN_TEXT_KIND = "obfuscation"
HIDDEN_TEXT_WEIGHT = 0.7  # hidden text that holds a suspect finding
# Hidden text with nothing suspect in it: a closed menu, a dialog, a "Link copied" toast are how
# every site's scripts work, so alone it is a note under the default threshold, not an alarm.
HIDDEN_TEXT_ALONE = 0.3
# A run of a page hidden from readers: its text, and whether its words are also visible.
HiddenRun = tuple[str, bool]
HIDDEN_TEXT_REASON = (
    "text hidden from readers (display:none, visibility:hidden, zero font size, hidden attribute)"
)


@dataclass(frozen=True, slots=True)
class MappedText:
    """Extracted text; `starts[i]`/`ends[i]` are the source span that produced `text[i]` (a
    character reference such as `&amp;` is one character spanning the whole reference)."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the half-open extracted span [start, end)."""
        if end <= start:
            at = (
                self.starts[start]
                if start < len(self.starts)
                else (self.ends[-1] if self.ends else 0)
            )
            return at, at
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a reader sees of one published file: `fields` maps "text" (and "title" when the file
    opens with headings) to mapped text; `hidden` lists (field, start, end) runs hidden by CSS."""

    fields: dict[str, MappedText]
    hidden: tuple[tuple[str, int, int], ...]

    def hidden_findings(self) -> list[Finding]:
        """One `hidden-text` finding per hidden run, in extracted coordinates of its field."""
        return [
            hidden_text_finding(self.fields[field].text, start, end, field)
            for field, start, end in self.hidden
        ]

    def hidden_runs(self, field: str | None = None) -> list[HiddenRun]:
        """The text of each hidden run (of `field` only, when given), whitespace collapsed,
        each distinct run once, and whether the same words are also on the page where readers
        see them."""
        runs = (
            " ".join(self.fields[f].text[s:e].split())
            for f, s, e in self.hidden
            if field in (None, f)
        )
        visible = " ".join(" ".join(self._visible(name).split()) for name in self.fields)
        return [(run, run in visible) for run in dict.fromkeys(run for run in runs if run)]

    def _visible(self, name: str) -> str:
        text = self.fields[name].text
        cuts = sorted((s, e) for f, s, e in self.hidden if f == name)
        kept, at = [], 0
        for s, e in cuts:
            kept.append(text[at:s])
            at = max(at, e)
        return " ".join([*kept, text[at:]])


def hidden_text_finding(text: str, start: int, end: int, field: str = "text") -> Finding:
    """The `hidden-text` finding for text[start:end] of `field`, at full weight (see
    `weigh_hidden`)."""
    return Finding(
        kind=HIDDEN_TEXT_KIND,
        start=start,
        end=end,
        score=HIDDEN_TEXT_WEIGHT,
        rules=(HIDDEN_TEXT_ID,),
        reason=HIDDEN_TEXT_REASON,
        text=text[start:end],
        field=field,  # type: ignore[arg-type]
    )


def weigh_hidden(hidden: Sequence[Finding], scanned: Sequence[Finding]) -> list[Finding]:
    """Hidden-text findings, at full weight where the hidden run holds a suspect finding of the
    scan (a casino link in a `display:none` block) and as a weak note where it holds none."""
    out = []
    for h in hidden:
        suspect = any(
            f.kind == "injection" and f.field == h.field and f.start < h.end and h.start < f.end
            for f in scanned
        )
        if not suspect:
            h = h.with_(score=HIDDEN_TEXT_ALONE, reason=h.reason + "; nothing suspect in it")
        out.append(h)
    return out


class _Field:
    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.hidden: list[int | None] = []


class Builder:
    """Collects characters with their source spans into the title or body field."""

    def __init__(self) -> None:
        self.fields = {"title": _Field(), "text": _Field()}
        self.heading = False  # inside a heading (or <title>)
        self.body_started = False
        self.hidden: int | None = None  # id of the outermost hidden element we are in

    @property
    def _current(self) -> _Field:
        return self.fields["title" if self.heading and not self.body_started else "text"]

    def add(self, text: str, at: int, *, collapse: bool = False) -> None:
        """Source characters `text` found at offset `at`; `collapse` folds whitespace runs."""
        field = self._current
        for i, char in enumerate(text):
            if collapse and char.isspace():
                if not field.chars or field.chars[-1] in " \n":
                    continue
                char = " "
            self._push(field, char, at + i, at + i + 1)

    def add_reference(self, decoded: str, start: int, end: int) -> None:
        """A character reference: every decoded character spans the whole reference."""
        field = self._current
        for char in decoded:
            self._push(field, char, start, end)

    def line_break(self) -> None:
        """End the current line (a block boundary or a hard break) unless it is already ended;
        the line break maps to the empty span where the line's last character ends."""
        field = self._current
        while field.chars and field.chars[-1] == " ":
            self._pop(field)
        if field.chars and field.chars[-1] != "\n":
            self._push(field, "\n", field.ends[-1], field.ends[-1])

    def _push(self, field: _Field, char: str, start: int, end: int) -> None:
        field.chars.append(char)
        field.starts.append(start)
        field.ends.append(end)
        field.hidden.append(self.hidden)
        if field is self.fields["text"] and not char.isspace():
            self.body_started = True

    @staticmethod
    def _pop(field: _Field) -> None:
        for column in (field.chars, field.starts, field.ends, field.hidden):
            column.pop()

    def finish(self) -> Extracted:
        fields: dict[str, MappedText] = {}
        hidden: list[tuple[str, int, int]] = []
        for name, field in self.fields.items():
            while field.chars and field.chars[-1].isspace():
                self._pop(field)
            if not field.chars and name == "title":
                continue
            if name == "title":
                field = _without_repeated_lines(field)
            fields[name] = MappedText("".join(field.chars), tuple(field.starts), tuple(field.ends))
            hidden.extend((name, s, e) for s, e in _hidden_runs(field))
        return Extracted(fields, tuple(hidden))


def _without_repeated_lines(field: _Field) -> _Field:
    """The title without lines that a later line repeats: a page's `<title>` is usually its
    `<h1>` again, and a name counted twice would read as the article's subject. The later,
    visible copy is kept."""
    text = "".join(field.chars)
    lines = text.split("\n")
    if len(set(lines)) == len(lines):
        return field
    kept = _Field()
    at = 0
    for n, line in enumerate(lines):
        end = at + len(line) + (1 if n < len(lines) - 1 else 0)  # with its line break
        if line not in lines[n + 1 :]:
            for column in ("chars", "starts", "ends", "hidden"):
                getattr(kept, column).extend(getattr(field, column)[at:end])
        at = end
    return kept


def _hidden_runs(field: _Field) -> Iterator[tuple[int, int]]:
    """Runs of characters under one hidden element, trimmed of whitespace."""
    i, n = 0, len(field.chars)
    while i < n:
        owner = field.hidden[i]
        j = i
        while j < n and field.hidden[j] == owner:
            j += 1
        if owner is not None:
            start, end = i, j
            while start < end and field.chars[start].isspace():
                start += 1
            while end > start and field.chars[end - 1].isspace():
                end -= 1
            if end > start:
                yield start, end
        i = j
