"""The gate behind `detector check`: find the files, scan each with the `Scanner`, locate every
finding in its file, and sort findings into new, baselined, suppressed and allowed ones."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from detector.check.baseline import Baseline, Entry, merged, write
from detector.check.config import CheckConfig, matches, relative_posix
from detector.check.fingerprint import canonical, context, fingerprint
from detector.check.suppress import Allowlist
from detector.check.units import Location, Unit, units_of
from detector.errors import UsageError
from detector.findings import Finding
from detector.markup import HIDDEN_TEXT_ID, markup_of, weigh_hidden
from detector.readers import STDIN, RecordError, walked
from detector.readers import walk as walk_folder  # the same folder walk as `detector scan`
from detector.rules import ALL_RULES
from detector.scanner import Scanner

Status = Literal["new", "baselined", "suppressed", "allowed"]
# Rules that catch text dressed up to evade a filter: `--fail-on obfuscation` fails on findings
# they take part in even when the finding as a whole is an injection.
EVASION_RULES = frozenset(
    {rule.id for rule in ALL_RULES if rule.kind == "obfuscation"} | {HIDDEN_TEXT_ID}
)


@dataclass(frozen=True, slots=True)
class Located:
    """A finding of one file, where it is in the file, its identity and what became of it."""

    path: str  # as given on the command line or found in a folder
    finding: Finding
    location: Location
    fingerprint: str
    status: Status
    blocking: bool  # of a failing kind, scored at or above the threshold
    strong: bool  # scored at or above the threshold, whatever its kind

    @property
    def shown(self) -> bool:
        """New and at or above the threshold: what the line-per-finding outputs list."""
        return self.strong and self.status == "new"

    @property
    def failing(self) -> bool:
        """A blocking finding that is new: what makes the check fail."""
        return self.blocking and self.status == "new"

    @property
    def rule(self) -> str:
        """The finding's strongest rule: the one reports name it by."""
        return self.finding.rules[0] if self.finding.rules else self.finding.kind


@dataclass
class CheckResult:
    config: CheckConfig
    model: str
    findings: list[Located] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    baseline_written: Path | None = None

    @property
    def failed(self) -> bool:
        return any(f.failing for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per status (`new` only at or above the threshold, `weak` below it), and how
        many of the new ones fail the check."""
        out = {status: 0 for status in ("new", "weak", "baselined", "suppressed", "allowed")}
        for f in self.findings:
            out["weak" if f.status == "new" and not f.strong else f.status] += 1
        out["failing"] = sum(f.failing for f in self.findings)
        return out


def fails(finding: Finding, config: CheckConfig) -> bool:
    """Whether a finding is of a kind the check fails on and scores at or above the threshold."""
    if finding.score < config.threshold:
        return False
    evasive = "obfuscation" in config.fail_on and EVASION_RULES.intersection(finding.rules)
    return finding.kind in config.fail_on or bool(evasive)


def run_check(
    paths: Iterable[str],
    config: CheckConfig,
    *,
    update_baseline: bool = False,
    scanner: Scanner | None = None,
) -> CheckResult:
    """Check `paths` (files and folders) under `config`. With `update_baseline`, every finding
    that is neither suppressed nor allowed is written to the baseline (unless some input could
    not be read) and none is new any more."""
    scanner = scanner or Scanner(threshold=config.threshold, model=config.model_choice())
    baseline = Baseline.load(config.baseline_path)
    base = config.baseline_path.parent
    result = CheckResult(config, scanner.model_status)
    accepted: list[Entry] = []
    checked: set[str] = set()
    for path in _files(paths, config, result.errors):
        relative = relative_posix(path, base)
        checked.add(relative)
        result.files.append(path)
        allowlist = Allowlist.for_path(config, relative_posix(path, config.root))
        try:
            for unit in units_of(path, markup_of(path)):
                if isinstance(unit, RecordError):
                    result.errors.append(unit)
                    continue
                for found in _check_unit(unit, relative, scanner, config, allowlist, baseline):
                    if isinstance(found, RecordError):
                        result.errors.append(found)
                        continue
                    located, entry = found
                    result.findings.append(located)
                    if entry is not None:
                        accepted.append(entry)
        except Exception as exc:  # a bug on one file must not hide the verdict on the others
            result.errors.append(RecordError(path, f"internal error while checking: {exc!r}"))
    if update_baseline and not result.errors:
        write(config.baseline_path, merged(baseline, accepted, checked, base))
        result.baseline_written = config.baseline_path
        result.findings = [_accepted(f) if f.status == "new" else f for f in result.findings]
    return result


def _check_unit(
    unit: Unit,
    relative: str,
    scanner: Scanner,
    config: CheckConfig,
    allowlist: Allowlist,
    baseline: Baseline,
) -> Iterator[tuple[Located, Entry | None] | RecordError]:
    texts = unit.texts
    report = scanner.scan_text(texts["text"], texts.get("title"))
    if any(_quieted(unit, allowlist, f, unit.locate(f)) for f in report.findings):
        # What the user allowed or silenced must not count against the words around it.
        report = scanner.without_corroboration().scan_text(texts["text"], texts.get("title"))
    if report.error is not None:  # over its time budget, or a scan that failed: not checked
        yield RecordError(unit.where, report.error)
        return
    findings = sorted(
        [*report.findings, *weigh_hidden(unit.extra_findings(), report.findings)],
        key=lambda f: (f.field != "title", f.start),
    )
    for finding in findings:
        location = unit.locate(finding)
        span = canonical(finding.text)
        around = context(texts[finding.field], finding.start, finding.end)
        key = fingerprint(relative, finding.kind, span, around)
        status: Status = _quieted(unit, allowlist, finding, location) or (
            "baselined" if baseline.claim(key) else "new"
        )
        kept = status in ("new", "baselined")
        entry = Entry(key, relative, finding.kind, span, around) if kept else None
        blocking = fails(finding, config)
        strong = finding.score >= config.threshold
        yield Located(unit.path, finding, location, key, status, blocking, strong), entry


def _quieted(
    unit: Unit, allowlist: Allowlist, finding: Finding, location: Location
) -> Literal["suppressed", "allowed"] | None:
    """How the user quieted `finding`: silenced where it stands, or allowed by name; None."""
    if unit.silenced(finding, location):
        return "suppressed"
    return "allowed" if allowlist.allows(finding.text) else None


def _accepted(located: Located) -> Located:
    return replace(located, status="baselined")


# Folders of installed dependencies: a folder walk never enters them (a file in one named on
# the command line is still checked). `detector check .` at a site's root must not read the
# READMEs of node_modules.
DEPENDENCY_FOLDERS = frozenset(
    {"node_modules", "bower_components", "site-packages", "dist-packages", "__pycache__"}
)


def would_check(path: str, paths: Iterable[str], config: CheckConfig) -> bool:
    """Whether `path`, which need not exist yet, is a file `run_check(paths, config)` checks:
    one of `paths` (unless excluded), or a file inside one of its folders, not hidden, matching
    `include` and not `exclude`. A report written there would be checked by the next run."""
    # The folder resolved, not the name: a report written over a symlinked page replaces the
    # link, and the folder walk reads the link by its own name.
    absolute = os.path.abspath(path)
    target = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    relative = relative_posix(path, config.root)
    if matches(relative, config.exclude):
        return False
    for given in paths:
        if not os.path.isdir(given):
            if os.path.realpath(given) in (target, os.path.realpath(path)):
                return True
            continue
        inner = Path(os.path.relpath(target, os.path.realpath(given))).parts
        inside = inner[:1] != (os.pardir,)
        if inside and walked(inner, DEPENDENCY_FOLDERS) and matches(relative, config.include):
            return True
    return False


def _files(paths: Iterable[str], config: CheckConfig, errors: list[RecordError]) -> Iterator[str]:
    """Files named on the command line (unless excluded) and files in folders that match
    `include` and not `exclude`, each once, in order."""
    seen: set[str] = set()
    for given in paths:
        if given == STDIN:
            raise UsageError("check reads files and folders, not stdin")
        if os.path.isdir(given):
            found: Iterable[str | RecordError] = (
                f if isinstance(f, RecordError) else os.path.normpath(f)
                for f in walk_folder(given, DEPENDENCY_FOLDERS)
            )
        else:
            found = [given]
        for item in found:
            if isinstance(item, RecordError):
                errors.append(item)
                continue
            relative = relative_posix(item, config.root)
            if matches(relative, config.exclude):
                continue
            if item is not given and not matches(relative, config.include):
                continue
            key = os.path.realpath(item)
            if key not in seen:
                seen.add(key)
                yield item


__all__ = ["EVASION_RULES", "CheckResult", "Located", "fails", "run_check"]
