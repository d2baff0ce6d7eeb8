"""The dump readers: every format, gzip, folders and stdin, and bad input that is reported where it
is without costing the good records around it."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector import readers
from detector.errors import UsageError
from detector.readers import Record, RecordError, iter_records

Item = Record | RecordError
CapFor = Callable[[str], None]


def write(path: Path, data: bytes | str, *, gz: bool = False) -> Path:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


def read(*paths: Path | str, **options: str) -> list[Item]:
    return list(iter_records([str(p) for p in paths], **options))


def ids(items: Iterable[Item]) -> list[str]:
    return [r.id for r in items if isinstance(r, Record)]


def errors(items: Iterable[Item]) -> list[RecordError]:
    return [e for e in items if isinstance(e, RecordError)]


def assert_errors(items: Iterable[Item], expected: list[tuple[str, str]]) -> None:
    """The errors, in order, have these sources and contain these message fragments."""
    got = [(e.source, e.message) for e in errors(items)]
    assert [source for source, _ in got] == [source for source, _ in expected], got
    assert all(
        fragment in message for (_, message), (_, fragment) in zip(got, expected, strict=True)
    ), got


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


GOOD = {"id": "good", "title": "Court rules", "text": "The court said."}
CLEAN = {"id": "clean", "text": "The bridge reopened."}


# -- every format, plain and gzipped ----------------------------------------------------------

CSV_DUMP = 'id,title,text\r\n1,First,"one\r\ntwo"\r\n2,,plain\r\n'
FORMATS = {
    # name: (content, [(id, source suffix, text, title, format)]); "{p}" is the file's path
    "a.txt": ("Hello\r\nworld\n", [("{p}", "", "Hello\r\nworld\n", None, "txt")]),
    "a.jsonl": (
        jsonl({"id": "x", "title": "T", "text": "a\r\nb"}, {"id": 7, "text": "c"}, {"text": "d"}),
        [
            ("x", ":1", "a\r\nb", "T", "jsonl"),
            ("7", ":2", "c", None, "jsonl"),
            ("{p}:3", ":3", "d", None, "jsonl"),
        ],
    ),
    "a.ndjson": (jsonl({"id": "x", "text": "a"}), [("x", ":1", "a", None, "jsonl")]),
    "a.json": (
        json.dumps([{"id": "x", "title": "T", "text": "a"}, {"text": "b\u2028c"}], indent=2),
        [("x", ":1", "a", "T", "json"), ("{p}:2", ":2", "b\u2028c", None, "json")],
    ),
    "a.csv": (
        CSV_DUMP,
        [("1", ":2", "one\r\ntwo", "First", "csv"), ("2", ":4", "plain", "", "csv")],
    ),
}


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_reads_every_field(tmp_path: Path, name: str, gz: bool) -> None:
    content, expected = FORMATS[name]
    path = write(tmp_path / (name + (".gz" if gz else "")), content, gz=gz)
    got = [(r.id, r.source, r.text, r.title, r.format) for r in read(path)]
    p = str(path)
    assert got == [(i.format(p=p), p + s, t, title, f) for i, s, t, title, f in expected]


@pytest.mark.parametrize(
    ("name", "content", "raw"),
    [
        ("a.jsonl", jsonl({"id": 1, "text": "t", "x": [1]}), {"id": 1, "text": "t", "x": [1]}),
        ("a.json", json.dumps([{"text": "t", "n": None}]), {"text": "t", "n": None}),
        ("a.csv", "id,text,extra\r\n1,t,\r\n", {"id": "1", "text": "t", "extra": ""}),
    ],
)
def test_raw_is_the_object_as_read(tmp_path: Path, name: str, content: str, raw: object) -> None:
    (record,) = read(write(tmp_path / name, content))
    assert isinstance(record, Record) and record.raw == raw


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.jsonl", jsonl({"uid": "u1", "headline": "H", "body": "B", "text": "no"})),
        ("a.json", json.dumps([{"uid": "u1", "headline": "H", "body": "B", "text": "no"}])),
        ("a.csv", "text,uid,body,headline\nno,u1,B,H\n"),
    ],
)
def test_field_options(tmp_path: Path, name: str, content: str) -> None:
    options = {"text_field": "body", "id_field": "uid", "title_field": "headline"}
    (record,) = read(write(tmp_path / name, content), **options)
    assert (record.id, record.text, record.title) == ("u1", "B", "H")


@pytest.mark.parametrize(
    ("extra", "id", "title"),
    [
        ({"id": 42, "title": 5}, "42", None),
        ({"id": "", "title": None}, ":1", None),
        ({"id": None, "title": ["x"]}, ":1", None),
        ({"id": True, "title": ""}, ":1", ""),
        ({"id": [1]}, ":1", None),
        ({}, ":1", None),
    ],
)
def test_id_and_title_fallbacks(tmp_path: Path, extra: dict, id: str, title: str | None) -> None:
    path = write(tmp_path / "a.jsonl", jsonl({"text": "t", **extra}))
    (record,) = read(path)
    assert record.id == (f"{path}{id}" if id.startswith(":") else id) and record.title == title


def test_bom_is_tolerated_in_every_format(tmp_path: Path) -> None:
    bom = "\ufeff"
    paths = [
        write(tmp_path / "a.jsonl", bom + jsonl(GOOD)),
        write(tmp_path / "b.json", bom + json.dumps([CLEAN])),
        write(tmp_path / "c.csv", bom + "id,text\ncsv,t\n"),
        write(tmp_path / "d.txt", bom + "plain"),
    ]
    records = read(*paths)
    assert ids(records[:3]) == ["good", "clean", "csv"] and records[3].text == "plain"


def test_lines_are_physical_and_text_is_kept_as_read(tmp_path: Path) -> None:
    # U+2028 and U+0085 are line breaks to str.splitlines but legal raw inside JSON strings.
    lines = [
        '{"id": "a", "text": "x\u2028y\u0085z"}\r\n',
        "\n",
        "  \r\n",
        '{"id": "b", "text": "q\\r\\n"}',
    ]
    path = write(tmp_path / "a.jsonl", "".join(lines))
    a, b = read(path)
    assert (a.source, a.text) == (f"{path}:1", "x\u2028y\u0085z")
    assert (b.source, b.text) == (f"{path}:4", "q\r\n")


# -- paths: folders, stdin, overrides ---------------------------------------------------------


def test_folders_are_walked_sorted_skipping_hidden_and_unknown_files(tmp_path: Path) -> None:
    write(tmp_path / "b" / "z.txt", "bz")
    write(tmp_path / "b" / "a.jsonl", jsonl({"id": "ba", "text": "t"}))
    write(tmp_path / "a.csv.gz", "id,text\nacsv,t\n", gz=True)
    write(tmp_path / "c.json", json.dumps([{"id": "c", "text": "t"}]))
    write(tmp_path / "notes.md", "read as Markdown")
    write(tmp_path / "data.tar.gz", b"skipped", gz=True)
    write(tmp_path / "photo.png", b"skipped")
    write(tmp_path / ".hidden.jsonl", jsonl({"id": "hidden", "text": "t"}))
    write(tmp_path / ".git" / "x.txt", "hidden")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    records = read(tmp_path)
    assert ids(records) == [
        "acsv",
        "ba",
        str(tmp_path / "b" / "z.txt"),
        "c",
        str(tmp_path / "notes.md"),
    ]
    assert records[-1].text == "read as Markdown" and records[-1].format == "md"
    assert read(tmp_path) == records


def test_input_format_overrides_extensions_and_reads_unknown_files(tmp_path: Path) -> None:
    write(tmp_path / "dump.data", jsonl({"id": "data", "text": "t"}))
    write(tmp_path / "dump.txt.gz", jsonl({"id": "txtgz", "text": "t"}), gz=True)
    assert ids(read(tmp_path, input_format="jsonl")) == ["data", "txtgz"]
    assert ids(read(tmp_path)) == [str(tmp_path / "dump.txt.gz")]


def test_a_given_file_with_an_unknown_extension_is_text(tmp_path: Path) -> None:
    path = write(tmp_path / "README", '{"looks": "like json"}')
    (record,) = read(path)
    assert (record.format, record.text) == ("txt", '{"looks": "like json"}')


def test_unknown_input_format_is_a_usage_error_at_once() -> None:
    with pytest.raises(UsageError, match="xml"):
        iter_records(["x"], input_format="xml")


def test_a_single_path_string_is_one_path(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl(GOOD))
    assert ids(iter_records(str(path))) == ["good"]


def test_missing_path_is_an_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl(GOOD))
    missing = tmp_path / "missing.jsonl"
    records = read(missing, tmp_path / "nope.jsonl.gz", path)
    assert [e.source for e in errors(records)] == [str(missing), str(tmp_path / "nope.jsonl.gz")]
    assert "No such file" in records[0].message and ids(records) == ["good"]


def test_unreadable_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    write(locked / "a.jsonl", jsonl(GOOD))
    write(tmp_path / "z.jsonl", jsonl(CLEAN))
    scandir = os.scandir

    def refuse_locked(path: str) -> Iterator[os.DirEntry]:
        if path == str(locked):  # chmod would not stop root, so refuse here
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)

    monkeypatch.setattr(readers.os, "scandir", refuse_locked)
    records = read(tmp_path)
    assert_errors(records, [(str(locked), "cannot read folder: Permission denied")])
    assert ids(records) == ["clean"]


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


STDIN_CASES = {
    "jsonl sniffed": (jsonl(GOOD, CLEAN), None, [("good", "<stdin>:1"), ("clean", "<stdin>:2")]),
    "json sniffed": (" \n" + json.dumps([GOOD]), None, [("good", "<stdin>:1")]),
    "txt sniffed": ("ROME (AP) — text", None, [("<stdin>", "<stdin>")]),
    "format given": ("id,text\n9,t\n", "csv", [("9", "<stdin>:2")]),
    "BOM then jsonl": ("\ufeff" + jsonl(GOOD), None, [("good", "<stdin>:1")]),
}


@pytest.mark.parametrize("case", sorted(STDIN_CASES))
def test_stdin(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    data, input_format, expected = STDIN_CASES[case]
    set_stdin(monkeypatch, data.encode("utf-8"))
    records = list(iter_records(["-"], input_format=input_format))
    assert [(r.id, r.source) for r in records] == expected


def test_gzip_and_utf16_not_named_so_are_refused_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_stdin(monkeypatch, gzip.compress(jsonl(GOOD).encode("utf-8")))
    assert_errors(iter_records(["-"]), [("<stdin>", "gzip data: name it .gz, or zcat it")])
    utf16 = write(tmp_path / "a.txt", "THE HAGUE (AP) — text".encode("utf-16"))
    assert_errors(read(utf16), [(str(utf16), "UTF-16 text: convert it to UTF-8")])


def test_stdin_without_a_byte_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(jsonl(GOOD)))
    assert ids(iter_records(["-"])) == ["good"]


def test_empty_stdin_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"")
    assert [(e.source, e.message) for e in iter_records(["-"])] == [("<stdin>", "empty file")]


# -- streaming ---------------------------------------------------------------------------------


class CountingReader(io.BytesIO):
    """A byte stream that remembers how much has been read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        out = super().read(size)
        self.taken += len(out)
        return out

    def readline(self, size: int | None = -1) -> bytes:
        out = super().readline(size)
        self.taken += len(out)
        return out


@pytest.mark.parametrize("input_format", ["jsonl", "json", "csv"])
def test_records_stream_without_reading_ahead(monkeypatch: pytest.MonkeyPatch, input_format: str):
    rows = [{"id": str(i), "text": "word " * 200} for i in range(5000)]
    if input_format == "json":
        data = json.dumps(rows).encode()
    elif input_format == "csv":
        data = ("id,text\n" + "".join(f"{r['id']},{r['text']}\n" for r in rows)).encode()
    else:
        data = jsonl(*rows).encode()
    stream = CountingReader(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream, encoding="utf-8"))
    records = iter_records(["-"], input_format=input_format)
    assert next(records).id == "0"
    assert stream.taken < len(data) // 10


def test_paths_are_taken_one_at_a_time(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl(GOOD))

    def paths() -> Iterator[str]:
        yield str(path)
        raise AssertionError("the second path was asked for before the first file was read")

    assert next(iter_records(paths())).id == "good"


# -- bad input never costs good data ----------------------------------------------------------

DEEP = b'{"text": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
BAD_LINES = {
    # case: (the bad line, a substring of the message)
    "malformed JSON": (b'{"id": "x", "text": "unterminated', "invalid JSON: Unterminated string"),
    "missing comma": (b'{"id": "x" "text": "y"}', "Expecting ',' delimiter at column 12"),
    "array not object": (b'["text"]', "expected a JSON object, got an array"),
    "string not object": (b'"text"', "expected a JSON object, got a string"),
    "no text field": (b'{"id": "x", "body": "y"}', "no 'text' field"),
    "text is a number": (b'{"id": "x", "text": 5}', "field 'text' is a number, not a string"),
    "text is null": (b'{"id": "x", "text": null}', "field 'text' is null"),
    "invalid UTF-8": (b'{"id": "x", "text": "caf\xe9"}', "invalid UTF-8 at byte 25"),
    "deep nesting": (DEEP, "nested too deeply"),
    "over the cap": (b'{"text": "' + b"x" * 5000 + b'"}', "longer than 1,000 bytes"),
    # Python limits the digits of an integer it parses.
    "huge integer": (b'{"text": "x", "n": ' + b"9" * 5000 + b"}", "invalid JSON"),
}


@pytest.fixture
def cap_for(monkeypatch: pytest.MonkeyPatch) -> CapFor:
    """Lower the size cap for the "over the cap" case only."""

    def apply(case: str) -> None:
        if case == "over the cap":
            monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1000)

    return apply


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_bad_jsonl_line_is_one_error(tmp_path: Path, cap_for: CapFor, case: str) -> None:
    bad, message = BAD_LINES[case]
    cap_for(case)
    path = write(tmp_path / "a.jsonl", jsonl(GOOD).encode() + bad + b"\n" + jsonl(CLEAN).encode())
    records = read(path)
    assert_errors(records, [(f"{path}:2", message)])
    assert ids(records) == ["good", "clean"]


# An unterminated string cannot be cut out of an array: see BROKEN_ARRAYS.
BAD_ELEMENTS = {case: bad for case, bad in BAD_LINES.items() if case != "malformed JSON"}


@pytest.mark.parametrize("case", sorted(BAD_ELEMENTS))
def test_bad_json_element_is_one_error(tmp_path: Path, cap_for: CapFor, case: str) -> None:
    bad, message = BAD_ELEMENTS[case]
    cap_for(case)
    message = message.split(" at ")[0]  # columns are lines in a .json
    good, clean = json.dumps(GOOD).encode(), json.dumps(CLEAN).encode()
    data = b"[\n" + good + b",\n" + bad + b",\n" + clean + b"\n]"
    path = write(tmp_path / "a.json", data)
    records = read(path)
    assert_errors(records, [(f"{path}:2", message)])
    assert ids(records) == ["good", "clean"]


def nested(depth: int) -> dict:
    return json.loads('{"text": "t", "a": ' + "[" * depth + "]" * depth + "}")


@pytest.mark.parametrize("fast", [True, False], ids=["in place", "scanned"])
@pytest.mark.parametrize("name", ["a.jsonl", "a.json"])
def test_depth_cap_is_exact_and_ignores_brackets_in_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, fast: bool
) -> None:
    # A recursion limit over the safe one turns the in-place decoding off.
    monkeypatch.setattr(readers, "_SAFE_RECURSION_LIMIT", sys.getrecursionlimit() if fast else 0)
    cap = readers.MAX_JSON_DEPTH
    rows = [nested(cap - 1), nested(cap), {"text": "[{" * 2000}]  # the object is a level too
    content = jsonl(*rows) if name == "a.jsonl" else json.dumps(rows)
    path = write(tmp_path / name, content)
    records = read(path)
    assert_errors(records, [(f"{path}:2", f"nested too deeply (over {cap} levels)")])
    assert [r.raw for r in records if isinstance(r, Record)] == [rows[0], rows[2]]


def test_deep_nesting_cannot_crash_even_with_a_raised_recursion_limit(tmp_path: Path) -> None:
    deep = DEEP.decode()
    write(tmp_path / "a.jsonl", jsonl(GOOD) + deep + "\n" + jsonl(CLEAN))
    write(tmp_path / "b.json", f"[{json.dumps(GOOD)}, {deep}, {json.dumps(CLEAN)}]")
    script = (
        "import sys; sys.setrecursionlimit(1_000_000)\n"
        "from detector.readers import iter_records\n"
        "for r in iter_records([sys.argv[1]]): print(getattr(r, 'message', None) or r.text)\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    too_deep = f"JSON nested too deeply (over {readers.MAX_JSON_DEPTH} levels)"
    assert done.stdout.splitlines() == [GOOD["text"], too_deep, CLEAN["text"]] * 2


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    content = '[\n{"text": "a"},\n{"text": "b",\n "x": 1 "y": 2},\n{"text": "c"}]'
    records = read(write(tmp_path / "a.json", content))
    (error,) = errors(records)
    assert error.message == "invalid JSON: Expecting ',' delimiter at line 4"
    assert [r.text for r in records if isinstance(r, Record)] == ["a", "c"]


BROKEN_ARRAYS = {
    # case: (the file, the error message, the texts still read)
    "truncated in an element": ('[{"text": "a"}, {"text": "b"', "ends inside element 2", ["a"]),
    "truncated after one": (
        '[{"text": "a"},\n{"text": "b"}',
        "before the array is closed",
        ["a", "b"],
    ),
    # the string runs on to the end, and the elements after it with it
    "unterminated string": (
        '[{"text": "a"},\n{"text": "b},\n{"text": "c"}]',
        "ends inside element 2 (which starts at line 2)",
        ["a"],
    ),
    "trailing comma": ('[{"text": "a"},\n]', "trailing comma at line 2", ["a"]),
    "data after the array": ('[{"text": "a"}]\n[]', "data after the array at line 2", ["a"]),
    "top-level object": ('{"text": "a"}', "found an object (for one object per line use", []),
    "top-level number": ("42", "expected a JSON array of objects, found '4'", []),
    "whitespace only": (" \n\t", "empty file", []),
}


@pytest.mark.parametrize("case", sorted(BROKEN_ARRAYS))
def test_broken_json_array_keeps_the_elements_before_the_break(tmp_path: Path, case: str) -> None:
    content, message, texts = BROKEN_ARRAYS[case]
    path = write(tmp_path / "a.json", content)
    records = read(path)
    assert_errors(records, [(str(path), message)])
    assert [r.text for r in records if isinstance(r, Record)] == texts


def test_empty_json_array_is_no_records(tmp_path: Path) -> None:
    assert read(write(tmp_path / "a.json", " [ ] \n")) == []


@st.composite
def json_dumps(draw: st.DrawFn) -> tuple[list[dict], str]:
    text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
    leaf = st.none() | st.booleans() | st.integers() | text
    value = st.recursive(
        leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c), max_leaves=5
    )
    rows = draw(st.lists(st.fixed_dictionaries({"text": text}, optional={"x": value}), max_size=6))
    indent = draw(st.sampled_from([None, 0, 2]))
    return rows, json.dumps(rows, indent=indent, ensure_ascii=draw(st.booleans()))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dump=json_dumps(), chunk=st.integers(1, 40))
def test_json_array_splits_the_same_at_any_chunk_size(
    monkeypatch: pytest.MonkeyPatch, dump: tuple[list[dict], str], chunk: int
) -> None:
    rows, text = dump
    monkeypatch.setattr(readers, "_CHUNK", chunk)
    monkeypatch.setattr(readers, "_SNIFF_BYTES", chunk)
    set_stdin(monkeypatch, text.encode("utf-8"))
    records = list(iter_records(["-"], input_format="json"))
    assert [r.raw for r in records] == rows


def dump_lines(rows: list[dict[str, str]], input_format: str) -> str:
    if input_format == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, ["id", "text"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            dict.fromkeys(
                ["id", "text"], st.text(st.characters(codec="utf-8", exclude_characters="\0"))
            )
        ),
        min_size=1,
        max_size=6,
    ),
    chunk=st.integers(1, 40),
    input_format=st.sampled_from(["jsonl", "csv"]),
)
def test_line_formats_read_the_same_at_any_head_size(
    monkeypatch: pytest.MonkeyPatch, rows: list[dict[str, str]], chunk: int, input_format: str
) -> None:
    data = dump_lines(rows, input_format).encode("utf-8")
    monkeypatch.setattr(readers, "_SNIFF_BYTES", chunk)
    set_stdin(monkeypatch, data)
    records = list(iter_records(["-"], input_format=input_format))
    assert [r.raw for r in records] == rows


def test_over_long_line_past_the_head_is_skipped_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(readers, "_CHUNK", 64)  # skip the long line in many small reads
    lines = [{"id": str(i), "text": "t" * 90} for i in range(100)]
    long = json.dumps({"id": "long", "text": "x" * 5000})
    path = write(tmp_path / "a.jsonl", jsonl(*lines) + long + "\n" + jsonl(CLEAN))
    records = read(path)
    assert_errors(records, [(f"{path}:101", "line longer than 1,000 bytes, skipped")])
    assert ids(records) == [str(i) for i in range(100)] + ["clean"]


BAD_CSV = {
    # case: (the bad row, a substring of the message)
    "too many fields": ("x,t,extra\n", "row has 3 fields, the header 2"),
    "too few fields": ("x\n", "row has 1 fields"),
    "invalid UTF-8": ("x,caf\udce9\n", "invalid UTF-8"),
    "bare carriage return": ("x,a\rb\n", "invalid CSV: new-line character seen in unquoted field"),
    "over the cap": ("x," + "y" * 5000 + "\n", "longer than 1,000 bytes"),
}


@pytest.mark.parametrize("case", sorted(BAD_CSV))
def test_bad_csv_row_is_one_error(tmp_path: Path, cap_for: CapFor, case: str) -> None:
    bad, message = BAD_CSV[case]
    cap_for(case)
    content = "id,text\ngood,t\n" + bad + "clean,t\n"
    path = write(tmp_path / "a.csv", content.encode("utf-8", "surrogateescape"))
    records = read(path)
    assert_errors(records, [(f"{path}:3", message)])
    assert ids(records) == ["good", "clean"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"id,body", "CSV header has no 'text' column (columns: 'id', 'body')"),
        (b"id,t\xe9xt,text", "invalid UTF-8 in the CSV header"),
    ],
)
def test_bad_csv_header_is_one_error(tmp_path: Path, header: bytes, message: str) -> None:
    path = write(tmp_path / "a.csv", header + b"\n1,x,y\n2,y,z\n")
    assert [(e.source, e.message) for e in read(path)] == [(f"{path}:1", message)]


def test_csv_skips_blank_rows_and_keeps_physical_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", 'id,text\n\na,"x\ny"\n\r\nb,z\n')
    assert [(r.id, r.source) for r in read(path)] == [("a", f"{path}:3"), ("b", f"{path}:6")]


def test_five_megabyte_records_are_read_whole(tmp_path: Path) -> None:
    big = "The court said on Tuesday. \u00e9" * 190_000
    paths = [
        write(tmp_path / "a.jsonl", jsonl({"id": "l", "text": big}, CLEAN)),
        write(tmp_path / "b.json", json.dumps([{"id": "j", "text": big}, CLEAN])),
        write(tmp_path / "c.csv", f"id,text\nc,{big}\nclean,t\n"),
        write(tmp_path / "d.txt", big),
    ]
    assert all(p.stat().st_size > 5_000_000 for p in paths)
    records = read(*paths)
    assert [r.id for r in records][:6] == ["l", "clean", "j", "clean", "c", "clean"]
    assert all(r.text == big for r in records if r.id != "clean")


def test_over_the_cap_txt_and_json_element(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_RECORD_BYTES", 1000)
    txt = write(tmp_path / "a.txt", "x" * 2000)
    element = json.dumps({"text": "y" * 2000}) + " " * 50_000  # long enough to cross chunks
    path = write(tmp_path / "b.json", f"[{json.dumps(GOOD)}, {element}, {json.dumps(CLEAN)}]")
    records = read(txt, path)
    assert_errors(records, [(str(txt), "longer than 1,000 bytes"), (f"{path}:2", "longer than")])
    assert ids(records) == ["good", "clean"]


EMPTY = {
    "a.txt": b"",
    "a.jsonl": b"",
    "a.json": b"",
    "a.csv": b"",
    "bom.txt": b"\xef\xbb\xbf",
    "blank.jsonl": b"\n \r\n\n",
}


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("name", sorted(EMPTY))
def test_empty_file_is_an_error(tmp_path: Path, name: str, gz: bool) -> None:
    path = write(tmp_path / (name + (".gz" if gz else "")), EMPTY[name], gz=gz)
    (error,) = read(path)
    assert isinstance(error, RecordError) and error.source == str(path)
    assert error.message.startswith("empty file")


def test_binary_and_empty_files_in_a_folder_are_errors_between_good_files(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", jsonl(GOOD))
    write(tmp_path / "b.jsonl", b'{"text": "x"}\n\x00\x01\x02')
    write(tmp_path / "c.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "d.json", b"")
    write(tmp_path / "e.txt", "clean text")
    records = read(tmp_path)
    assert [(Path(e.source).name, e.message) for e in errors(records)] == [
        ("b.jsonl", "binary file, skipped"),
        ("c.txt", "binary file, skipped"),
        ("d.json", "empty file"),
    ]
    assert ids(records) == ["good", str(tmp_path / "e.txt")]


def test_txt_that_is_not_utf8_is_one_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"line one\nline two caf\xe9\n")
    assert [(e.source, e.message) for e in read(path)] == [
        (str(path), "invalid UTF-8 at line 2; not a UTF-8 text file")
    ]


def test_corrupt_gzip_is_an_error_and_reading_goes_on(tmp_path: Path) -> None:
    not_gzip = write(tmp_path / "a.jsonl.gz", jsonl(GOOD))
    whole = gzip.compress(jsonl(*[{"id": str(i), "text": "t " * 50} for i in range(2000)]).encode())
    truncated = write(tmp_path / "b.jsonl.gz", whole[: len(whole) // 2])
    after = write(tmp_path / "c.jsonl", jsonl(CLEAN))
    records = read(not_gzip, truncated, after)
    assert_errors(records, [(str(not_gzip), "corrupt gzip file"), (str(truncated), "corrupt gzip")])
    got = ids(records)
    assert got[-1] == "clean" and len(got) > 100
    assert got[:-1] == [str(i) for i in range(len(got) - 1)]  # all that was there, in order
