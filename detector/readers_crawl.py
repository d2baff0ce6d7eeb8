"""Crawl formats: WARC and ARC archives (through `warcio`) and HTML pages (through
`trafilatura`, which keeps the article's main text and drops navigation and page furniture).
A page becomes one record: its extracted text and title, the WARC record id and the URL."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from detector.errors import UsageError
from detector.readers import MAX_RECORD_BYTES, Record, RecordError, _Fields, _Source, _too_long

_INSTALL = "pip install 'content-integrity-detector[crawl]'"
# What a crawl record must be to hold an article: an HTML page, or text already extracted
# (WET `conversion` records, plain-text resources).
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain",)
_RECORD_TYPES = ("response", "resource", "conversion")
# Every way `detector.markup` hides text names one of these (`hidden`, `display:none`,
# `visibility:hidden`, `font-size:0`).
_MAY_HIDE = re.compile(rb"hidden|display|font-size", re.IGNORECASE)


def read_archive(src: _Source, fields: _Fields) -> Iterator[Record | RecordError]:
    """The pages of a WARC or ARC file (gzipped per record, as a whole, or not at all), in
    order; `file:N` is the N-th record of the archive, counting every record."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise UsageError(f"reading WARC and ARC files needs warcio: {_INSTALL}") from None
    records = ArchiveIterator(io.BufferedReader(_Joined(src.head, src.stream)))
    warc = src.format == "warc"
    n = 0
    try:
        for n, rec in enumerate(records, start=1):  # noqa: B007 - n is reported after the loop
            source = f"{src.name}:{n}"
            arc = rec.format == "arc"  # ARC records name their URL `uri` and have no id
            if warc and arc:  # warcio reads any line as an old ARC header: this is no WARC
                yield RecordError(source, "not a WARC record (no WARC/1.x header)")
                return
            if rec.rec_type not in _RECORD_TYPES:
                continue
            url = rec.rec_headers.get_header("uri" if arc else "WARC-Target-URI")
            ident = (None if arc else rec.rec_headers.get_header("WARC-Record-ID")) or source
            kind = _content_type(rec)
            if kind not in _HTML and kind not in _TEXT:
                continue
            payload = rec.content_stream().read(MAX_RECORD_BYTES + 1)
            if len(payload) > MAX_RECORD_BYTES:
                yield RecordError(source, _too_long("record"))
                continue
            missing = _missing_bytes(rec)
            if missing:  # the archive ends inside this record: a cut download or copy
                yield RecordError(
                    source,
                    f"truncated record: the archive ends {missing} bytes before the record does",
                )
                continue
            page = _page(payload, kind, ident, source, url, "arc" if arc else "warc")
            if page is not None:  # an index or media page without an article: nothing to scan
                yield page
    except ArchiveLoadFailed as exc:
        yield RecordError(f"{src.name}:{n + 1}", f"not a WARC or ARC record: {exc.msg}")
        return


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
    extracted = _extract(payload, url)
    if extracted is None:
        return None
    title, text = extracted
    return Record(ident, source, text, title, fmt, url=url, hidden=_hidden_runs(payload))


def _hidden_runs(payload: bytes) -> tuple[str, ...]:
    """The text of the page that CSS or the `hidden` attribute hide from readers, read by the
    same HTML reader as `detector check`: the main-text extraction keeps no trace of it, and a
    `display:none` link block is the oldest way to slip spam into a page."""
    if not _MAY_HIDE.search(payload):  # most pages: no second parse
        return ()
    from detector.markup import extract

    return tuple(extract(payload.decode("utf-8", "replace"), "html").hidden_runs())


def _extract(html: bytes, url: str | None) -> tuple[str | None, str] | None:
    """The page's title and main text; the title's own line is dropped from the text, since it
    is scanned as the title."""
    try:
        import trafilatura
    except ImportError:
        raise UsageError(f"reading HTML pages needs trafilatura: {_INSTALL}") from None
    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if found is None or not (found.text or "").strip():
        return None
    text, title = found.text, found.title or None
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :]
    return title, text


def _missing_bytes(rec: object) -> int:
    """How many bytes of its declared length a record, read to the end of its content, lacks
    because the archive ended (0 when whole). Bytes left after the content (padding after a
    compressed HTTP body) are not missing: they are still there to read."""
    raw = rec.raw_stream  # type: ignore[attr-defined]
    left = int(getattr(raw, "limit", 0) or 0)
    return left if left and not raw.read(1) else 0


def _content_type(rec: object) -> str:
    headers = rec.http_headers or rec.rec_headers  # type: ignore[attr-defined]
    value = headers.get_header("Content-Type") or ""
    return value.split(";")[0].strip().lower()


class _Joined(io.RawIOBase):
    """The bytes already read for sniffing, then the rest of the stream, as one raw stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
