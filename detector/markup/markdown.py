"""Markdown to mapped text with markdown-it-py: block tokens end lines, inline text is found in
the source in order (entities and escapes keep their own spans), code and images are skipped,
and HTML inside the Markdown goes through the HTML reader with one element stack."""

from __future__ import annotations

import re
from functools import cache

from detector.lines import LineIndex
from detector.markup.html import ElementStack, HtmlPiece
from detector.markup.text import Builder

# YAML (`---`) or TOML (`+++`, Hugo) front matter: the page's metadata, not its prose, except
# the values a page shows its readers (its title, the summary under it and in search results),
# read as lines of the title (`_shown_values`).
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*\r?$", re.DOTALL | re.MULTILINE)
_SHOWN_KEY = re.compile(
    r"^([ \t]*)(?:title|subtitle|description|summary|excerpt|lead)[ \t]*[:=][ \t]*", re.I | re.M
)
_NO_VALUE = frozenset({"", "~", "null", "true", "false"})
_ESCAPES = {"n": " ", "t": " ", '"': '"', "\\": "\\", "/": "/", "'": "'"}
_ANY_SPACE = re.compile(r"\s")


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


def extract_markdown(source: str, builder: Builder) -> None:
    front = _FRONT_MATTER.match(source)
    # Blank the front matter out in place: same length, same lines, nothing to read.
    parsed = source if not front else re.sub(r"[^\n]", " ", front.group()) + source[front.end() :]
    lines = LineIndex(source)
    stack = ElementStack()
    if front:
        builder.heading = True
        _shown_values(source, front.end(), builder)
        builder.heading = False
    for token in _markdown_parser().parse(parsed):
        if token.type == "heading_open":
            builder.heading = True
        elif token.type in ("inline", "html_block") and token.map:
            start = lines.line_start(token.map[0] + 1)
            end = lines.line_start(token.map[1] + 1) if token.map[1] < len(lines) else len(source)
            if token.type == "html_block":
                HtmlPiece(builder, stack, source[start:end], start).run()
                builder.hidden = stack.hidden
            else:
                _inline(token.children or [], _Cursor(source, start, end), builder, stack)
        if token.block and token.nesting <= 0:  # a block ends: closing tags, fences, rules
            builder.line_break()
        if token.type == "heading_close":
            builder.heading = False


def _shown_values(source: str, end: int, builder: Builder) -> None:
    """The shown keys' values in the front matter `source[:end]`, each a line of the title,
    every character at its place in the source: a quoted string with its escapes (`\\"`,
    `\\u2014`, YAML's `''`), a plain value up to a comment, and the indented lines that
    continue it or that make a block scalar (`description: >-`). Keys at any depth (`seo:` /
    `  description:`), in any case; `null`, `~` and booleans are no text."""
    for key in _SHOWN_KEY.finditer(source, 0, end):
        at, line_end = key.end(), _line_end(source, key.end(), end)
        first = source[at:line_end].rstrip()
        if first[:1] in ('"', "'"):
            _quoted(source, at, line_end, builder)
        elif first[:1] in ("|", ">", "#") or first.lower() in _NO_VALUE:
            if first[:1] in ("|", ">"):
                _continued(source, line_end, end, len(key.group(1)), builder, spaced=False)
        else:
            comment = re.search(r"[ \t]#", source[at:line_end])
            stop = at + comment.start() if comment else line_end
            builder.add(source[at:stop].rstrip(), at)
            _continued(source, line_end, end, len(key.group(1)), builder)
        builder.line_break()


def _line_end(source: str, at: int, end: int) -> int:
    found = source.find("\n", at, end)
    stop = end if found < 0 else found
    return stop - 1 if stop > at and source[stop - 1] == "\r" else stop


def _continued(
    source: str, at: int, end: int, indent: int, builder: Builder, *, spaced: bool = True
) -> None:
    """The lines after `at` indented deeper than `indent`, each added after a space (but the
    first, unless `spaced`)."""
    while at < end:
        start = source.find("\n", at, end)
        if start < 0:
            return
        start += 1
        stop = _line_end(source, start, end)
        line = source[start:stop]
        depth = len(line) - len(line.lstrip(" \t"))
        if not line.strip() or depth <= indent or line.lstrip().startswith("#"):
            return
        if spaced:
            builder.add(" ", start + depth - 1)
        builder.add(line.strip(), start + depth)
        spaced, at = True, stop


def _quoted(source: str, at: int, end: int, builder: Builder) -> None:
    """A quoted string from `at` (its quote mark) to its closing mark on the line."""
    quote, i = source[at], at + 1
    while i < end:
        char = source[i]
        if char == quote and quote == "'" and source.startswith("''", i):
            builder.add_reference("'", i, i + 2)
            i += 2
        elif char == quote:
            return
        elif char == "\\" and quote == '"' and i + 1 < end:
            code = source[i + 1]
            if code == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", source[i + 2 : i + 6]):
                builder.add_reference(chr(int(source[i + 2 : i + 6], 16)), i, i + 6)
                i += 6
            else:
                builder.add_reference(_ESCAPES.get(code, code), i, i + 2)
                i += 2
        else:
            builder.add(char, i)
            i += 1


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

    def place_loosely(self, content: str, builder: Builder) -> None:
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


def _inline(children, cursor: _Cursor, builder: Builder, stack: ElementStack) -> None:  # type: ignore[no-untyped-def]
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
            HtmlPiece(builder, stack, child.content, at if at >= 0 else cursor.at).run()
            builder.hidden = stack.hidden
        elif kind == "image":
            cursor.find("![")
            cursor.find("]")
            cursor.at -= 1
            cursor.skip_destination()
        elif kind == "link_close":
            cursor.skip_destination()
