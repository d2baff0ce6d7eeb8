"""Writing a dump back in its own format (txt, jsonl, json, csv, gzipped or not, folders) with
each record's text and title cleaned and every other field as read. Inputs are never written
to: each output file is written beside its destination and renamed into place when complete."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import zlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from detector.atomic import atomic_binary, text_over
from detector.clean import CleanedDocument, clean_fields
from detector.errors import UsageError
from detector.readers import (
    STDIN,
    DumpFile,
    Record,
    RecordError,
    dump_files,
    iter_records,
    open_dump,
    split_source,
)  # fmt: skip
from detector.report.encoding import dumps
from detector.scanner import Scanner


@dataclass(frozen=True, slots=True)
class CleanedRecord:
    """One record as read and as written; `output` is the file it went to."""

    id: str
    source: str
    output: Path
    original: dict[str, str]
    cleaned: CleanedDocument


@dataclass(frozen=True, slots=True)
class Fields:
    text: str = "text"
    id: str = "id"
    title: str = "title"


Planned = tuple[DumpFile | RecordError, Path]


def plan(
    paths: Sequence[str],
    output: Path,
    *,
    input_format: str | None = None,
    force: bool = False,
    skipped: list[str] | None = None,
) -> list[Planned]:
    """Each dump file under `paths` with the file its cleaned copy goes to (a folder that
    cannot be read, as its RecordError). One input file maps
    to `output` itself; otherwise `output` is a folder mirroring the inputs (a single folder's
    content at its top, several inputs each under its own name). Files in folders that no
    reader takes, and Markdown files there (a README among the dumps), are appended to
    `skipped`, if given. Raises UsageError for stdin, an existing
    output without `force`, or an output that would land on or in an input."""
    if STDIN in paths:
        raise UsageError("clean reads files, not stdin: name the dump and an --output")
    if output.exists() and not force:
        raise UsageError(f"{output} exists; pass --force to overwrite it")
    single_file = len(paths) == 1 and not os.path.isdir(paths[0])
    files: list[Planned] = []
    for given in paths:
        root = Path(given)
        for target in dump_files([given], input_format=input_format, skipped=skipped):
            if isinstance(target, RecordError):  # an unreadable folder: `clean_dump` says so
                files.append((target, output))
                continue
            if root.is_dir() and target.format == "md" and skipped is not None:
                skipped.append(target.path)  # a README.md among the dumps: said, not an error
                continue
            if single_file:
                files.append((target, output))
                continue
            if not root.is_dir():  # a file among several inputs goes under its own name
                files.append((target, output / root.name))
                continue
            rel = Path(target.path).relative_to(root)
            files.append((target, output / rel if len(paths) == 1 else output / root.name / rel))
    _check_targets(paths, output, files)
    return files


def _check_targets(paths: Sequence[str], output: Path, planned: list[Planned]) -> None:
    out = output.resolve()
    for given in paths:
        source = Path(given).resolve()
        if out == source or (source.is_dir() and source in out.parents):
            raise UsageError(f"--output {output} would land on or in the input {given}")
    files = [(t, dest) for t, dest in planned if not isinstance(t, RecordError)]
    inputs = {Path(t.path).resolve() for t, _ in files}
    seen: set[Path] = set()
    for _, dest in files:
        resolved = dest.resolve()
        if resolved in inputs:
            raise UsageError(f"cleaning would overwrite the input {dest}")
        if resolved in seen:
            raise UsageError(f"two inputs would both be written to {dest}; clean them separately")
        seen.add(resolved)
    folders = {parent for path in seen for parent in path.parents}
    for path in seen & folders:  # a file input and a folder input of the same name
        raise UsageError(f"one input would be written to {path}, another under it; clean them "
                         "separately")  # fmt: skip


def clean_dump(
    files: list[Planned],
    scanner: Scanner,
    *,
    fields: Fields = Fields(),
    residue: bool = False,
) -> Iterator[CleanedRecord | RecordError]:
    """Clean each planned file into its destination, record by record, in order. Records that
    cannot be read come out as RecordErrors; a JSONL file keeps them (and its blank lines and
    unchanged records) byte for byte, other formats leave them out."""
    for target, dest in files:
        if isinstance(target, RecordError):
            yield target
            continue
        if (target.format or "txt") not in _WRITERS:
            kind = _FORMAT_NAMES.get(target.format, target.format.upper())
            yield RecordError(target.path, f"{kind} cannot be written back: clean rewrites text, "
                              "JSONL, JSON and CSV dumps")  # fmt: skip
            continue
        records = iter_records(
            [target.path], input_format=target.format, text_field=fields.text,
            id_field=fields.id, title_field=fields.title,
        )  # fmt: skip
        try:
            with open_dump(target) as raw, _atomic(dest, target.compressed) as out:
                if raw.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
                    out.write("\ufeff")  # the file's own byte order mark, kept
                else:
                    raw.seek(0)
                writer = _WRITERS[target.format or "txt"](out, raw)
                for item in records:
                    if isinstance(item, RecordError):
                        writer.skip(item)
                        yield item
                        continue
                    cleaned = clean_fields(scanner, item.text, item.title, residue=residue)
                    writer.write(item, _with_fields(item, cleaned, fields), cleaned.changed)
                    yield CleanedRecord(item.id, item.source, dest, _fields_of(item), cleaned)
                writer.finish()
        except _Unwritable as exc:  # nothing written: the output would not hold the input
            yield RecordError(target.path, str(exc))
        except (OSError, EOFError, zlib.error) as exc:  # the input went bad under us: no output
            yield RecordError(target.path, f"cannot read: {getattr(exc, 'strerror', None) or exc}")


_FORMAT_NAMES = {"md": "Markdown", "html": "HTML"}


def _fields_of(record: Record) -> dict[str, str]:
    return {"text": record.text, **({"title": record.title} if record.title is not None else {})}


def _with_fields(record: Record, cleaned: CleanedDocument, fields: Fields) -> object:
    """The record's raw object with its text and title replaced; the text alone for .txt."""
    if not isinstance(record.raw, dict):
        return cleaned.fields["text"]
    raw = dict(record.raw)
    raw[fields.text] = cleaned.fields["text"]
    if "title" in cleaned.fields:
        raw[fields.title] = cleaned.fields["title"]
    return raw


@contextmanager
def _atomic(dest: Path, compressed: bool) -> Iterator[IO[str]]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_dir():
        raise UsageError(f"{dest} is a folder; cannot write a file there")
    with atomic_binary(dest) as raw:
        if compressed:
            with gzip.GzipFile(fileobj=raw, mode="wb") as gz, _text(gz) as out:
                yield out
        else:
            with _text(raw) as out:
                yield out


def _text(binary: IO[bytes]) -> AbstractContextManager[IO[str]]:
    # Records are copied as read: their own line ends, undecodable bytes kept as they were.
    return text_over(binary, newline="", errors="surrogateescape")


class _Writer:
    """Writes one output file from the records of one input file (`raw`: its bytes)."""

    def __init__(self, out: IO[str], raw: IO[bytes]) -> None:
        self.out = out
        self.raw = raw  # after the byte order mark, if the file has one
        self.body = raw.tell()

    def write(self, record: Record, value: object, changed: bool) -> None:
        raise NotImplementedError

    def skip(self, error: RecordError) -> None:
        """A record that could not be read: left out."""

    def finish(self) -> None:
        pass


class _TxtWriter(_Writer):
    def write(self, record: Record, value: object, changed: bool) -> None:
        self.out.write(str(value))

    def skip(self, error: RecordError) -> None:
        """A file that is not UTF-8 text (or too long) is copied as it is."""
        self.raw.seek(self.body)
        for chunk in iter(lambda: self.raw.read(1 << 20), b""):
            self.out.write(chunk.decode("utf-8", "surrogateescape"))


class _JsonlWriter(_Writer):
    """Every physical line of the input goes out in order: unchanged records, unreadable ones
    and blank lines exactly as read, cleaned records re-serialised with the line's ending."""

    def __init__(self, out: IO[str], raw: IO[bytes]) -> None:
        super().__init__(out, raw)
        self.line = 0

    def _copy_to(self, n: int) -> str:
        """Copy the lines before line `n` and return line `n`, unwritten."""
        text = ""
        while self.line < n:
            if text:
                self.out.write(text)
            text = self.raw.readline().decode("utf-8", "surrogateescape")
            self.line += 1
        return text

    def write(self, record: Record, value: object, changed: bool) -> None:
        number = split_source(record.source)[1]
        assert number is not None  # a JSONL record is `file:line`
        line = self._copy_to(number)
        if not changed:
            self.out.write(line)
            return
        ending = "\r\n" if line.endswith("\r\n") else "\n"
        self.out.write(dumps(value) + ending)

    def skip(self, error: RecordError) -> None:
        number = split_source(error.source)[1]
        if number is not None:
            self.out.write(self._copy_to(number))

    def finish(self) -> None:
        for line in self.raw:
            self.out.write(line.decode("utf-8", "surrogateescape"))


class _JsonWriter(_Writer):
    def __init__(self, out: IO[str], raw: IO[bytes]) -> None:
        super().__init__(out, raw)
        self.count = 0

    def write(self, record: Record, value: object, changed: bool) -> None:
        self.out.write(("[\n" if not self.count else ",\n") + dumps(value))
        self.count += 1

    def finish(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


class _Unwritable(Exception):
    """A file `clean` cannot write back without losing some of it."""


class _CsvWriter(_Writer):
    """Rows under the header of the first record, with the file's own line ending."""

    def __init__(self, out: IO[str], raw: IO[bytes]) -> None:
        super().__init__(out, raw)
        head = raw.read(65536)
        ending = "\r\n" if b"\r\n" in head else "\n"
        self.writer = csv.writer(out, lineterminator=ending)
        # With LF endings the csv module leaves a lone CR unquoted, and no reader gets it back.
        self.quoting = csv.writer(out, lineterminator=ending, quoting=csv.QUOTE_ALL)
        self.header: list[str] | None = None
        # The file's own header, kept even when no row can be written back (header only).
        text = head.decode("utf-8-sig", "replace")
        self.read_header = next(csv.reader(io.StringIO(text, newline="")), None)
        header = self.read_header or []
        repeated = sorted({c for c in header if c and header.count(c) > 1})  # not `id,text,,`
        if repeated:  # a record is a dict: one of the columns would take the other's values
            raise _Unwritable(f"CSV header repeats the column {repeated[0]!r}; rename it to clean")

    def write(self, record: Record, value: object, changed: bool) -> None:
        assert isinstance(value, dict)
        if self.header is None:
            self.header = list(value)
            self._row(self.header)
        self._row([value.get(name, "") for name in self.header])

    def _row(self, row: list) -> None:  # type: ignore[type-arg]
        carriage = any(isinstance(v, str) and "\r" in v for v in row)
        (self.quoting if carriage else self.writer).writerow(row)

    def finish(self) -> None:
        if self.header is None and self.read_header:
            self._row(self.read_header)


_WRITERS = {"txt": _TxtWriter, "jsonl": _JsonlWriter, "json": _JsonWriter, "csv": _CsvWriter}
