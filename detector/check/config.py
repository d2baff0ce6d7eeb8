"""The configuration of `detector check`: defaults, `[tool.detector]` in pyproject.toml or a
`.detector.toml` found from the current folder upward, and command-line overrides, with where each
value came from."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from detector.errors import UsageError
from detector.findings import KINDS

CONFIG_FILES = (".detector.toml", "pyproject.toml")
DEFAULT = "default"
COMMAND_LINE = "command line"

DEFAULTS: dict[str, Any] = {
    "threshold": 0.5,
    "fail-on": ["injection"],
    "allow-terms": [],
    "allow-regexes": [],
    "include": [
        "*.md",
        "*.markdown",
        "*.html",
        "*.htm",
        "*.txt",
        "*.jsonl",
        "*.ndjson",
        "*.md.gz",
        "*.html.gz",
        "*.txt.gz",
        "*.jsonl.gz",
        "*.ndjson.gz",
    ],  # fmt: skip
    "exclude": [],
    "model": "auto",
    "baseline": ".detector-baseline.json",
    "per-path": {},
}
_PER_PATH_KEYS = ("allow-terms", "allow-regexes")


@dataclass(frozen=True, slots=True)
class PathAllowlist:
    """Allowlist entries that apply only to files matching `pattern`."""

    pattern: str
    terms: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """The effective settings. Relative paths and globs are relative to `root`: the folder of
    the config file, or the current folder when there is none. `origins` says, per key, whether
    a value is the default, from the config file (its path) or from the command line."""

    root: Path
    file: Path | None = None
    threshold: float = DEFAULTS["threshold"]
    fail_on: tuple[str, ...] = tuple(DEFAULTS["fail-on"])
    allow_terms: tuple[str, ...] = ()
    allow_regexes: tuple[str, ...] = ()
    include: tuple[str, ...] = tuple(DEFAULTS["include"])
    exclude: tuple[str, ...] = ()
    model: str = DEFAULTS["model"]
    baseline: str = DEFAULTS["baseline"]
    per_path: tuple[PathAllowlist, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict)

    @property
    def baseline_path(self) -> Path:
        return self.root / self.baseline

    def model_choice(self) -> str | Path:
        """What `Scanner(model=...)` takes: a mode, or a model folder relative to `root`."""
        return self.model if self.model in ("auto", "rules", "require") else self.root / self.model

    def values(self) -> dict[str, Any]:
        """Every setting under its config key, as it would be written in the file."""
        return {
            "threshold": self.threshold,
            "fail-on": list(self.fail_on),
            "allow-terms": list(self.allow_terms),
            "allow-regexes": list(self.allow_regexes),
            "include": list(self.include),
            "exclude": list(self.exclude),
            "model": self.model,
            "baseline": self.baseline,
            "per-path": {
                p.pattern: {"allow-terms": list(p.terms), "allow-regexes": list(p.regexes)}
                for p in self.per_path
            },
        }


def discover(start: Path) -> Path | None:
    """The nearest `.detector.toml`, or `pyproject.toml` with a `[tool.detector]` table, in
    `start` or a folder above it."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def load_config(
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
) -> CheckConfig:
    """Defaults, then the config file (`config_file`, else the one `discover` finds from
    `cwd`), then `overrides` (config keys set on the command line; None values are ignored)."""
    cwd = (cwd or Path.cwd()).resolve()
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"config file {config_file} not found")
    path = config_file.resolve() if config_file is not None else discover(cwd)
    table = _read_table(path) if path is not None else {}
    origins = {key: DEFAULT for key in DEFAULTS}
    values = dict(DEFAULTS)
    for key, value in table.items():
        values[key] = value
        origins[key] = str(path)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
            origins[key] = COMMAND_LINE
    where = str(path) if path else "the command line"
    config = CheckConfig(
        root=path.parent if path is not None else cwd,
        file=path,
        threshold=_threshold(values["threshold"], where),
        fail_on=_kinds(values["fail-on"], where),
        allow_terms=_strings(values, "allow-terms", where),
        allow_regexes=_regexes(_strings(values, "allow-regexes", where), where),
        include=_strings(values, "include", where),
        exclude=_strings(values, "exclude", where),
        model=_string(values, "model", where),
        baseline=_string(values, "baseline", where),
        per_path=_per_path(values["per-path"], where),
    )
    return replace(config, origins=origins)


def _has_tool_table(pyproject: Path) -> bool:
    tool = _parse(pyproject).get("tool", {})
    return isinstance(tool, dict) and "detector" in tool


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{where} must be a table, got {value!r}")
    return value


def _parse(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _read_table(path: Path) -> dict[str, Any]:
    data = _parse(path)
    if path.name == "pyproject.toml":
        tool = _table(data.get("tool", {}), f"{path}: [tool]")
        where = f"{path} [tool.detector]"
        data = _table(tool.get("detector", {}), where)
    else:
        where = str(path)
        if set(data) == {"tool"} and isinstance(data["tool"], dict) and "detector" in data["tool"]:
            raise UsageError(
                f"{where}: [tool.detector] is the table for pyproject.toml; in {path.name} "
                "write its keys at the top level, without the table header"
            )
    unknown = sorted(set(data) - set(DEFAULTS))
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(DEFAULTS)}")
    return data


def _threshold(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise UsageError(f"{where}: threshold must be a number within [0, 1], got {value!r}")
    return float(value)


def _string(values: Mapping[str, Any], key: str, where: str) -> str:
    value = values[key]
    if not isinstance(value, str) or not value:
        raise UsageError(f"{where}: {key} must be a non-empty string, got {value!r}")
    return value


def _strings(values: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = values[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {key} must be a list of strings, got {value!r}")
    return tuple(value)


def _kinds(value: Any, where: str) -> tuple[str, ...]:
    kinds = _strings({"fail-on": value}, "fail-on", where)
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"{where}: fail-on: unknown kind {kind!r}; choose from {KINDS}")
    return tuple(dict.fromkeys(kinds))


def _regexes(patterns: tuple[str, ...], where: str) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(f"{where}: allow-regexes: bad pattern {pattern!r}: {exc}") from None
    return patterns


def _per_path(value: Any, where: str) -> tuple[PathAllowlist, ...]:
    if not isinstance(value, Mapping):
        raise UsageError(f"{where}: per-path must be a table of glob = {{allow-terms, ...}}")
    entries = []
    for pattern, table in value.items():
        here = f"{where}: per-path {pattern!r}"
        if not isinstance(table, Mapping):
            raise UsageError(f"{here} must be a table")
        unknown = sorted(set(table) - set(_PER_PATH_KEYS))
        if unknown:
            raise UsageError(
                f"{here}: unknown key {unknown[0]!r}; known: {', '.join(_PER_PATH_KEYS)}"
            )
        settings = {key: table.get(key, []) for key in _PER_PATH_KEYS}
        terms = _strings(settings, "allow-terms", here)
        regexes = _regexes(_strings(settings, "allow-regexes", here), here)
        entries.append(PathAllowlist(pattern, terms, regexes))
    return tuple(entries)


def relative_posix(path: Path | str, root: Path) -> str:
    """`path` relative to `root`, with forward slashes (`..` when it lies outside)."""
    return Path(os.path.relpath(Path(path).resolve(), root)).as_posix()


def matches(relative: str, patterns: tuple[str, ...]) -> bool:
    """Whether a root-relative posix path matches any glob: fnmatch style, where `*` also
    crosses `/`, tried on the path, on each of its parent folders, and (for patterns without a
    `/`) on the file name alone, as `.gitignore` patterns are."""
    from fnmatch import fnmatchcase

    parts = relative.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        pattern = pattern.removeprefix("./").rstrip("/")
        if any(fnmatchcase(c, pattern) for c in candidates):
            return True
        if "/" not in pattern and any(fnmatchcase(p, pattern) for p in parts):
            return True
    return False
