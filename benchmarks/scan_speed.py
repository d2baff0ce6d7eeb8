"""Scan speed against a reading floor, on a dump built at run time from the research data.

    python benchmarks/scan_speed.py                 # 12,000 articles; table on stdout
    python benchmarks/scan_speed.py --articles 30000 --json reports/benchmark.json

The dump interleaves AG News, Reuters-21578, BBC News and crypto news articles (id, title,
text) into a temporary JSONL file that is deleted afterwards. Each configuration runs in a
fresh child process, timed from its first record to its last report (the model and worker
start-up included, interpreter start-up not), with the JSONL report written to /dev/null:

- floor: what any scan must pay, `json.loads` of every line and a regex word split of its text;
- rules-only, model: `detector scan` in one process;
- model --jobs 2: the same with two joblib worker processes.

Per-document milliseconds are each document's own work (for the floor, its parse and split;
for a scan, its share of its batch's model call included). Peak RSS is the largest process of
the configuration (a worker's, with --jobs). CPU time adds up the configuration's processes
(workers included): on a busy machine it says what a scan costs when wall time cannot. Figures
from one machine at one moment: compare the ratios to the floor, measured in the same run, more
than the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPORA = ("agnews", "reuters", "bbc", "crypto")
CONFIGS = {
    "floor": {},
    "rules-only": {"model": "rules"},
    "model": {"model": "require"},
    "model --jobs 2": {"model": "require", "jobs": 2},
}
_WORD = re.compile(r"\w+")


def build_dump(data_dir: Path, articles: int, out: Path) -> tuple[int, int]:
    """Interleave the corpora's articles into `out` (JSONL); returns (articles, bytes)."""
    from training.generate import corpus_path

    files = [corpus_path(c, data_dir).open(encoding="utf-8") for c in CORPORA]
    written = 0
    with out.open("w", encoding="utf-8") as dump:
        for lines in zip_longest(*files):
            for line in lines:
                if line is None or written >= articles:
                    continue
                row = json.loads(line)
                keep = {k: row.get(k) for k in ("id", "title", "text")}
                dump.write(json.dumps(keep, ensure_ascii=False) + "\n")
                written += 1
            if written >= articles:
                break
    for f in files:
        f.close()
    return written, out.stat().st_size


def run_floor(dump: Path) -> tuple[list[float], int]:
    """The reading floor: parse every line and split its text into words."""
    latencies = []
    with dump.open(encoding="utf-8") as f:
        for line in f:
            started = time.perf_counter()
            row = json.loads(line)
            _WORD.findall(row["text"])
            if row.get("title"):
                _WORD.findall(row["title"])
            latencies.append(time.perf_counter() - started)
    return latencies, 0


def run_scan(dump: Path, model: str, jobs: int = 1) -> tuple[list[float], int]:
    """`detector scan DUMP --format jsonl -o /dev/null` through the API the CLI uses."""
    from detector.parallel import scan_parallel
    from detector.readers import iter_records
    from detector.report import Summary, make_writer
    from detector.scanner import Scanner

    scanner = Scanner(model=model)
    summary = Summary(model=scanner.model_status, threshold=scanner.threshold)
    latencies = []
    with open(os.devnull, "w", encoding="utf-8") as out:
        writer = make_writer("jsonl", out, color=False)
        for report in scan_parallel(scanner, iter_records([str(dump)]), jobs=jobs):
            summary.add(report)
            writer.write(report)
            latencies.append(report.seconds)
        writer.finish(summary)
    if jobs > 1:  # stop the workers, so their peak memory is counted as a child's
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    return latencies, summary.errors


def child(config: str, dump: Path) -> None:
    """Run one configuration and print its measurements as JSON."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    options = CONFIGS[config]
    if config == "floor":
        latencies, errors = run_floor(dump)
    else:
        latencies, errors = run_scan(dump, str(options["model"]), int(options.get("jobs", 1)))
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(u.ru_utime + u.ru_stime for u in (own, workers)) - before.ru_utime - before.ru_stime
    ms = sorted(x * 1000 for x in latencies)
    print(
        json.dumps(
            {
                "documents": len(latencies),
                "errors": errors,
                "seconds": seconds,
                "cpu_seconds": cpu,  # this process and its workers, start-up included
                "worker_cpu_seconds": workers.ru_utime + workers.ru_stime,
                "peak_rss_mb": max(own.ru_maxrss, workers.ru_maxrss) / 1024,  # KiB on Linux
                "p50_ms": statistics.median(ms),
                "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))],
            }
        )
    )


def help_seconds() -> float:
    """Best of five wall times of `detector --help`."""
    command = [sys.executable, "-m", "detector", "--help"]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return min(times)


def measure(dump: Path, size: int) -> dict[str, dict[str, float]]:
    results = {}
    for config in CONFIGS:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", config, str(dump)],
            check=True, capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row["docs_per_s"] = row["documents"] / row["seconds"]
        row["mb_per_s"] = size / 1e6 / row["seconds"]
        results[config] = row
        print(f"  {config}: {row['docs_per_s']:,.0f} docs/s", file=sys.stderr)
    floor = results["floor"]
    for row in results.values():
        row["x_floor"] = row["seconds"] / floor["seconds"]
        row["x_floor_cpu"] = row["cpu_seconds"] / floor["cpu_seconds"]
    return results


def table(results: dict[str, dict[str, float]], articles: int, size: int, help_s: float) -> str:
    lines = [
        f"{articles:,} articles, {size / 1e6:.1f} MB; `detector --help` {help_s:.2f} s",
        "",
        "| configuration | docs/s | MB/s | x floor (time) | x floor (CPU) | peak RSS MB "
        "| p50 ms/doc | p99 ms/doc |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['docs_per_s']:,.0f} | {r['mb_per_s']:.2f} | {r['x_floor']:.1f} "
            f"| {r['x_floor_cpu']:.1f} | {r['peak_rss_mb']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12_000)
    parser.add_argument("--data", type=Path, default=None, help="research data folder")
    parser.add_argument("--json", type=Path, default=None, help="also save the figures here")
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "DUMP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    from training.generate import default_data_dir

    data_dir = args.data or default_data_dir()
    with tempfile.TemporaryDirectory(prefix="detector-bench-") as tmp:
        dump = Path(tmp) / "dump.jsonl"
        articles, size = build_dump(data_dir, args.articles, dump)
        print(f"dump: {articles:,} articles, {size / 1e6:.1f} MB", file=sys.stderr)
        results = measure(dump, size)
    help_s = help_seconds()
    print(table(results, articles, size, help_s))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"articles": articles, "bytes": size, "help_seconds": help_s, **results}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
