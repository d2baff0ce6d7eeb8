"""SARIF 2.1.0 for code-scanning dashboards: one result per finding, rules described in
`tool.driver.rules`, the baseline fingerprint as `partialFingerprints`, accepted findings marked
as suppressed (inline directives and allowlists `inSource`/`external`, the baseline `external`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO
from urllib.parse import quote

from detector import __version__
from detector.check import CheckResult, Located
from detector.markup import HIDDEN_TEXT_ID, HIDDEN_TEXT_KIND, HIDDEN_TEXT_REASON, HIDDEN_TEXT_WEIGHT
from detector.report.check import message
from detector.report.encoding import dumps
from detector.rules import ALL_RULES

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "detectorFingerprint/v1"
SRCROOT = "%SRCROOT%"
_SUPPRESSION = {
    "suppressed": ("inSource", "detector: ignore directive in the file"),
    "allowed": ("external", "allowlisted in the detector configuration"),
    "baselined": ("external", "accepted in the detector baseline"),
}


def rule_descriptors() -> list[dict[str, object]]:
    """Every rule a check can report: the scanner's rules, hidden text, and the model."""
    rules = [(r.id, r.kind, r.weight, r.reason) for r in ALL_RULES]
    rules.append((HIDDEN_TEXT_ID, HIDDEN_TEXT_KIND, HIDDEN_TEXT_WEIGHT, HIDDEN_TEXT_REASON))
    rules.append(("model", "injection", 1.0, "the trained token classifier: out of context here"))
    return [
        {
            "id": rule_id,
            "name": "".join(part.title() for part in rule_id.split("-")),
            "shortDescription": {"text": reason},
            "defaultConfiguration": {"level": "error" if kind == "injection" else "warning"},
            "properties": {"kind": kind, "weight": weight},
        }
        for rule_id, kind, weight, reason in rules
    ]


def write(result: CheckResult, out: IO[str]) -> None:
    rules = rule_descriptors()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    has_baseline = result.config.baseline_path.exists()
    run: dict[str, object] = {
        "tool": {"driver": {"name": "detector", "version": __version__, "rules": rules}},
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "results": [_result(f, index, has_baseline) for f in result.findings],
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": f"{e.source}: {e.message}"}}
                    for e in result.errors
                ],
            }
        ],
    }
    out.write(dumps({"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}) + "\n")


def _result(located: Located, index: dict[object, int], has_baseline: bool) -> dict[str, object]:
    finding, loc = located.finding, located.location
    physical: dict[str, object] = {"artifactLocation": _artifact(located.path)}
    if loc.offset is not None:
        physical["region"] = {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
            "charOffset": loc.offset,
            "charLength": loc.length,
        }
    elif "line" in loc.properties:
        physical["region"] = {"startLine": loc.line}
    result: dict[str, object] = {
        "ruleId": located.rule,
        "level": "error" if located.blocking else ("warning" if located.strong else "note"),
        "message": {"text": message(located)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: located.fingerprint},
        "properties": {
            "kind": finding.kind,
            "score": round(finding.score, 4),
            "rules": list(finding.rules),
            "status": located.status,
            **loc.properties,
        },
    }
    if located.rule in index:
        result["ruleIndex"] = index[located.rule]
    if has_baseline:
        result["baselineState"] = "new" if located.status == "new" else "unchanged"
    if located.status in _SUPPRESSION:
        kind, why = _SUPPRESSION[located.status]
        result["suppressions"] = [{"kind": kind, "justification": why}]
    return result


def _artifact(path: str) -> dict[str, str]:
    """A URI relative to the current folder (`%SRCROOT%`), or an absolute file URI."""
    relative = os.path.relpath(os.path.abspath(path))
    if relative.startswith(".."):
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": quote(Path(relative).as_posix()), "uriBaseId": SRCROOT}
