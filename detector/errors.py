"""The error hierarchy of the core: the core raises these, only the CLI turns them into exit codes."""

from __future__ import annotations


class DetectorError(Exception):
    """Base class of every error the detector raises on purpose."""


class UsageError(DetectorError):
    """The caller asked for something that cannot be done (bad option, unknown format)."""


class MissingExtra(UsageError):
    """Reading a format needs an optional dependency that is not installed (`pip install
    'content-integrity-detector[crawl]'`). A dump reader reports it as the file's error and reads
    on, so one HTML page in a folder of text costs that page, not the scan."""


class InputError(DetectorError):
    """A file or record could not be read; carries where it happened."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.source}: {msg}" if self.source else msg


class ModelError(DetectorError):
    """The trained model is missing, corrupt or incompatible."""
