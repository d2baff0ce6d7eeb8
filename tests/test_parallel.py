"""Scanning with worker processes and on a Dask cluster: the same reports, in the same order, as
a scan in one process."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.errors import UsageError
from detector.parallel import scan_parallel
from detector.readers import iter_records
from detector.scanner import Scanner
from tests.conftest import EXAMPLES, FOUNDING

# Small batches, so that a few dozen records make several tasks per worker.
SCANNER = Scanner(batch_size=3)


def _records() -> list[object]:
    """Every bundled example three times over, a bad record and bare strings among them."""
    records = list(iter_records([str(EXAMPLES)])) * 3
    records[4:4] = [{"id": "no-text"}, "Buy $LBC now.", FOUNDING.read_text(encoding="utf-8")]
    return records


def _dicts(reports: Iterator) -> list[dict]:  # type: ignore[type-arg]
    return [r.to_dict() for r in reports]


def test_two_jobs_give_the_reports_of_one_in_input_order() -> None:
    records = _records()
    one = _dicts(scan_parallel(SCANNER, records, jobs=1))
    two = _dicts(scan_parallel(SCANNER, records, jobs=2))
    assert len(one) == len(records) and two == one
    assert one[4]["error"] and one[5]["flagged"]  # the bad record stays an error, in place


def test_jobs_on_the_command_line_change_nothing() -> None:
    runner = CliRunner()
    outputs = [
        runner.invoke(app, ["scan", str(EXAMPLES), "-f", "jsonl", "--jobs", jobs])
        for jobs in ("1", "2")
    ]
    assert [o.exit_code for o in outputs] == [1, 1]
    one, two = ([json.loads(line) for line in o.stdout.splitlines()] for o in outputs)
    assert one == two and len(one) > 1


def test_the_time_budget_holds_in_worker_processes() -> None:
    # Seconds of work for the rules, against a budget of a fifth of a second.
    slow = {"id": "slow", "text": "a," * 100_000}
    hurried = Scanner(model="rules", time_budget=0.2, batch_size=3)
    records = [*iter_records([str(EXAMPLES)]), slow, "Buy $LBC now."]
    reports = list(scan_parallel(hurried, records, jobs=2))
    errors = [(r.source, r.error) for r in reports if r.error]
    assert errors == [(str(len(records) - 1), "time budget of 0.2 s exceeded, skipped")]
    assert reports[-1].flagged


def test_workers_need_a_scanner_they_can_rebuild() -> None:
    from detector.detectors import RulesDetector

    custom = Scanner(detectors=[RulesDetector()])
    with pytest.raises(UsageError):
        list(scan_parallel(custom, ["text"], jobs=2))
    with pytest.raises(UsageError):
        list(scan_parallel(SCANNER, ["text"], jobs=-1))


def test_a_fallback_to_the_rules_stays_a_fallback_in_workers() -> None:
    assert Scanner(model="rules").config["model"] == "rules"
    assert Scanner(model="auto").config["model"] in ("require", "rules")


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    distributed = pytest.importorskip(
        "dask.distributed", reason="the dask extra is not installed (pip install '.[dask]')"
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        yield cluster.scheduler_address


def test_a_dask_cluster_gives_the_reports_of_a_local_scan(dask_scheduler: str) -> None:
    assert dask_scheduler.startswith("tcp://127.0.0.1:")
    records = _records()
    local = _dicts(SCANNER.scan_records(records))
    assert _dicts(scan_parallel(SCANNER, records, scheduler=dask_scheduler)) == local


def test_scheduler_on_the_command_line(dask_scheduler: str) -> None:
    runner = CliRunner()
    local = runner.invoke(app, ["scan", str(EXAMPLES), "-f", "jsonl"])
    remote = runner.invoke(
        app, ["scan", str(EXAMPLES), "-f", "jsonl", "--scheduler", dask_scheduler]
    )
    assert remote.exit_code == local.exit_code == 1
    assert remote.stdout == local.stdout


def test_a_scheduler_address_that_is_no_address_is_a_usage_error() -> None:
    pytest.importorskip(
        "dask.distributed", reason="the dask extra is not installed (pip install '.[dask]')"
    )
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at bogus"):
        list(scan_parallel(SCANNER, ["text"], scheduler="bogus"))
