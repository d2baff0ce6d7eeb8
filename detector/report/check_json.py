"""`detector check --format json`: every finding with its file location, fingerprint and status
(new, baselined, suppressed, allowed), the unreadable inputs, and a summary."""

from __future__ import annotations

from typing import IO

from detector.check import CheckResult, Located
from detector.report.encoding import dumps

CHECK_SCHEMA_VERSION = "1.0"


def located_dict(located: Located) -> dict[str, object]:
    loc = located.location
    return {
        "path": located.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "char_offset": loc.offset,
        "char_length": loc.length,
        "properties": loc.properties,
        "rule": located.rule,
        "status": located.status,
        "strong": located.strong,
        "blocking": located.blocking,
        "failing": located.failing,
        "fingerprint": located.fingerprint,
        "finding": located.finding.to_dict(),
    }


def summary_dict(result: CheckResult) -> dict[str, object]:
    config = result.config
    return {
        "model": result.model,
        "threshold": config.threshold,
        "fail_on": list(config.fail_on),
        "files": len(result.files),
        "errors": len(result.errors),
        "baseline": str(config.baseline_path),
        "baseline_written": result.baseline_written is not None,
        "failed": result.failed,
        **result.counts(),
    }


def write(result: CheckResult, out: IO[str]) -> None:
    document = {
        "schema_version": CHECK_SCHEMA_VERSION,
        "summary": summary_dict(result),
        "findings": [located_dict(f) for f in result.findings],
        "errors": [{"source": e.source, "error": e.message} for e in result.errors],
    }
    out.write(dumps(document) + "\n")
