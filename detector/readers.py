"""Streaming dump readers (txt, jsonl, json, csv, gzipped or not): records out, bad input as errors."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from detector.errors import MissingExtra, UsageError
from detector.markup.text import HiddenRun

FORMATS = ("txt", "jsonl", "json", "csv", "md", "warc", "arc", "html")
EXTENSIONS = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
EXTENSIONS |= {".md": "md", ".markdown": "md"}
# Crawl formats, read by detector.readers_crawl (optional extra `crawl`).
EXTENSIONS |= {".warc": "warc", ".arc": "arc", ".html": "html", ".htm": "html"}
_BINARY_OK = ("warc", "arc")  # archives carry images and other binary payloads

# Hard cap on one JSONL/CSV line, one JSON array element and one .txt file. Longer input is
# reported and skipped without being held whole.
MAX_RECORD_BYTES = 64 * 1024 * 1024
# Deeper JSON is an error, checked before the json module recurses into it: its C decoder stops
# at the recursion limit, which only protects the C stack while that limit is at its default.
MAX_JSON_DEPTH = 500
_SAFE_RECURSION_LIMIT = 1000  # CPython's default; above it, .json elements are depth-checked first

STDIN = "-"
STDIN_NAME = "<stdin>"
_SNIFF_BYTES = 8192  # NUL bytes in this much of a file mark it binary
_CHUNK = 1 << 18
_BOM = codecs.BOM_UTF8
_JSON_SPACE = " \t\r\n"
_BAD_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of invalid UTF-8 bytes


@dataclass(frozen=True, slots=True)
class Record:
    """One document as read: `raw` is the parsed object (JSON object, CSV row) for writing back."""

    id: str  # the id field, else `source` (the path for .txt)
    source: str  # "file" (.txt), "file:line" (.jsonl, .csv), "file:N" (N-th element of a .json)
    text: str
    title: str | None
    format: str  # "txt" | "jsonl" | "json" | "csv" | "md" | "warc" | "arc" | "html"
    raw: object = None
    url: str | None = None  # the page's address, for crawl formats
    # Runs of an HTML page hidden from readers (CSS, the `hidden` attribute) that its main-text
    # extraction dropped or kept, each with whether its words are also visible on the page:
    # the scanner looks at them too (`Scanner.scan_records`).
    hidden: tuple[HiddenRun, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordError:
    """A file or record that could not be read; reading goes on after it."""

    source: str  # "file" or "file:line"
    message: str


def iter_records(
    paths: Iterable[str] | str,
    *,
    input_format: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str = "title",
    skipped: list[str] | None = None,
) -> Iterator[Record | RecordError]:
    """Stream the records of files, folders (walked recursively, sorted, hidden entries skipped)
    and `-` (stdin), in order. Unreadable files and records come out as `RecordError`s.

    Parameters
    ----------
    paths : files, folders or "-"; a single path may be passed as a plain string.
    input_format : read every file as this format (one of FORMATS) instead of going
        by its extension; in folders, files with unknown extensions are then read too.
    text_field, id_field, title_field : field names in JSON objects and CSV headers.
    skipped : if given, the files found in folders and not read (an extension no reader
        takes, such as `.md` or `.png`) are appended to it, for the caller to tell.
    """
    if input_format is not None and input_format not in FORMATS:
        raise UsageError(f"unknown input format {input_format!r}; expected one of {FORMATS}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _records(paths, input_format, _Fields(text_field, id_field, title_field), skipped)


def dump_files(
    paths: Iterable[str] | str,
    *,
    input_format: str | None = None,
    skipped: list[str] | None = None,
) -> Iterator[DumpFile | RecordError]:
    """The files `iter_records` reads for `paths`, in the same order, each with the format it is
    read as (None: sniffed, stdin only) and whether it is gzipped; unreadable folders as errors.
    `skipped` as for `iter_records`."""
    if input_format is not None and input_format not in FORMATS:
        raise UsageError(f"unknown input format {input_format!r}; expected one of {FORMATS}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _targets(paths, input_format, skipped)


# -- which files, in which format -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fields:
    text: str
    id: str
    title: str


class _Target(NamedTuple):
    path: str
    format: str | None  # None: sniff (stdin only)
    compressed: bool


def _records(
    paths: Iterable[str], input_format: str | None, fields: _Fields, skipped: list[str] | None
) -> Iterator[Record | RecordError]:
    for target in _targets(paths, input_format, skipped):
        if isinstance(target, RecordError):
            yield target
        else:
            yield from _read_target(target, fields)


DumpFile = _Target  # path, format, compressed: one file of a dump, as `dump_files` yields it


def _targets(
    paths: Iterable[str], input_format: str | None, skipped: list[str] | None = None
) -> Iterator[_Target | RecordError]:
    for given in paths:
        path = os.fspath(given)
        if path == STDIN:
            yield _Target(STDIN, input_format, False)
        elif os.path.isdir(path):
            for found in walk(path):
                if isinstance(found, RecordError):
                    yield found
                    continue
                fmt, compressed = _format_of(found)
                if input_format or fmt:
                    yield _Target(found, input_format or fmt, compressed)
                elif skipped is not None:
                    skipped.append(found)
        else:
            fmt, compressed = _format_of(path)
            yield _Target(path, input_format or fmt or "txt", compressed)


def walk(folder: str, skip: frozenset[str] = frozenset()) -> Iterator[str | RecordError]:
    """Files under `folder`, depth first in name order; hidden entries and symlinked folders are
    skipped (as `os.walk` does), and so is anything that is not a regular file, and folders
    named in `skip`, which are not entered (`walked` says the same of one path)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted((e for e in scan if not _hidden(e.name)), key=lambda e: e.name)
    except OSError as exc:
        yield RecordError(folder, f"cannot read folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in skip:
                yield from walk(entry.path, skip)
        elif entry.is_file():
            yield entry.path


def walked(parts: Sequence[str], skip: frozenset[str] = frozenset()) -> bool:
    """Whether `walk(folder, skip)` reaches the file at these path parts under `folder` (which
    need not exist yet): none of them hidden, none of its folders skipped."""
    return not any(_hidden(part) for part in parts) and skip.isdisjoint(parts[:-1])


def _hidden(name: str) -> bool:
    return name.startswith(".")


def split_source(source: str) -> tuple[str, int | None]:
    """A record's `source` as its file and its line or element number (`dump.jsonl:7`), or the
    file alone (None) when the record is the whole file."""
    head, colon, tail = source.rpartition(":")
    return (head, int(tail)) if colon and tail.isdigit() else (source, None)


def _format_of(path: str) -> tuple[str | None, bool]:
    """The format an extension names (None if unknown), and whether a `.gz` suffix follows it."""
    name = os.path.basename(path).lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    return EXTENSIONS.get(os.path.splitext(name)[1]), compressed


def _sniff(head: bytes) -> str:
    start = head.lstrip()[:1]
    return {b"{": "jsonl", b"[": "json"}.get(start, "txt")


# -- opening a file: gzip, BOM, empty and binary files ----------------------------------------


class _Source(NamedTuple):
    name: str  # the path as reported in sources
    head: bytes  # the first bytes, already read from `stream` (BOM removed)
    stream: BinaryIO  # the rest
    format: str  # how it is read: by its extension, `--input-format`, or sniffed


def _read_target(target: _Target, fields: _Fields) -> Iterator[Record | RecordError]:
    name = STDIN_NAME if target.path == STDIN else target.path
    try:
        with open_dump(target) as stream:
            head = stream.read(_SNIFF_BYTES)
            head = head[len(_BOM) :] if head.startswith(_BOM) else head
            if not head:
                yield RecordError(name, "empty file")
            elif b"\0" in head and target.format not in _BINARY_OK:
                yield RecordError(name, "binary file, skipped" + _hint(head))
            else:
                fmt = target.format or _sniff(head)
                yield from _READERS[fmt](_Source(name, head, stream, fmt), fields)
    except (OSError, EOFError, zlib.error) as exc:
        yield RecordError(name, _describe(exc, target.compressed))
    except MissingExtra as exc:
        yield RecordError(name, str(exc))


def _hint(head: bytes) -> str:
    """What a binary-looking file may really be, and what to do about it."""
    if head.startswith(b"\x1f\x8b"):
        return " (gzip data: name it .gz, or zcat it into stdin)"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return " (UTF-16 text: convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8)"
    return ""


def open_dump(target: _Target) -> AbstractContextManager[BinaryIO]:
    if target.path == STDIN:
        return nullcontext(_stdin_bytes())
    if target.compressed:
        return gzip.open(target.path, "rb")  # type: ignore[return-value]
    return open(target.path, "rb")


def _stdin_bytes() -> BinaryIO:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    # A text-only stdin (an embedding application's StringIO) has no bytes to stream.
    return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))


def _describe(exc: BaseException, compressed: bool) -> str:
    if compressed and isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return f"corrupt gzip file: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read: {exc.strerror}"
    return f"cannot read: {exc}"


# -- records from parsed objects ---------------------------------------------------------------


class _BadRecord(Exception):
    """One record cannot be used; its message becomes a RecordError."""


def _to_record(obj: object, source: str, fmt: str, fields: _Fields) -> Record:
    if not isinstance(obj, dict):
        raise _BadRecord(f"expected a JSON object, got {_kind(obj)}")
    if fields.text not in obj:
        keys = [str(k) for k in itertools.islice(obj, 8)]
        listed = ", ".join(keys) + (", ..." if len(obj) > len(keys) else "")
        raise _BadRecord(f"no {fields.text!r} field (fields: {listed or 'none'})")
    text = obj[fields.text]
    if not isinstance(text, str):
        raise _BadRecord(f"field {fields.text!r} is {_kind(text)}, not a string")
    title = obj.get(fields.title)
    ident = _identifier(obj.get(fields.id)) or source
    return Record(ident, source, text, title if isinstance(title, str) else None, fmt, obj)


def _identifier(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value else None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    kinds = {dict: "an object", list: "an array", str: "a string"}
    return kinds.get(type(value), type(value).__name__)


_STRUCTURE = re.compile(r'["\[\]{},]')  # what matters outside strings
_STRING_END = re.compile(r'["\\]')  # what matters inside one
_TOO_DEEP = f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)"


def _loads(text: str) -> object:
    """Parse one JSON value; nesting too deep for the json module is a _BadRecord."""
    if _nested_deeper_than(text, MAX_JSON_DEPTH):
        raise _BadRecord(_TOO_DEEP)
    try:
        return json.loads(text)
    except RecursionError:  # under the depth cap, but the caller's stack was already deep
        raise _BadRecord(_TOO_DEEP) from None
    except json.JSONDecodeError:
        raise  # the caller says where: a column in a line, a line in a file
    except ValueError as exc:  # e.g. an integer over the int-to-str digit limit
        raise _BadRecord(f"invalid JSON: {exc}") from None


def _nested_deeper_than(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit`. Counting brackets rules out
    almost every record at C speed; the rest are walked without recursion."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, pos = 0, False, 0
    while match := (_STRING_END if in_string else _STRUCTURE).search(text, pos):
        char, pos = match.group(), match.end()
        if in_string:
            in_string = char != '"'
            pos += char == "\\"  # skip the escaped character
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _too_long(what: str) -> str:
    return f"{what} longer than {MAX_RECORD_BYTES:,} bytes, skipped"


# -- physical lines ----------------------------------------------------------------------------


def _lines(head: bytes, stream: BinaryIO) -> Iterator[bytes | None]:
    """Physical lines (split on b"\\n" only, ending kept) of `head` then `stream`. None stands for
    a line over MAX_RECORD_BYTES, which is skipped without being held whole."""
    limit = MAX_RECORD_BYTES
    *complete, pending = head.split(b"\n")
    for line in complete:
        yield line + b"\n" if len(line) <= limit else None
    while True:
        want = limit + 1 - len(pending)
        line = pending + stream.readline(want) if want > 0 else pending
        pending = b""
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_line(stream)
            yield None
        else:
            yield line


def _skip_line(stream: BinaryIO) -> None:
    while True:
        piece = stream.readline(_CHUNK)
        if not piece or piece.endswith(b"\n"):
            return


# -- txt ---------------------------------------------------------------------------------------


def _read_txt(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """One document per file, exactly as stored (\\r\\n kept); not UTF-8 is one error."""
    want = MAX_RECORD_BYTES + 1 - len(src.head)
    data = src.head + src.stream.read(want) if want > 0 else src.head
    if len(data) > MAX_RECORD_BYTES:
        yield RecordError(src.name, _too_long("file"))
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield RecordError(src.name, f"invalid UTF-8 at line {line}; not a UTF-8 text file")
        return
    yield Record(src.name, src.name, text, None, "txt")


def _read_markdown(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """One document per Markdown file: the title and text a reader sees, as `detector check`
    reads them (markup, code and front matter metadata left out); findings point into that
    text, which is what a report's `text` holds."""
    from detector.markup import extract

    for item in _read_txt(src, fields):
        if isinstance(item, RecordError):
            yield item
            continue
        extracted = extract(item.text, "markdown")
        page = extracted.fields
        title = page["title"].text if "title" in page else None
        # HTML in the page that readers never see; the body's (the scan marks hidden runs in
        # the text: a title's own, scanned in the title, would come back as a paragraph).
        hidden = tuple(extracted.hidden_runs("text"))
        yield Record(src.name, src.name, page["text"].text, title, "md", hidden=hidden)


# -- jsonl -------------------------------------------------------------------------------------


def _read_jsonl(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """One JSON object per line; blank lines are skipped, every other bad line is one error."""
    seen = False
    for n, line in enumerate(_lines(src.head, src.stream), start=1):
        source = f"{src.name}:{n}"
        try:
            text = _decode_line(line)
            if not text.strip(_JSON_SPACE):
                continue
            seen = True
            yield _to_record(_loads_line(text), source, "jsonl", fields)
        except _BadRecord as exc:
            seen = True
            yield RecordError(source, str(exc))
    if not seen:
        yield RecordError(src.name, "empty file (blank lines only)")


def _decode_line(line: bytes | None) -> str:
    if line is None:
        raise _BadRecord(_too_long("line"))
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _BadRecord(f"invalid UTF-8 at byte {exc.start + 1} of the line") from None


def _loads_line(text: str) -> object:
    try:
        return _loads(text.rstrip("\r\n"))  # so an unterminated string is called that
    except json.JSONDecodeError as exc:
        raise _BadRecord(f"invalid JSON: {_reason(exc)} at column {exc.colno}") from None


def _reason(exc: json.JSONDecodeError) -> str:
    return exc.msg.removesuffix(" at")  # "Unterminated string starting at" + " at column 5"


# -- json --------------------------------------------------------------------------------------


def _read_json(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """A top-level array of objects, cut into elements as it streams in: one element in memory,
    and a bad element is one error (`file:N`) with the elements after it still read."""
    splitter = _ArraySplitter(_decoded_chunks(src.head, src.stream))
    try:
        for n, element in enumerate(splitter.elements(), start=1):
            source = f"{src.name}:{n}"
            try:
                yield _to_record(_element_value(element), source, "json", fields)
            except _BadRecord as exc:
                yield RecordError(source, str(exc))
    except _BadRecord as exc:
        yield RecordError(src.name, str(exc))


def _element_value(element: _Element) -> object:
    if element.text is None:
        raise _BadRecord(_too_long("array element"))
    if _BAD_BYTE.search(element.text):
        raise _BadRecord(f"invalid UTF-8 in the element starting at line {element.line}")
    if element.value is not _UNPARSED:  # decoded in place: same depth rule as _loads
        if _nested_deeper_than(element.text, MAX_JSON_DEPTH):
            raise _BadRecord(_TOO_DEEP)
        return element.value
    try:
        return _loads(element.text)
    except json.JSONDecodeError as exc:
        line = element.line + exc.lineno - 1
        raise _BadRecord(f"invalid JSON: {_reason(exc)} at line {line}") from None


def _decoded_chunks(head: bytes, stream: BinaryIO) -> Iterator[str]:
    """UTF-8 text in chunks; invalid bytes become lone surrogates (found later per element)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    data = head
    while data:
        text = decoder.decode(data)
        if text:
            yield text
        data = stream.read(_CHUNK)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


_UNPARSED = object()
_NON_SPACE = re.compile(r"[^ \t\r\n]")


class _Element(NamedTuple):
    line: int  # where it starts
    text: str | None  # None when over MAX_RECORD_BYTES
    value: object = _UNPARSED


class _ArraySplitter:
    """Finds the elements of a JSON array in a stream of text chunks. Each element is decoded in
    place when it can be (the fast path); otherwise its end is found by tracking strings and
    bracket depth, which never recurses, so a broken or deeply nested element is cut out whole."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self._chunks = chunks
        self._buf = ""
        self._pos = 0  # the scan position in _buf (may sit one past the end after a backslash)
        self._start = 0  # _buf[:_start] may be dropped
        self._line = 1  # the line number at _buf[_counted]
        self._counted = 0
        self._count = 0  # elements seen
        self._decoder = json.JSONDecoder()
        self._fast = sys.getrecursionlimit() <= _SAFE_RECURSION_LIMIT  # see MAX_JSON_DEPTH

    def elements(self) -> Iterator[_Element]:
        """The elements in order; raises _BadRecord once the array itself is broken."""
        first = self._peek()
        if first is None:
            raise _BadRecord("empty file (whitespace only)")
        if first != "[":
            raise _BadRecord(f"expected a JSON array of objects, found {_kind_of_start(first)}")
        self._pos += 1
        if self._peek() == "]":
            self._pos += 1
        else:
            yield from self._items()
        if self._peek() is not None:
            raise _BadRecord(f"invalid JSON: data after the array at line {self._line_at()}")

    def _items(self) -> Iterator[_Element]:
        while True:
            if self._peek() is None:
                raise _BadRecord("invalid JSON: file ends before the array is closed")
            self._count += 1
            yield self._element()
            delimiter = self._peek()  # "," or "]", which end an element, or None at the end
            if delimiter is None:
                raise _BadRecord("invalid JSON: file ends before the array is closed")
            self._pos += 1
            if delimiter == "]":
                return
            if self._peek() == "]":
                raise _BadRecord(f"invalid JSON: trailing comma at line {self._line_at()}")

    def _element(self) -> _Element:
        self._start = self._pos
        line = self._line_at()
        if not self._fast:
            return self._scan(line)
        try:
            value, end = self._decoder.raw_decode(self._buf, self._pos)
        except (ValueError, RecursionError):
            return self._scan(line)
        after = _NON_SPACE.search(self._buf, end)
        if after is None or after.group() not in ",]":
            return self._scan(line)  # unfinished in the buffer, or junk after it: cut it out
        text = self._buf[self._start : end]
        self._pos = after.start()
        if len(text) > MAX_RECORD_BYTES:
            return _Element(line, None)
        return _Element(line, text, value)

    def _scan(self, line: int) -> _Element:
        """Cut the element at _start up to the "," or "]" that ends it, reading more as needed."""
        depth, in_string, too_long = 0, False, False
        while True:
            match = (_STRING_END if in_string else _STRUCTURE).search(self._buf, self._pos)
            if match is None:
                self._pos = max(self._pos, len(self._buf))
                too_long = too_long or self._pos - self._start > MAX_RECORD_BYTES
                if too_long:
                    self._start = min(self._pos, len(self._buf))  # keep nothing of it
                if not self._fill():
                    if depth == 0 and not in_string:  # a whole element, then the file ends
                        return self._cut(line, too_long)
                    raise _BadRecord(
                        f"invalid JSON: file ends inside element {self._count} "
                        f"(which starts at line {line})"
                    )
                continue
            char, self._pos = match.group(), match.end()
            if in_string:
                in_string = char != '"'
                self._pos += char == "\\"  # skip the escaped character
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
            elif depth:
                depth -= char in "]}"
            elif char in ",]":
                self._pos = match.start()
                return self._cut(line, too_long)

    def _cut(self, line: int, too_long: bool) -> _Element:
        text = self._buf[self._start : self._pos]
        too_long = too_long or len(text) > MAX_RECORD_BYTES
        return _Element(line, None if too_long else text)

    def _peek(self) -> str | None:
        """The next non-whitespace character, left unread; None at the end of the input."""
        while True:
            match = _NON_SPACE.search(self._buf, self._pos)
            if match is not None:
                self._pos = match.start()
                return match.group()
            self._pos = self._start = len(self._buf)
            if not self._fill():
                return None

    def _fill(self) -> bool:
        """Append the next chunk, dropping the text before _start; False at the end."""
        chunk = next(self._chunks, "")
        if not chunk:
            return False
        cut = self._start
        self._line_at(cut)
        self._buf = self._buf[cut:] + chunk
        self._pos -= cut
        self._counted -= cut
        self._start = 0
        return True

    def _line_at(self, pos: int | None = None) -> int:
        """The line number at `pos` (default: the scan position); positions only move forward."""
        pos = min(self._pos if pos is None else pos, len(self._buf))
        if pos > self._counted:
            self._line += self._buf.count("\n", self._counted, pos)
            self._counted = pos
        return self._line


def _kind_of_start(char: str) -> str:
    if char == "{":
        return "an object (for one object per line use .jsonl or --input-format jsonl)"
    return f"{char!r}"


# -- csv ---------------------------------------------------------------------------------------


def _read_csv(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """A header row, then one record per row (`file:line` of the row's first line); a row that
    spans an over-long line or cannot be parsed is one error."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    long_lines: list[int] = []
    reader = csv.reader(_csv_lines(src, long_lines))
    header: list[str] | None = None
    while True:
        source = f"{src.name}:{reader.line_num + 1}"
        try:
            row: list[str] | csv.Error | None = next(reader, None)
        except csv.Error as exc:
            row = exc
        spoiled = bool(long_lines)
        while long_lines:
            yield RecordError(f"{src.name}:{long_lines.pop(0)}", _too_long("line"))
        if row is None:
            return
        if isinstance(row, csv.Error):  # drop the csv module's hint about opening files
            yield RecordError(source, f"invalid CSV: {str(row).split(' - ')[0]}")
        elif spoiled or not row:
            continue
        elif header is None:
            header = row
            if fields.text not in header or _BAD_BYTE.search("".join(header)):
                yield RecordError(source, _bad_header(header, fields))
                return
        else:
            try:
                yield _csv_record(header, row, source, fields)
            except _BadRecord as exc:
                yield RecordError(source, str(exc))


def _csv_lines(src: _Source, long_lines: list[int]) -> Iterator[str]:
    """Decoded physical lines for the csv module; an over-long line becomes an empty one and its
    number is noted in `long_lines`. Invalid UTF-8 survives as lone surrogates."""
    for n, line in enumerate(_lines(src.head, src.stream), start=1):
        if line is None:
            long_lines.append(n)
            yield "\n"
        else:
            yield line.decode("utf-8", "surrogateescape")


def _bad_header(header: list[str], fields: _Fields) -> str:
    if _BAD_BYTE.search("".join(header)):
        return "invalid UTF-8 in the CSV header"
    columns = ", ".join(repr(c) for c in header[:20]) + (", ..." if len(header) > 20 else "")
    return f"CSV header has no {fields.text!r} column (columns: {columns})"


def _csv_record(header: list[str], row: list[str], source: str, fields: _Fields) -> Record:
    if len(row) != len(header):
        raise _BadRecord(f"row has {len(row)} fields, the header {len(header)}")
    if any(_BAD_BYTE.search(value) for value in row):
        raise _BadRecord("invalid UTF-8 in the row")
    return _to_record(dict(zip(header, row, strict=True)), source, "csv", fields)


def _read_crawl(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    from detector.readers_crawl import read_archive

    return read_archive(src, fields)


def _read_html(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    from detector.readers_crawl import read_html

    return read_html(src, fields)


_READERS: dict[str, Callable[[_Source, _Fields], Iterator[Record | RecordError]]] = {
    "txt": _read_txt,
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _read_csv,
    "md": _read_markdown,
    "warc": _read_crawl,
    "arc": _read_crawl,
    "html": _read_html,
}
