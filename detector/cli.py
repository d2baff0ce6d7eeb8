"""The `detector` command: a thin typer layer that parses options, calls the core and turns its
results and errors into output and exit codes (0 clean, 1 flagged, 2 usage or input error).
Heavy imports happen inside commands so `detector --help` stays fast."""

from __future__ import annotations

import itertools
import os
import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

EXIT_CLEAN, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="detector",
    help="Find out-of-context insertions (injected coin names, promo spam) and scraped page "
    "residue in news text.\n\nExit codes: 0 nothing flagged, 1 something flagged, 2 usage or "
    "input error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from detector import __version__

        typer.echo(f"detector {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Find out-of-context insertions and page residue in news text."""


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    markdown = "markdown"


class InputFormat(StrEnum):
    txt = "txt"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    md = "md"
    warc = "warc"
    arc = "arc"
    html = "html"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"detector: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _file_option(*flags: str, help: str, metavar: str | None = None):  # type: ignore[no-untyped-def]
    """A file to read or write (never a folder)."""
    return typer.Option(*flags, help=help, dir_okay=False, metavar=metavar)


ReportFile = Annotated[
    Optional[Path],  # noqa: UP045
    _file_option("--output", "-o", help="Write the report here instead of stdout."),
]

# Options that scan, clean and explain share.
InputFormatOption = Annotated[
    Optional[InputFormat],  # noqa: UP045
    typer.Option("--input-format", help="Read every path as this format, whatever its extension."),
]
TextField = Annotated[str, typer.Option(help="Field holding the article text (JSON/CSV).")]
IdField = Annotated[str, typer.Option(help="Field holding the document id (JSON/CSV).")]
TitleField = Annotated[str, typer.Option(help="Field holding the title, scanned too.")]
ModelOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        help="Use the model in this folder (model.joblib + model.json) instead of the shipped one."
    ),
]
RulesOnly = Annotated[bool, typer.Option("--rules-only", help="Use the rules alone, no model.")]
RequireModel = Annotated[
    bool,
    typer.Option(
        "--require-model",
        help="Fail (exit 2) instead of falling back to rules when the model cannot load.",
    ),
]


@app.command()
def scan(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Files, folders (searched recursively) or - for stdin. Formats by extension: "
            ".txt, .jsonl/.ndjson, .json, .csv, .warc, .arc, .html/.htm, each optionally .gz.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        Optional[ReportFormat],  # noqa: UP045 - as typer documents it
        typer.Option(
            "--format", "-f", help="Report format. Default: table on a terminal, jsonl otherwise."
        ),
    ] = None,
    output: ReportFile = None,
    threshold: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Flag a document when an injection scores at least this."
        ),
    ] = 0.5,
    input_format: InputFormatOption = None,
    text_field: TextField = "text",
    id_field: IdField = "id",
    title_field: TitleField = "title",
    progress: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."
        ),
    ] = None,
    model: ModelOption = None,
    rules_only: RulesOnly = False,
    require_model: RequireModel = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per core).")
    ] = 1,
    scheduler: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Scan on the Dask cluster with this scheduler (tcp://HOST:PORT)."),
    ] = None,
    time_budget: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1e6,  # detector.scanner.MAX_TIME_BUDGET (not imported, to keep --help fast)
            help="CPU seconds one document may take (per 250,000 characters for longer ones); "
            "a document over it is reported as an error (0: no limit).",
        ),
    ] = 5.0,
) -> None:
    """Scan article dumps and report injected spans and page residue, located to the character."""
    from detector.errors import DetectorError
    from detector.parallel import scan_parallel
    from detector.readers import iter_records
    from detector.report import Summary, make_writer
    from detector.scanner import Scanner

    try:
        scanner = Scanner(
            threshold=threshold,
            model=_model_choice(model, rules_only, require_model),
            time_budget=time_budget or None,
        )
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    _warn_if_rules_only(scanner.model_status)
    _refuse_to_overwrite([Path(p) for p in paths if p != "-"], "an input or in one", output)
    to_terminal = output is None and sys.stdout.isatty()
    report_format = (fmt.value if fmt else None) or _format_for(output, to_terminal)
    show_progress = progress if progress is not None else sys.stderr.isatty()
    summary = Summary(model=scanner.model_status, threshold=threshold)
    errors = _ErrorLog()
    skipped: list[str] = []
    try:
        with ExitStack() as stack:
            out = stack.enter_context(_atomic_output(output)) if output else sys.stdout
            writer = make_writer(report_format, out, color=to_terminal)
            records = iter_records(
                paths,
                input_format=input_format.value if input_format else None,
                text_field=text_field,
                id_field=id_field,
                title_field=title_field,
                skipped=skipped,
            )
            reports = scan_parallel(scanner, records, jobs=jobs, scheduler=scheduler)
            if show_progress:
                reports = _with_progress(reports, stack)
            for report in reports:
                summary.add(report)
                writer.write(report)
                if report.error is not None:
                    errors(report.source, report.error)
            summary.stop()
            writer.finish(summary)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly; the exit code says what was seen.
        _silence_stdout()
        raise typer.Exit(EXIT_FLAGGED if summary.flagged else EXIT_CLEAN) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or output or 'output'}: {exc.strerror or exc}") from None
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    finally:
        errors.close()
        _note_skipped(skipped, "not read")
    if output is not None:  # the report went to a file: say what is in it
        typer.echo(
            f"detector: {summary.documents} {_plural('document', summary.documents)}, "
            f"{summary.flagged} flagged, {summary.errors} {_plural('error', summary.errors)}; "
            f"wrote {output}",
            err=True,
        )
    if summary.errors:
        raise typer.Exit(EXIT_ERROR)
    if summary.documents == 0:
        raise _fail("no documents found: no readable .txt, .jsonl, .ndjson, .json, .csv, .md, "
                    ".warc, .arc or .html files (optionally .gz) under the given paths; see "
                    "--input-format")  # fmt: skip
    raise typer.Exit(EXIT_FLAGGED if summary.flagged else EXIT_CLEAN)


def _format_for(output: Path | None, to_terminal: bool) -> str:
    """The report format when none is given: by the output's extension, else table on a
    terminal and JSONL in a pipe."""
    if output is not None and output.suffix.lower() == ".sarif":
        raise _fail("scan writes table, json, jsonl, html or markdown reports; SARIF is for CI, "
                    "from `detector check --format sarif` (or name a --format)")  # fmt: skip
    if output is not None and output.suffix.lower() == ".json":
        return "json"
    if output is not None and output.suffix.lower() in (".html", ".htm", ".md"):
        return "markdown" if output.suffix.lower() == ".md" else "html"
    return "table" if to_terminal else "jsonl"


def _refuse_to_overwrite(inputs: list[Path], what: str, *reports: Path | None) -> None:
    """Never let a report land on one of `inputs` (what is read or kept), nor inside one that
    is a folder, where the scan would read it."""
    for report in reports:
        if report is None:
            continue
        target = report.resolve()
        for path in (p.resolve() for p in inputs):
            if target == path or (path in target.parents and path.is_dir()):
                raise _fail(f"{report} is {what}; write the report elsewhere")


def _atomic_output(output: Path):  # type: ignore[no-untyped-def]
    """Write to a hidden temporary file beside `output`, renamed into place only when the
    report is complete: an interrupted scan never leaves a half-written report."""
    from detector.atomic import atomic_writer

    return atomic_writer(output)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@app.command()
def clean(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH", help="Dump files or folders, as for scan.", show_default=False
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Where the cleaned dump goes: a file for one input file, "
            "else a folder mirroring the inputs.",
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output.")] = False,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Remove injections scoring at least this.")
    ] = 0.5,
    strip_residue: Annotated[
        bool, typer.Option("--strip-residue", help="Remove page furniture lines as well.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show a diff of each changed document.")
    ] = False,
    input_format: InputFormatOption = None,
    text_field: TextField = "text",
    id_field: IdField = "id",
    title_field: TitleField = "title",
    model: ModelOption = None,
    rules_only: RulesOnly = False,
    require_model: RequireModel = False,
) -> None:
    """Write dumps back in their own format without their injected spans.

    With --strip-residue page furniture goes too; every other field is kept as read, and the
    inputs are never modified."""
    from detector.clean import diff
    from detector.errors import DetectorError
    from detector.readers import RecordError
    from detector.report.encoding import dumps
    from detector.rewrite import Fields, clean_dump, plan
    from detector.scanner import Scanner

    documents = changed = errors = 0
    removed: dict[str, int] = {}
    error_log = _ErrorLog(" (not cleaned)")
    skipped: list[str] = []

    def say(line: str) -> None:
        """Log a line; a log that cannot be written (`| head`, a full disk) does not stop the
        cleaning: the dump is what matters."""
        try:
            typer.echo(line)
        except OSError:
            _silence_stdout()

    try:
        scanner = Scanner(
            threshold=threshold, model=_model_choice(model, rules_only, require_model)
        )
        _warn_if_rules_only(scanner.model_status)
        files = plan(
            paths, output, input_format=input_format.value if input_format else None,
            force=force, skipped=skipped,
        )  # fmt: skip
        fields = Fields(text_field, id_field, title_field)
        for item in clean_dump(files, scanner, fields=fields, residue=strip_residue):
            if isinstance(item, RecordError):
                errors += 1
                error_log(item.source, item.message)
                continue
            documents += 1
            changed += item.cleaned.changed
            for f in item.cleaned.removed:
                removed[f.kind] = removed.get(f.kind, 0) + 1
                say(f"{item.source}  removed {f.kind} {dumps(f.text)} "
                    f"({f.field}:{f.line}:{f.column}, {f.score:.2f}, {','.join(f.rules)})")  # fmt: skip
            if verbose and item.cleaned.changed:
                for name, before in item.original.items():
                    lines = diff(before, item.cleaned.fields[name], f"{item.source} {name}")
                    if lines:
                        say("\n".join(lines))
    except (DetectorError, OSError) as exc:
        raise _fail(str(exc)) from None
    finally:
        error_log.close()
        _note_skipped(skipped, "not cleaned, and not in the output")
    counts = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in sorted(removed.items()))
    wrote = f"; wrote {output}" if output.exists() else "; nothing written"
    say(f"removed {counts or 'nothing'} from {changed} of {documents} "
        f"{_plural('document', documents)}{wrote}")  # fmt: skip
    raise typer.Exit(EXIT_ERROR if errors else EXIT_CLEAN)


def _plural(word: str, n: int) -> str:
    """`word` as it reads after the number `n` (`1 document`, `3 documents`)."""
    return word if n == 1 else f"{word}s"


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def explain(
    path: Annotated[str, typer.Argument(help="A dump file (or - for stdin).", show_default=False)],
    doc_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--id", help="The document to explain (needed when PATH holds several)."),
    ] = None,
    fmt: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="text (rich) or json.")
    ] = ExplainFormat.text,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="The threshold of the verdict.")
    ] = 0.5,
    input_format: InputFormatOption = None,
    text_field: TextField = "text",
    id_field: IdField = "id",
    title_field: TitleField = "title",
    model: ModelOption = None,
    rules_only: RulesOnly = False,
    require_model: RequireModel = False,
) -> None:
    """Explain one document token by token, and what each finding is worth to its score.

    Each token's model probability, strongest features and the rules that fired; for each
    finding the document's score with that span removed. Exit 1 if the document is flagged."""
    from detector.errors import DetectorError
    from detector.explain import explain as explain_document
    from detector.readers import Record, RecordError, iter_records
    from detector.report.encoding import dumps
    from detector.scanner import Scanner

    try:
        scanner = Scanner(
            threshold=threshold, model=_model_choice(model, rules_only, require_model)
        )
        _warn_if_rules_only(scanner.model_status)
        records = iter_records(
            [path], input_format=input_format.value if input_format else None,
            text_field=text_field, id_field=id_field, title_field=title_field,
        )  # fmt: skip
        record = _pick_record(records, doc_id, path)
        if isinstance(record, RecordError):
            raise _fail(f"{record.source}: {record.message}")
        assert isinstance(record, Record)
        explanation = explain_document(
            scanner, record.text, record.title, id=record.id, source=record.source,
            hidden=record.hidden,
        )  # fmt: skip
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    verdict = EXIT_FLAGGED if explanation.flagged else EXIT_CLEAN
    try:
        if fmt is ExplainFormat.json:
            typer.echo(dumps(explanation.to_dict()))
        else:
            from detector.report.explain import render

            render(explanation, sys.stdout, color=sys.stdout.isatty())
    except BrokenPipeError:  # the reader went away (`| head`): the exit code still tells
        _silence_stdout()
        raise typer.Exit(verdict) from None
    except OSError as exc:  # a full disk
        raise _fail(f"cannot write the explanation: {exc.strerror or exc}") from None
    raise typer.Exit(verdict)


def _pick_record(records, doc_id: str | None, path: str):  # type: ignore[no-untyped-def]
    """The record with `doc_id`, or the only record; a usage error otherwise, naming the first
    few ids there are."""
    from detector.readers import RecordError

    records, seen, first, unread = iter(records), [], None, []
    for record in records:
        if isinstance(record, RecordError) and doc_id is not None:
            unread.append(record)  # it may be the one asked for: say so if none is found
            continue
        if getattr(record, "id", None) is not None and len(seen) <= _SHOWN_IDS:
            seen.append(record.id)
        if doc_id is None and first is not None:
            more = itertools.islice(records, _SHOWN_IDS)
            seen += [r.id for r in more if getattr(r, "id", None) is not None]
            raise _fail(f"{path} holds several documents; choose one with --id{_ids(seen)}")
        if doc_id is None:
            first = record
        elif getattr(record, "id", None) == doc_id:
            return record
    if first is None:
        where = f"no document with id {doc_id!r} in {path}" if doc_id else f"no document in {path}"
        if unread:
            n = len(unread)
            where += (
                f"; {n} {_plural('record', n)} could not be read "
                f"(the first, {unread[0].source}: {unread[0].message})"
            )
        raise _fail(where + _ids(seen))
    return first


_SHOWN_IDS = 5


def _ids(ids: list[str]) -> str:
    if not ids:
        return ""
    more = ", ..." if len(ids) > _SHOWN_IDS else ""
    return " (ids: " + ", ".join(ids[:_SHOWN_IDS]) + more + ")"


DataDir = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        help="Research data folder (default: $DETECTOR_SHARED_DATA, else ../shared/data)."
    ),
]


@app.command()
def train(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for model.joblib and model.json.")
    ],
    corpus: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            help="Training corpora (repeat): reuters, agnews. Never bbc or crypto, kept for evaluation."
        ),
    ] = None,
    data: DataDir = None,
    limit: Annotated[int, typer.Option(min=0, help="Articles to train on (0: all).")] = 16_000,
    seed: Annotated[
        int,
        typer.Option(help="Seed of the article order, the generator and the first member."),
    ] = 13,
    members: Annotated[
        int,
        typer.Option(
            min=1,
            help="Classifiers to train, member k on insertions generated from seed + k; the "
            "model averages their probabilities.",
        ),
    ] = 3,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate/--no-evaluate",
            help="Score the new model on the development set and record it in the card.",
        ),
    ] = True,
) -> None:
    """Train the token classifier on clean news with generated insertions; write it with its card."""
    from detector.errors import DetectorError

    corpora = tuple(corpus or ("reuters", "agnews"))
    leaked = set(corpora) & {"bbc", "crypto"}
    if leaked:
        raise _fail(f"{', '.join(sorted(leaked))} is kept for evaluation and never trained on")
    try:
        from training.pipeline import train_and_save

        with _stage_progress() as progress:
            card_path = train_and_save(
                output, corpora=corpora, data_dir=data, limit=limit or None, seed=seed,
                members=members, evaluate=evaluate, progress=progress,
            )  # fmt: skip
    except (DetectorError, OSError, ValueError) as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"wrote {card_path.parent / 'model.joblib'} and {card_path}")


@app.command()
def evaluate(
    model: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Model folder to evaluate (default: the shipped model)."),
    ] = None,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Evaluate the rules alone.")
    ] = False,
    data: DataDir = None,
    seed: Annotated[int, typer.Option(help="Seed of the generator for the injected copies.")] = 101,
    shifted: Annotated[
        bool,
        typer.Option(
            "--shifted",
            help="Generate with another mix of payloads, positions and evasions than training "
            "used, including spam of families training never saw (other_spam); use another "
            "--seed too (the card's figures: --seed 202).",
        ),
    ] = False,
    limit: Annotated[int, typer.Option(min=0, help="Articles per corpus (0: all).")] = 0,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Operating threshold of the report.")
    ] = 0.5,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to save the JSON report.")
    ] = Path("reports/evaluation.json"),
    curve: Annotated[
        Path, typer.Option(help="Where to draw the precision-recall curve (SVG).")
    ] = Path("reports/pr-curve.svg"),
) -> None:
    """Score a model (or the rules) on BBC and crypto news: clean as published, and with insertions
    from the generator. Prints the scoring report, saves it as JSON and draws a PR curve."""
    from rich.console import Console

    from detector.errors import DetectorError
    from detector.scanner import Scanner

    try:
        scanner = Scanner(
            threshold=threshold, model=_model_choice(model, rules_only, not rules_only)
        )
        from training.pipeline import evaluate_and_save

        with _stage_progress() as progress:
            report = evaluate_and_save(
                scanner, data_dir=data, seed=seed, limit=limit or None, threshold=threshold,
                shifted=shifted, output=output, curve=curve, progress=progress,
            )  # fmt: skip
    except (DetectorError, OSError, ValueError) as exc:
        raise _fail(str(exc)) from None
    from training.report import render

    render(report, Console(width=None if sys.stdout.isatty() else 160))
    typer.echo(f"saved {output} and {curve}")


def _stage_progress():  # type: ignore[no-untyped-def]
    """A rich progress display on stderr, handed to long jobs as `progress(stage, done, total)`."""
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    @contextmanager
    def manager():  # type: ignore[no-untyped-def]
        bar = Progress(
            TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), disable=not sys.stderr.isatty(),
        )  # fmt: skip
        tasks: dict[str, int] = {}
        plain_step: dict[str, int] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if bar.disable:  # not a terminal: a plain line at each tenth, for logs
                step = (10 * done // total) if total else 0
                if plain_step.get(stage) != step:
                    plain_step[stage] = step
                    typer.echo(f"{stage}: {done}/{total or '?'}", err=True)
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        with bar:
            yield update

    return manager()


def _model_choice(model: Path | None, rules_only: bool, require_model: bool) -> str | Path:
    if rules_only and (model or require_model):
        raise typer.BadParameter("--rules-only cannot be combined with --model or --require-model")
    if rules_only:
        return "rules"
    if model is not None:
        return model
    return "require" if require_model else "auto"


def _warn_if_rules_only(model_status: str) -> None:
    """Say on stderr when the model could not load and the rules stand in for it: a report
    alone shows it in one field, and a CI log not at all."""
    if model_status.startswith("unavailable:"):
        reason = model_status.removeprefix("unavailable:").strip()
        typer.echo(
            f"detector: warning: the model is unavailable ({reason}); using the rules alone "
            "(--require-model makes this an error, --rules-only chooses it)",
            err=True,
        )


def _note_skipped(skipped: list[str], what: str) -> None:
    """Say which files the folders held that no reader takes, by extension: nothing is left out
    without a word."""
    if not skipped:
        return
    from collections import Counter

    kinds = Counter(os.path.splitext(path)[1].lower() or "(none)" for path in skipped)
    listed = ", ".join(f"{ext} ({n})" for ext, n in kinds.most_common())
    typer.echo(
        f"detector: note: {what}: {len(skipped)} {_plural('file', len(skipped))} in the folders, "
        f"by extension: {listed} (--input-format reads every file as one format)",
        err=True,
    )


class _ErrorLog:
    """Record errors on stderr, one line each; but the same error over and over is shown three
    times and then counted: the records of one file (a dump without the text field: not 5,000
    lines), or whole files (every HTML page of a folder without the crawl extra)."""

    SHOWN = 3

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix
        self.seen: dict[tuple[str | None, str], int] = {}

    def __call__(self, source: str, message: str) -> None:
        from detector.readers import split_source

        file, number = split_source(source)
        key = (file if number is not None else None, message)  # None: a whole file's
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] <= self.SHOWN:
            typer.echo(f"detector: error: {source}: {message}{self.suffix}", err=True)

    def close(self) -> None:
        for (file, message), n in self.seen.items():
            more = n - self.SHOWN
            if more > 0:
                what = (
                    f"{file}: {more} more {_plural('record', more)}"
                    if file
                    else (f"{more} more {_plural('file', more)}")
                )
                typer.echo(f"detector: error: {what} with: {message}{self.suffix}", err=True)


def _with_progress(reports, stack: ExitStack):  # type: ignore[no-untyped-def]
    """Wrap a report stream in a rich progress line on stderr: documents, flagged, rate."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = stack.enter_context(
        Progress(
            SpinnerColumn(),
            TextColumn("{task.completed} documents, {task.fields[flagged]} flagged"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    )
    task = progress.add_task("scan", total=None, flagged=0)
    flagged = 0
    for report in reports:
        flagged += report.flagged
        progress.update(task, advance=1, flagged=flagged)
        yield report


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


def _fail_kinds(values: list[str] | None) -> list[str] | None:
    """`--fail-on` repeated or comma-separated (`injection,obfuscation`), each a finding kind."""
    from detector.findings import KINDS

    if values is None:
        return None
    kinds = [k.strip() for value in values for k in value.split(",")]
    for kind in kinds:
        if kind not in KINDS:
            raise typer.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}")
    return kinds


ConfigFile = Annotated[
    Optional[Path],  # noqa: UP045
    _file_option(
        "--config",
        help="Config file (.detector.toml, or pyproject.toml with [tool.detector]). Default: the "
        "nearest one from the current folder upward.",
    ),
]
SarifFile = Annotated[
    Optional[Path],  # noqa: UP045
    _file_option(
        "--sarif",
        help="Also write SARIF 2.1.0 here, from the same run (e.g. annotations on the log and "
        "SARIF for code scanning).",
        metavar="FILE",
    ),
]
CheckBaseline = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(help="Baseline file (default: .detector-baseline.json beside the config)."),
]
CheckFailOn = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--fail-on",
        metavar="KIND[,KIND]",
        callback=_fail_kinds,
        help="Kinds that fail the check: injection, residue, obfuscation (comma-separated or "
        "repeated; default: injection). obfuscation also covers findings that evasion rules or "
        "hidden text took part in.",
    ),
]
CheckThreshold = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(min=0.0, max=1.0, help="Fail on findings scoring at least this (default 0.5)."),
]
CheckModel = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(help="Use the model in this folder instead of the shipped one."),
]
CheckRulesOnly = Annotated[bool, typer.Option("--rules-only", help="Use the rules alone.")]


def _check_config(config, baseline, fail_on, threshold, model, rules_only, require_model=False):  # type: ignore[no-untyped-def]
    """The effective check configuration: file values, then command-line flags."""
    from detector.check import load_config

    choice = _model_choice(model, rules_only, require_model)
    overrides = {
        "threshold": threshold,
        "fail-on": fail_on or None,
        "baseline": str(baseline.resolve()) if baseline else None,
        "model": str(choice.resolve()) if isinstance(choice, Path) else choice,
    }
    if overrides["model"] == "auto":
        overrides["model"] = None
    return load_config(config, overrides)


@app.command()
def check(
    paths: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="PATH",
            help="Files and folders to check (default: the current folder). Markdown, HTML, text "
            "and JSONL dumps; folders are filtered by the include/exclude globs of the config.",
            show_default=False,
        ),
    ] = None,
    baseline: CheckBaseline = None,
    update_baseline: Annotated[
        bool,
        typer.Option(
            "--update-baseline",
            help="Accept every current finding: write them to the baseline (fixed ones drop out).",
        ),
    ] = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.text
    ),
    fail_on: CheckFailOn = None,
    threshold: CheckThreshold = None,
    config: ConfigFile = None,
    model: CheckModel = None,
    rules_only: CheckRulesOnly = False,
    require_model: RequireModel = False,
    output: ReportFile = None,
    sarif: SarifFile = None,
) -> None:
    """CI gate for content about to be published: exit 1 when a new finding of a failing kind
    scores at or above the threshold, 0 when none does, 2 on a usage or input error. Findings in
    the baseline, silenced by `detector: ignore` comments or allowlisted are not new."""
    from detector.check import run_check
    from detector.check.runner import would_check
    from detector.errors import DetectorError
    from detector.report.check import write_check

    try:
        if sarif and output and sarif.resolve() == output.resolve():
            raise _fail("--sarif and --output name the same file")
        settings = _check_config(
            config, baseline, fail_on, threshold, model, rules_only, require_model
        )
        _refuse_to_overwrite([settings.baseline_path], "the baseline", output, sarif)
        for report in (output, sarif):  # before anything is checked or the baseline written
            if report is not None and would_check(str(report), paths or ["."], settings):
                raise _fail(
                    f"{report} is a checked file (or would be, on the next run); write the "
                    "report elsewhere or exclude it in the config"
                )
        result = run_check(paths or ["."], settings, update_baseline=update_baseline)
        if sarif:  # first, and whole, so a reader leaving the log early cannot lose it
            try:
                with _atomic_output(sarif) as file:
                    write_check("sarif", result, file)
            except OSError as exc:
                raise _fail(f"{sarif}: {exc.strerror or exc}") from None
        with ExitStack() as stack:
            out = stack.enter_context(_atomic_output(output)) if output else sys.stdout
            write_check(fmt.value, result, out)
    except BrokenPipeError:  # the reader went away (`| head`): the exit code still tells
        _silence_stdout()
        raise typer.Exit(EXIT_ERROR if result.errors else int(result.failed)) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or output or 'output'}: {exc.strerror or exc}") from None
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    _warn_if_rules_only(result.model)
    for error in result.errors:
        typer.echo(f"detector: error: {error.source}: {error.message}", err=True)
    counts = result.counts()
    unreadable = len({error.source for error in result.errors} & set(result.files))
    typer.echo(
        f"detector: {len(result.files)} {_plural('file', len(result.files))}"
        + (f" ({unreadable} could not be checked)" if unreadable else "")
        + f", {counts['new']} new {_plural('finding', counts['new'])} "
        f"({counts['failing']} failing), {counts['weak']} weak (under the threshold), "
        f"{counts['baselined']} baselined, "
        f"{counts['suppressed']} suppressed, {counts['allowed']} allowed"
        + (f"; baseline written to {result.baseline_written}" if result.baseline_written else ""),
        err=True,
    )
    if not result.files:  # a gate that checked nothing passes, but must not pass quietly
        excluded = [p for p in paths or [] if os.path.isfile(p)]
        typer.echo(
            f"detector: warning: {' '.join(excluded)} excluded by the exclude globs "
            f"({', '.join(settings.exclude)})"
            if excluded and len(excluded) == len(paths or [])
            else "detector: warning: no file matched the include globs "
            f"({', '.join(settings.include)}) under {' '.join(paths or ['.'])}",
            err=True,
        )
    if result.errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FLAGGED if result.failed else EXIT_CLEAN)


@app.command("config")
def show_config(
    config: ConfigFile = None,
    baseline: CheckBaseline = None,
    fail_on: CheckFailOn = None,
    threshold: CheckThreshold = None,
    model: CheckModel = None,
    rules_only: CheckRulesOnly = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Print the effective `detector check` configuration and where each value came from
    (default, a config file, or the command line)."""
    import json

    from detector.errors import DetectorError

    try:
        settings = _check_config(config, baseline, fail_on, threshold, model, rules_only)
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    values = settings.values()
    if as_json:
        document = {
            "file": str(settings.file) if settings.file else None,
            "root": str(settings.root),
            "settings": {k: {"value": v, "from": settings.origins[k]} for k, v in values.items()},
        }
        typer.echo(json.dumps(document, indent=2))
        return
    typer.echo(f"# config file: {settings.file or 'none found; defaults'}")
    for key, value in values.items():
        typer.echo(f"{key} = {json.dumps(value)}  # {settings.origins[key]}")


def main() -> None:
    """Console entry point."""
    for name in ("stdout", "stderr"):  # started with the stream closed (`>&-`): write nowhere
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("detector: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
