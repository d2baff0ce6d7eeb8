"""The `detector` command: a thin typer layer that parses options, calls the core and turns its
results and errors into output and exit codes (0 clean, 1 flagged, 2 usage or input error).
Heavy imports happen inside commands so `detector --help` stays fast."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import Enum
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


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class InputFormat(str, Enum):
    txt = "txt"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    warc = "warc"
    arc = "arc"
    html = "html"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"detector: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


@app.command()
def scan(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (searched recursively) or - for stdin. Formats by extension: "
            ".txt, .jsonl/.ndjson, .json, .csv, .warc, .arc, .html/.htm, each optionally .gz.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        Optional[ReportFormat],  # noqa: UP045 - typer needs Optional on Python 3.10
        typer.Option(
            "--format", "-f", help="Report format. Default: table on a terminal, jsonl otherwise."
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output", "-o", help="Write the report here instead of stdout.", dir_okay=False
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Flag a document when an injection scores at least this."
        ),
    ] = 0.5,
    input_format: Annotated[
        Optional[InputFormat],  # noqa: UP045
        typer.Option(
            "--input-format", help="Read every path as this format, whatever its extension."
        ),
    ] = None,
    text_field: Annotated[
        str, typer.Option(help="Field holding the article text (JSON/CSV).")
    ] = "text",
    id_field: Annotated[str, typer.Option(help="Field holding the document id (JSON/CSV).")] = "id",
    title_field: Annotated[
        str, typer.Option(help="Field holding the title, scanned too.")
    ] = "title",
    progress: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."
        ),
    ] = None,
    model: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            help="Use the model in this folder (model.joblib + model.json) instead of the shipped one."
        ),
    ] = None,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Use the rules alone, no model.")
    ] = False,
    require_model: Annotated[
        bool,
        typer.Option(
            "--require-model",
            help="Fail (exit 2) instead of falling back to rules when the model cannot load.",
        ),
    ] = False,
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
    _refuse_to_overwrite_inputs(output, paths)
    to_terminal = output is None and sys.stdout.isatty()
    report_format = (fmt.value if fmt else None) or _format_for(output, to_terminal)
    show_progress = progress if progress is not None else sys.stderr.isatty()
    summary = Summary(model=scanner.model_status, threshold=threshold)
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
            )
            reports = scan_parallel(scanner, records, jobs=jobs, scheduler=scheduler)
            if show_progress:
                reports = _with_progress(reports, stack)
            for report in reports:
                summary.add(report)
                writer.write(report)
                if report.error is not None:
                    typer.echo(f"detector: error: {report.source}: {report.error}", err=True)
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
    if summary.errors:
        raise typer.Exit(EXIT_ERROR)
    if summary.documents == 0:
        raise _fail("no documents found: no readable .txt, .jsonl, .ndjson, .json, .csv, .warc, "
                    ".arc or .html files (optionally .gz) under the given paths; see --input-format")  # fmt: skip
    raise typer.Exit(EXIT_FLAGGED if summary.flagged else EXIT_CLEAN)


def _format_for(output: Path | None, to_terminal: bool) -> str:
    """The report format when none is given: by the output's extension, else table on a
    terminal and JSONL in a pipe."""
    if output is not None and output.suffix.lower() == ".json":
        return "json"
    return "table" if to_terminal else "jsonl"


def _refuse_to_overwrite_inputs(output: Path | None, paths: list[str]) -> None:
    """Never let the report land on, or inside, what is being scanned."""
    if output is None:
        return
    target = output.resolve()
    for raw in paths:
        if raw == "-":
            continue
        path = Path(raw).resolve()
        if target == path or (path.is_dir() and path in target.parents):
            raise _fail(
                f"--output {output} would overwrite or be read as input {raw}; write it elsewhere"
            )


def _atomic_output(output: Path):  # type: ignore[no-untyped-def]
    """Write to a hidden temporary file beside `output`, renamed into place only when the
    report is complete: an interrupted scan never leaves a half-written report."""
    import os
    import tempfile
    from contextlib import contextmanager

    @contextmanager
    def manager():  # type: ignore[no-untyped-def]
        directory = output.parent if str(output.parent) else Path(".")
        if output.is_dir():
            raise IsADirectoryError(21, "is a directory", str(output))
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                yield f
            os.replace(tmp, output)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    return manager()


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
    limit: Annotated[int, typer.Option(help="Articles to train on (0: all).")] = 16_000,
    seed: Annotated[int, typer.Option(help="Seed of the generator and the classifier.")] = 13,
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
                evaluate=evaluate, progress=progress,
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
            help="Generate with another mix of payloads, positions and evasions than training used.",
        ),
    ] = False,
    limit: Annotated[int, typer.Option(help="Articles per corpus (0: all).")] = 0,
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


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("detector: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
