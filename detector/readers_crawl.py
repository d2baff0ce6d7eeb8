"""Crawl formats: WARC and ARC archives (through `warcio`) and HTML pages (through
`trafilatura`, which keeps the article's main text and drops navigation and page furniture).
A page becomes one record: its extracted text and title, the WARC record id and the URL."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from detector.errors import MissingExtra
from detector.markup.text import HiddenRun
from detector.readers import MAX_RECORD_BYTES, Record, RecordError, _Fields, _Source, _too_long

_INSTALL = "pip install 'content-integrity-detector[crawl]'"
# What a crawl record must be to hold an article: an HTML page, or text already extracted
# (WET `conversion` records, plain-text resources).
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain",)
_RECORD_TYPES = ("response", "resource", "conversion")
# Every way `detector.markup` hides text names one of these (`hidden`, `display:none`,
# `visibility:hidden`, `font-size:0`).
_MAY_HIDE = re.compile(r"hidden|display|font-size", re.IGNORECASE)
_CUT_HEADER = "unreadable record: the archive is cut or corrupt inside it"
_TRAILING = 4  # line ends after the last record are no record
_ESSENTIAL = ("WARC-Type", "Content-Length")  # what every WARC record's header block has


def read_archive(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """The pages of a WARC or ARC file (gzipped per record, as a whole, or not at all), in
    order; `file:N` is the N-th record of the archive, counting every record."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise MissingExtra(f"reading WARC and ARC files needs warcio: {_INSTALL}") from None
    joined = _Joined(src.head, src.stream)
    records = ArchiveIterator(io.BufferedReader(joined))
    warc = src.format == "warc"
    n, stub = 0, None
    try:
        for n, rec in enumerate(records, start=1):  # noqa: B007 - n is reported after the loop
            source = f"{src.name}:{n}"
            if warc and rec.format == "arc":  # warcio reads any line as an old ARC header
                yield RecordError(source, "not a WARC record (no WARC/1.x header)")
                return
            # A header block without these is one the end of the file cut (`WARC/1.0` and
            # half a line): told below if nothing follows it. Line ends after the last record
            # come out as a record with no header at all, which is none.
            headers = rec.rec_headers
            lacking = [h for h in _ESSENTIAL if warc and not headers.get_header(h)]
            stub = (source, lacking) if lacking and (headers.headers or headers.protocol) else None
            page = _record_page(rec, source)
            if page is not None:
                yield page
    except ArchiveLoadFailed as exc:
        yield RecordError(f"{src.name}:{n + 1}", f"not a WARC or ARC record: {exc.msg}")
        return
    except (EOFError, zlib.error, gzip.BadGzipFile):
        raise  # a corrupt gzip file: the reader names it
    except MissingExtra:
        raise  # the file's error, as for any page without trafilatura
    except Exception as exc:  # warcio on a record cut inside its headers, and the like
        yield RecordError(f"{src.name}:{n + 1}", f"unreadable record ({type(exc).__name__}: {exc})")
        return
    if stub is not None:
        source, lacking = stub
        yield RecordError(source, f"{_CUT_HEADER} (no {', '.join(lacking)})")
    # warcio also ends quietly where a record's header block, or a gzip member, is cut before
    # its end: the bytes after the last record it read were never a record.
    elif joined.drained() - records.offset > _TRAILING:
        yield RecordError(f"{src.name}:{n + 1}", _CUT_HEADER)


def _record_page(rec: Any, source: str) -> Record | RecordError | None:
    """The page one crawl record holds; None for requests, metadata, images and pages with no
    main text; an error for a record too long, or one the end of the archive cuts short."""
    arc = rec.format == "arc"  # ARC records name their URL `uri` and have no id
    kind = _content_type(rec) if rec.rec_type in _RECORD_TYPES else ""
    page = kind in _HTML or kind in _TEXT
    payload = rec.content_stream().read(MAX_RECORD_BYTES + 1) if page else b""
    if len(payload) > MAX_RECORD_BYTES:
        return RecordError(source, _too_long("record"))
    missing = _missing_bytes(rec, drain=not page)
    if missing:  # a cut download or copy, or a Content-Length the record does not hold
        return RecordError(
            source, f"truncated record: {missing} bytes short of the length its header declares"
        )
    if not page:
        return None
    url = rec.rec_headers.get_header("uri" if arc else "WARC-Target-URI")
    ident = (None if arc else rec.rec_headers.get_header("WARC-Record-ID")) or source
    # None: an index or media page without an article, nothing to scan.
    return _page(payload, kind, ident, source, url, "arc" if arc else "warc")


def read_html(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """One HTML page per file: its main text and title; the id is the path."""
    data = src.head + src.stream.read(MAX_RECORD_BYTES + 1 - len(src.head))
    if len(data) > MAX_RECORD_BYTES:
        yield RecordError(src.name, _too_long("file"))
        return
    page = _page(data, "text/html", src.name, src.name, None, "html")
    yield page or RecordError(src.name, "no main text found in the HTML page")


def _page(
    payload: bytes, kind: str, ident: str, source: str, url: str | None, fmt: str
) -> Record | None:
    """The record of one page; None when an HTML page has no main text."""
    if kind in _TEXT:
        return Record(ident, source, payload.decode("utf-8", "replace"), None, fmt, url=url)
    html = _decode(payload)
    extracted = _extract(html, url)
    if extracted is None:
        return None
    title, text = extracted
    return Record(ident, source, text, title, fmt, url=url, hidden=_hidden_runs(html))


def _hidden_runs(html: str) -> tuple[HiddenRun, ...]:
    """The text of the page that CSS or the `hidden` attribute hide from readers, read by the
    same HTML reader as `detector check`: the main-text extraction keeps no trace of it, and a
    `display:none` link block is the oldest way to slip spam into a page."""
    if not _MAY_HIDE.search(html):  # no second parse of a page that hides nothing
        return ()
    from detector.markup import extract

    return tuple(extract(html, "html").hidden_runs())


def _decode(payload: bytes) -> str:
    """The page as text, in the encoding trafilatura finds (declared or guessed), so the main
    text and the hidden runs are read alike."""
    try:
        from trafilatura.utils import decode_file
    except ImportError:
        raise MissingExtra(f"reading HTML pages needs trafilatura: {_INSTALL}") from None
    return decode_file(payload)


def _extract(html: str, url: str | None) -> tuple[str | None, str] | None:
    """The page's title and main text; the title's own line is dropped from the text, since it
    is scanned as the title."""
    import trafilatura

    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if found is None or not (found.text or "").strip():
        return None
    text, title = found.text, found.title or None
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :]
    return title, text


def _missing_bytes(rec: Any, *, drain: bool) -> int:
    """How many bytes of its declared length a record lacks because the archive ended (0 when
    whole). With `drain`, the record's bytes are read through first (a record not scanned);
    otherwise its content has been read, and bytes left after it (padding after a compressed
    HTTP body) are not missing: they are still there to read."""
    raw = rec.raw_stream
    if drain:
        while raw.read(1 << 16):
            pass
    left = int(getattr(raw, "limit", 0) or 0)
    return left if left and (drain or not raw.read(1)) else 0


def _content_type(rec: object) -> str:
    headers = rec.http_headers or rec.rec_headers  # type: ignore[attr-defined]
    value = headers.get_header("Content-Type") or ""
    return value.split(";")[0].strip().lower()


class _Joined(io.RawIOBase):
    """The bytes already read for sniffing, then the rest of the stream, as one raw stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._stream.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self._count += n
        return n

    def drained(self) -> int:
        """Read what is left, and return how many bytes the whole stream held."""
        self._count += len(self._head) + sum(
            len(b) for b in iter(lambda: self._stream.read(1 << 16), b"")
        )
        self._head = memoryview(b"")
        return self._count
