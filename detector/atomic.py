"""Files that appear whole or not at all: written to a hidden temporary file beside the target
and renamed into place when complete, with the permissions a plain `open` would have given."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_binary(path: Path) -> Iterator[IO[bytes]]:
    """A binary stream whose content replaces `path` only when the block completes; an
    interrupted write never leaves a half-written file. The file keeps the mode of the one it
    replaces, or gets the umask's default (not the 0600 of a temporary file)."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    if not directory.is_dir():
        raise FileNotFoundError(2, "no such folder", str(directory))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """`atomic_binary` as a UTF-8 text stream with `\\n` line ends."""
    with atomic_binary(path) as raw, text_over(raw, newline="\n") as text:
        yield text


@contextmanager
def text_over(binary: IO[bytes], *, newline: str, errors: str = "strict") -> Iterator[IO[str]]:
    """A UTF-8 text stream writing into `binary`, flushed and detached (not closed) at the end,
    so the binary stream's owner finishes it."""
    import io

    text = io.TextIOWrapper(binary, encoding="utf-8", errors=errors, newline=newline)
    try:
        yield text
        text.flush()
    finally:
        text.detach()


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
