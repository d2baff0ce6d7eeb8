"""Published content to readable text: Markdown (markdown-it-py) and HTML (the standard library's
`html.parser`) become the title and body a reader sees, with a map from every extracted character
back to its source offset, and the runs of text that CSS or the `hidden` attribute hide.

Choices, documented in the README: code (fenced, indented and inline in Markdown; `<pre>`,
`<code>`, `<kbd>`, `<samp>` in HTML), `<script>`, `<style>`, `<template>` and `<textarea>` are not
prose and are skipped (identifiers such as `startLine` read as glued names);
image alt text and comments are not read; headings before any body text form the title field (so
a dateline opening the body is found as one); a YAML front matter block is skipped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import Literal

from detector.findings import Finding
from detector.lines import LineIndex

Markup = Literal["markdown", "html"]
MARKUP_EXTENSIONS: dict[str, Markup] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

# The finding for text a reader never sees: not a rule of the scanner (plain text has no CSS),
# but reported like one, with a stable id.
HIDDEN_TEXT_ID = "hidden-text"
HIDDEN_TEXT_KIND = "obfuscation"
HIDDEN_TEXT_WEIGHT = 0.7
HIDDEN_TEXT_REASON = (
    "text hidden from readers (display:none, visibility:hidden, zero font size, hidden attribute)"
)

_SKIPPED = frozenset({"script", "style", "template", "pre", "code", "kbd", "samp", "textarea"})
_HEADINGS = frozenset({"title", "h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
_BLOCKS = frozenset(
    """address article aside blockquote body br caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol option p
    section summary table tbody td tfoot th thead title tr ul""".split()  # noqa: SIM905
)
# Elements whose start closes an open one of the same name (`<p>a<p>b`, `<li>a<li>b`).
_SELF_CLOSING = frozenset({"p", "li", "option", "dt", "dd", "tr", "td", "th"})
_REFERENCE = re.compile(r"&#?[0-9A-Za-z]+;?")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^---[ \t]*$", re.DOTALL | re.MULTILINE)
_ANY_SPACE = re.compile(r"\s")
_ZERO = re.compile(r"^(?=[.0]*0)0*\.?0*[a-z%]*$")


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
            Finding(
                kind=HIDDEN_TEXT_KIND,
                start=start,
                end=end,
                score=HIDDEN_TEXT_WEIGHT,
                rules=(HIDDEN_TEXT_ID,),
                reason=HIDDEN_TEXT_REASON,
                text=self.fields[field].text[start:end],
                field=field,  # type: ignore[arg-type]
            )
            for field, start, end in self.hidden
        ]


def markup_of(path: str) -> Markup | None:
    """The markup an extension names (`.md`, `.markdown`, `.html`, `.htm`), else None."""
    name = path.lower().removesuffix(".gz")
    return next((m for ext, m in MARKUP_EXTENSIONS.items() if name.endswith(ext)), None)


def extract(source: str, markup: Markup) -> Extracted:
    """The readable text of a Markdown or HTML source, mapped back to it."""
    builder = _Builder()
    if markup == "html":
        _HtmlPiece(builder, _ElementStack(), source, 0).run()
    else:
        _extract_markdown(source, builder)
    return builder.finish()


# -- building mapped text ----------------------------------------------------------------------


class _Field:
    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.hidden: list[int | None] = []


class _Builder:
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


# -- HTML --------------------------------------------------------------------------------------


class _ElementStack:
    """Open elements, with whether each hides its content or is not prose at all."""

    def __init__(self) -> None:
        self.open: list[tuple[str, int | None, bool]] = []  # (tag, hidden owner, skipped)
        self.serial = 0

    @property
    def hidden(self) -> int | None:
        return self.open[-1][1] if self.open else None

    @property
    def skipped(self) -> bool:
        return bool(self.open) and self.open[-1][2]

    def push(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SELF_CLOSING and self.open and self.open[-1][0] == tag:
            self.open.pop()
        hidden = self.hidden
        if hidden is None and _hides(attrs):
            self.serial += 1
            hidden = self.serial
        self.open.append((tag, hidden, self.skipped or tag in _SKIPPED))

    def pop(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return


def _hides(attrs: list[tuple[str, str | None]]) -> bool:
    """The `hidden` attribute, or inline CSS that hides: display:none, visibility:hidden or
    collapse, a zero font size."""
    for name, value in attrs:
        if name == "hidden":
            return True
        if name != "style" or not value:
            continue
        for declaration in value.split(";"):
            prop, _, val = declaration.partition(":")
            prop = prop.strip().lower()
            val = val.replace("!important", "").strip().lower()
            if (
                (prop == "display" and val == "none")
                or (prop == "visibility" and val in ("hidden", "collapse"))
                or (prop == "font-size" and _ZERO.match(val))
            ):
                return True
    return False


class _HtmlPiece(HTMLParser):
    """Parses one piece of HTML starting at `base` in the source, into the builder."""

    def __init__(self, builder: _Builder, stack: _ElementStack, text: str, base: int) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = builder
        self.stack = stack
        self.text = text
        self.base = base
        self.lines = LineIndex(text)

    def run(self) -> None:
        self.feed(self.text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.base + self.lines.line_start(line) + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.builder.line_break()
        if tag in _VOID:
            return
        self.stack.push(tag, attrs)
        self._sync()
        if tag in _HEADINGS and not self.stack.skipped:
            self.builder.heading = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.builder.line_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.builder.line_break()
        self.stack.pop(tag)
        self._sync()
        if tag in _HEADINGS:
            self.builder.heading = False

    def handle_data(self, data: str) -> None:
        if not self.stack.skipped:
            self.builder.add(data, self._offset(), collapse=True)

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def _reference(self) -> None:
        if self.stack.skipped:
            return
        start = self._offset()
        match = _REFERENCE.match(self.text, start - self.base)
        end = self.base + match.end() if match else start + 1
        reference = self.text[start - self.base : end - self.base]
        decoded = html.unescape(reference)
        if decoded == reference:  # no character reference after all (`&a`): text as written
            self.builder.add(reference, start, collapse=True)
        elif decoded.isspace():
            self.builder.add(" ", start, collapse=True)
        else:
            self.builder.add_reference(decoded, start, end)

    def _sync(self) -> None:
        self.builder.hidden = self.stack.hidden


# -- Markdown ----------------------------------------------------------------------------------


@cache
def _markdown_parser():  # type: ignore[no-untyped-def]
    try:
        from markdown_it import MarkdownIt
    except ImportError as exc:  # a core dependency; only a broken install lacks it
        from detector.errors import UsageError

        raise UsageError(
            "reading Markdown needs markdown-it-py: pip install markdown-it-py"
        ) from exc
    parser = MarkdownIt("commonmark").enable("table")
    # Keep character references and escapes as their own tokens, so each maps to its source.
    parser.disable("text_join")
    return parser


def _extract_markdown(source: str, builder: _Builder) -> None:
    front = _FRONT_MATTER.match(source)
    # Blank the front matter out in place: same length, same lines, nothing to read.
    parsed = source if not front else re.sub(r"[^\n]", " ", front.group()) + source[front.end() :]
    lines = LineIndex(source)
    stack = _ElementStack()
    for token in _markdown_parser().parse(parsed):
        if token.type == "heading_open":
            builder.heading = True
        elif token.type in ("inline", "html_block") and token.map:
            start = lines.line_start(token.map[0] + 1)
            end = lines.line_start(token.map[1] + 1) if token.map[1] < len(lines) else len(source)
            if token.type == "html_block":
                _HtmlPiece(builder, stack, source[start:end], start).run()
                builder.hidden = stack.hidden
            else:
                _inline(token.children or [], _Cursor(source, start, end), builder, stack)
        if token.block and token.nesting <= 0:  # a block ends: closing tags, fences, rules
            builder.line_break()
        if token.type == "heading_close":
            builder.heading = False


class _Cursor:
    """A position in one paragraph of the source; inline text is found in order after it."""

    def __init__(self, source: str, at: int, end: int) -> None:
        self.source, self.at, self.end = source, at, end

    def find(self, needle: str) -> int:
        """Where `needle` next occurs (-1 if it does not); the cursor moves past it."""
        found = self.source.find(needle, self.at, self.end) if needle else -1
        if found >= 0:
            self.at = found + len(needle)
        return found

    def place_loosely(self, content: str, builder: _Builder) -> None:
        """Add `content` character by character, each at its next occurrence (any whitespace
        for a space), or pinned to the cursor when it has none."""
        for char in content:
            pattern = _ANY_SPACE if char.isspace() else re.compile(re.escape(char))
            match = pattern.search(self.source, self.at, self.end)
            if match is None:
                builder.add_reference(char, self.at, self.at)
                continue
            builder.add_reference(char, match.start(), match.end())
            self.at = match.end()

    def skip_destination(self) -> None:
        """Move past a link's or image's `](url "title")` or `][ref]`."""
        if self.source.startswith("](", self.at):
            self.find(")")
        elif self.source.startswith("][", self.at):
            self.find("]")
            self.find("]")


def _inline(children, cursor: _Cursor, builder: _Builder, stack: _ElementStack) -> None:  # type: ignore[no-untyped-def]
    """The text of one paragraph's inline tokens, each found in the source after the last."""
    for child in children:
        kind = child.type
        if kind == "text_special" and child.content == child.markup:
            kind = "text"  # `\\a`: a backslash before a letter escapes nothing and stays as written
        if kind == "code_inline":
            cursor.find(child.markup)  # not prose: skipped, the cursor moves past both fences
            cursor.find(child.markup)
        elif kind == "text":
            at = cursor.find(child.content)
            if at >= 0:
                builder.add(child.content, at)
            else:  # changed by the parser (a code span's line breaks become spaces)
                cursor.place_loosely(child.content, builder)
        elif kind == "text_special":  # `&amp;`, `\*`: one source span per decoded character
            at = cursor.find(child.markup)
            span = (at, at + len(child.markup)) if at >= 0 else (cursor.at, cursor.at)
            builder.add_reference(child.content, *span)
        elif kind in ("softbreak", "hardbreak"):
            at = cursor.find("\n")
            if kind == "hardbreak":
                builder.line_break()
            else:
                builder.add(" ", at if at >= 0 else cursor.at)
        elif kind == "html_inline":
            at = cursor.find(child.content)
            _HtmlPiece(builder, stack, child.content, at if at >= 0 else cursor.at).run()
            builder.hidden = stack.hidden
        elif kind == "image":
            cursor.find("![")
            cursor.find("]")
            cursor.at -= 1
            cursor.skip_destination()
        elif kind == "link_close":
            cursor.skip_destination()
