"""The pre-commit hook and the GitHub Action at the repository root run `detector check` on the
files the check reads, and the action never pastes its inputs into a script."""

from __future__ import annotations

import re

import yaml

from detector.check.config import DEFAULTS
from tests.conftest import REPO


def test_pre_commit_hook_runs_check_on_the_default_file_types() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "detector-check" and hook["entry"] == "detector check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    plain = [p for p in DEFAULTS["include"] if not p.endswith(".gz")]
    assert plain and all(files.search("docs/page" + p.removeprefix("*")) for p in plain)
    assert not files.search("setup.py")


def test_action_is_composite_and_passes_inputs_through_the_environment() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scripts = [s["run"] for s in steps if "run" in s]
    assert any("detector check" in script for script in scripts)
    assert all("${{" not in script for script in scripts)
    assert set(action["inputs"]) >= {"paths", "format", "sarif-file", "args"}
