"""HTML to mapped text with the standard library's `html.parser`: block elements end lines,
whitespace collapses, character references decode in place, code and scripts are skipped, and
elements hidden by CSS or the `hidden` attribute mark their text as hidden."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from detector.lines import LF, LineIndex
from detector.markup.text import Builder

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
_ZERO = re.compile(r"^(?=[.0]*0)0*\.?0*[a-z%]*$")


class ElementStack:
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


class HtmlPiece(HTMLParser):
    """Parses one piece of HTML starting at `base` in the source, into the builder."""

    def __init__(self, builder: Builder, stack: ElementStack, text: str, base: int) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = builder
        self.stack = stack
        self.text = text
        self.base = base
        self.lines = LineIndex(text, LF)  # `getpos` lines

    def run(self) -> None:
        self.feed(self.text)
        self.close()

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """`<![` with no name after it is a bogus comment up to the next `>`, as browsers and
        Python 3.13 read it (earlier versions raise AssertionError)."""
        where = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = where  # it moved the position before giving up
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1  # -1: wait for more, or `close` reads it as text

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
