"""Scanning on several cores or a Dask cluster: bounded batches of records go to joblib workers
(processes on this machine, or a Dask cluster through joblib's dask backend); each worker builds
its Scanner once, and reports come back in input order, the same as a one-process scan."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from detector.errors import UsageError
from detector.readers import Record
from detector.scanner import DocumentReport, Scanner

# Batches handed out ahead of the workers, per worker: enough to keep them busy, few enough
# that memory stays flat however long the stream.
_AHEAD = 2
_WORKER_SCANNERS: dict[tuple[tuple[str, Any], ...], Scanner] = {}


def scan_parallel(
    scanner: Scanner,
    records: Iterable[object],
    *,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[DocumentReport]:
    """Scan `records` like `scanner.scan_records`, with `jobs` worker processes (0: one per
    core), or on the Dask cluster whose scheduler is at `scheduler` (`tcp://host:port`).
    Results are identical to `scanner.scan_records(records)`, in the same order."""
    if jobs < 0:
        raise UsageError(f"--jobs must be 0 (every core) or more, got {jobs}")
    if scheduler is None and jobs == 1:
        yield from scanner.scan_records(records)
        return
    config = tuple(sorted(scanner.config.items()))
    with _backend(jobs, scheduler) as (parallel, delayed):
        tasks = (
            delayed(_scan_batch)(config, start, batch)
            for start, batch in _batches(records, scanner.batch_size)
        )
        for reports in parallel(tasks):
            yield from reports


@contextmanager
def _backend(jobs: int, scheduler: str | None):  # type: ignore[no-untyped-def]
    from joblib import Parallel, delayed, parallel_config

    if scheduler is None:
        n_jobs = jobs or os.cpu_count() or 1
        yield (
            Parallel(n_jobs=n_jobs, return_as="generator", pre_dispatch=f"{_AHEAD}*n_jobs"),
            delayed,
        )
        return
    client = _dask_client(scheduler)
    try:
        with parallel_config(backend="dask", n_jobs=-1):
            n_workers = max(1, sum(client.nthreads().values()))
            yield Parallel(return_as="generator", pre_dispatch=str(_AHEAD * n_workers)), delayed
    finally:
        client.close()


def _dask_client(scheduler: str):  # type: ignore[no-untyped-def]
    try:
        from dask.distributed import Client
    except ImportError:
        raise UsageError(
            "--scheduler needs Dask: pip install 'content-integrity-detector[dask]'"
        ) from None
    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:  # ValueError: not an address
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _batches(records: Iterable[object], size: int) -> Iterator[tuple[int, list[object]]]:
    """(number of the first item, items) in order; the parsed source objects of reader records
    stay behind, since the scan never uses them."""
    items = iter(records)
    start = 1
    while batch := list(islice(items, size)):
        yield start, [_lean(item) for item in batch]
        start += len(batch)


def _lean(item: object) -> object:
    if isinstance(item, Record) and item.raw is not None:
        return dataclasses.replace(item, raw=None)
    return item


def _scan_batch(
    config: tuple[tuple[str, Any], ...], start: int, batch: list[object]
) -> list[DocumentReport]:
    """Runs in a worker: the worker's Scanner (built on its first batch) scans one batch."""
    scanner = _WORKER_SCANNERS.get(config)
    if scanner is None:
        scanner = _WORKER_SCANNERS[config] = Scanner(**dict(config))
    return list(scanner.scan_records(batch, start=start))
