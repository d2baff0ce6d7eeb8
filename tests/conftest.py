"""Shared fixtures: where the research data and the founding document live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FOUNDING = EXAMPLES / "founding_document.txt"


def shared_data() -> Path:
    """`DETECTOR_SHARED_DATA`, else `../shared/data` beside the repository."""
    return Path(os.environ.get("DETECTOR_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def data_dir() -> Path:
    path = shared_data()
    if not (path / "bbc_news").is_dir():
        pytest.skip(f"research data not found at {path} (set DETECTOR_SHARED_DATA)")
    return path


@pytest.fixture
def founding_text() -> str:
    with FOUNDING.open(encoding="utf-8", newline="") as f:
        return f.read()
