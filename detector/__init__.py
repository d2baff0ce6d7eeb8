"""Content-integrity detector: finds out-of-context insertions and page residue in news text.

    from detector import Scanner
    report = Scanner().scan_text("THE HAGUE,LibertyCoin Netherlands (AP) — ...")

Attributes load lazily so that importing the package (and `detector --help`) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Scanner": "detector.scanner",
    "DocumentReport": "detector.scanner",
    "Finding": "detector.findings",
    "Record": "detector.readers",
    "RecordError": "detector.readers",
    "iter_records": "detector.readers",
    "DetectorError": "detector.errors",
    "InputError": "detector.errors",
    "UsageError": "detector.errors",
    "ModelError": "detector.errors",
}

if TYPE_CHECKING:
    from detector.errors import DetectorError, InputError, ModelError, UsageError
    from detector.findings import Finding
    from detector.readers import Record, RecordError, iter_records
    from detector.scanner import DocumentReport, Scanner


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'detector' has no attribute {name!r}")


__all__ = [
    "DetectorError",
    "DocumentReport",
    "Finding",
    "InputError",
    "ModelError",
    "Record",
    "RecordError",
    "Scanner",
    "UsageError",
    "iter_records",
]
