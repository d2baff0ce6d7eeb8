"""`detector check` configuration: discovery from the current folder upward, pyproject's
`[tool.detector]` or `.detector.toml`, validation that names the bad key, command-line overrides
that win, and the origin of every value."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.check.config import COMMAND_LINE, DEFAULT, DEFAULTS, discover, load_config, matches
from detector.errors import UsageError


def test_defaults_when_no_config_file(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    assert config.file is None and config.root == tmp_path.resolve()
    assert config.values() == {k: v for k, v in DEFAULTS.items()}
    assert set(config.origins.values()) == {DEFAULT}


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.detector]\nthreshold = 0.7\nfail-on = ["injection", "obfuscation"]\n'
        'allow-terms = ["Bitcoin"]\nexclude = ["vendor/**"]\n'
        '[tool.detector.per-path."docs/crypto/**"]\nallow-terms = ["Ethereum"]\n',
        encoding="utf-8",
    )
    sub = tmp_path / "docs" / "deep"
    sub.mkdir(parents=True)
    config = load_config(cwd=sub)
    assert config.file == (tmp_path / "pyproject.toml").resolve()
    assert config.root == tmp_path.resolve()
    assert config.threshold == 0.7 and config.fail_on == ("injection", "obfuscation")
    assert config.allow_terms == ("Bitcoin",) and config.exclude == ("vendor/**",)
    assert [(p.pattern, p.terms) for p in config.per_path] == [("docs/crypto/**", ("Ethereum",))]
    assert config.origins["threshold"] == str(config.file)
    assert config.origins["model"] == DEFAULT


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    for text in ("[tool.other]\nx = 1\n", "tool = 5\n", 'tool = "detector"\n'):
        (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
        assert discover(tmp_path) is None


def test_a_tool_detector_that_is_not_a_table_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool]\ndetector = 5\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"\[tool.detector\] must be a table, got 5"):
        load_config(cwd=tmp_path)


def test_detector_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.detector]\nthreshold = 0.9\n", encoding="utf-8")
    (tmp_path / ".detector.toml").write_text("threshold = 0.3\n", encoding="utf-8")
    assert load_config(cwd=tmp_path).threshold == 0.3


def test_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / ".detector.toml").write_text("threshold = 0.3\n", encoding="utf-8")
    inner = tmp_path / "site"
    inner.mkdir()
    (inner / ".detector.toml").write_text("threshold = 0.6\n", encoding="utf-8")
    assert load_config(cwd=inner).threshold == 0.6


def test_command_line_wins_and_says_so(tmp_path: Path) -> None:
    (tmp_path / ".detector.toml").write_text('threshold = 0.3\nmodel = "rules"\n', encoding="utf-8")
    config = load_config(overrides={"threshold": 0.8, "model": None}, cwd=tmp_path)
    assert config.threshold == 0.8 and config.origins["threshold"] == COMMAND_LINE
    assert config.model == "rules" and config.origins["model"] == str(config.file)


def test_explicit_config_file_is_used(tmp_path: Path) -> None:
    chosen = tmp_path / "ci.toml"
    chosen.write_text('fail-on = ["residue"]\n', encoding="utf-8")
    assert load_config(chosen, cwd=tmp_path / "..").fail_on == ("residue",)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("treshold = 0.5\n", "'treshold'"),
        ("threshold = 2\n", "threshold"),
        ('fail-on = ["spam"]\n', "'spam'"),
        ('allow-regexes = ["(unclosed"]\n', "(unclosed"),
        ('[per-path."a/**"]\nallow = ["x"]\n', "'allow'"),
        ("threshold = \n", "not valid TOML"),
        ("include = 3\n", "include"),
        ("[tool.detector]\nthreshold = 0.4\n", "keys at the top level"),
    ],
)
def test_bad_config_is_a_usage_error_naming_what_is_wrong(
    tmp_path: Path, text: str, named: str
) -> None:
    (tmp_path / ".detector.toml").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=named.replace("(", r"\(")):
        load_config(cwd=tmp_path)


def test_missing_explicit_config_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_config(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        ("docs/a.md", ("*.md",), True),
        ("docs/a.md", ("docs/**",), True),
        ("vendor/lib/x.md", ("vendor",), True),
        ("docs/a.md", ("*.html",), False),
        ("docs/crypto/a.md", ("docs/crypto/**",), True),
        ("docs/news/a.md", ("docs/crypto/**",), False),
    ],
)
def test_globs_match_paths_folders_and_names(path: str, patterns: tuple, expected: bool) -> None:
    assert matches(path, patterns) is expected
