"""The gazetteer of place, region and news-agency names, read once from its artifact."""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from detector.artifacts import artifact_path
from detector.errors import DetectorError

ARTIFACT = "gazetteer.json.gz"
FORMAT = 1
MAX_WORDS = 5  # longest name `longest_place` tries, in tokens

# Tags, most specific first: `lookup` answers with the first tag a name carries.
TAGS = ("country", "region", "city", "abbrev", "agency", "generic")
PLACE_TAGS = frozenset({"country", "region", "city", "abbrev"})

# Letters NFKD does not split into base + accent; dots, apostrophes and hyphens are spelling noise.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        ".": "",
        "'": "",
        "’": "",
        "‘": "",
        "`": "",
        "-": " ",
        "‐": " ",
        "‑": " ",
    }
)


def normalize_name(name: str) -> str:
    """The gazetteer key of a name: accents folded, lowercased, dots and apostrophes dropped,
    hyphens as spaces, whitespace collapsed (`São Tomé` -> `sao tome`, `N.Y.` -> `ny`)."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


class Gazetteer:
    """Names mapped to their type tags. Every query is case-, accent- and punctuation-insensitive.

    Parameters
    ----------
    names : mapping of a normalised name to its tags (see `TAGS`).
    meta : where the names came from (sources, versions, licences).
    """

    def __init__(self, names: Mapping[str, frozenset[str]], meta: Mapping[str, Any]) -> None:
        self.names = names
        self.meta = meta

    @classmethod
    def from_file(cls, path: Path) -> Gazetteer:
        """Read a gazetteer artifact written by `training/build_gazetteer.py`."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise DetectorError(
                f"gazetteer artifact missing at {path}; rebuild it with "
                "`python training/build_gazetteer.py` (needs the `build` extra)"
            ) from None
        except (OSError, ValueError) as exc:
            raise DetectorError(f"gazetteer artifact {path} is unreadable: {exc}") from exc
        if data.get("meta", {}).get("format") != FORMAT:
            raise DetectorError(f"gazetteer artifact {path} is not format {FORMAT}; rebuild it")
        interned: dict[str, frozenset[str]] = {}
        names = {
            key: interned.setdefault(tags, frozenset(tags.split("|")))
            for key, tags in data["names"].items()
        }
        return cls(names, data["meta"])

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize_name(name) in self.names

    def tags(self, name: str) -> frozenset[str]:
        """Every tag of `name`; empty when unknown."""
        return self.names.get(normalize_name(name), frozenset())

    def lookup(self, name: str) -> str | None:
        """The most specific tag of a (possibly multi-word) name, or None when unknown."""
        tags = self.tags(name)
        return next((tag for tag in TAGS if tag in tags), None)

    def is_place(self, name: str) -> bool:
        return not PLACE_TAGS.isdisjoint(self.tags(name))

    def is_agency(self, name: str) -> bool:
        return "agency" in self.tags(name)

    def longest_place(self, words: Sequence[str], i: int) -> int:
        """How many of `words` from index `i` form the longest known place (0 if none)."""
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            if self.is_place(" ".join(words[i : i + n])):
                return n
        return 0


@cache
def get_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read on first use and shared afterwards."""
    return Gazetteer.from_file(artifact_path(ARTIFACT))
