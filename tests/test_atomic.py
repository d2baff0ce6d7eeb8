"""A file written through `atomic_writer` appears whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.atomic import atomic_writer


def test_complete_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with atomic_writer(target) as f:
        f.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(target) as f:
        f.write("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError), atomic_writer(tmp_path):
        pass


def test_a_new_file_gets_the_umask_default_and_a_replaced_one_keeps_its_mode(
    tmp_path: Path,
) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "new.json"
        with atomic_writer(fresh) as f:
            f.write("{}\n")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not a temporary file's 0600
        kept = tmp_path / "kept.json"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o640)
        with atomic_writer(kept) as f:
            f.write("new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_a_missing_folder_is_named_not_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "out.json"
    with pytest.raises(FileNotFoundError) as raised, atomic_writer(target):
        pass
    assert raised.value.filename == str(target.parent)
