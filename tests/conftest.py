"""Shared fixtures: where the research data and the founding document live."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.generate import default_data_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FOUNDING = EXAMPLES / "founding_document.txt"


@pytest.fixture
def data_dir() -> Path:
    path = default_data_dir()
    if not (path / "bbc_news").is_dir():
        pytest.skip(f"research data not found at {path} (set DETECTOR_SHARED_DATA)")
    return path


@pytest.fixture
def founding_text() -> str:
    with FOUNDING.open(encoding="utf-8", newline="") as f:
        return f.read()
