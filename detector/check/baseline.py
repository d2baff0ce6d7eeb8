"""The baseline: findings accepted on purpose, keyed by content fingerprint with a count per
fingerprint, stored as sorted, stable JSON that merges cleanly."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from detector.atomic import atomic_writer
from detector.errors import InputError

BASELINE_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class Entry:
    """One accepted finding identity; `count` identical findings in its file are accepted."""

    fingerprint: str
    path: str
    kind: str
    text: str
    context: str
    count: int = 1

    def to_dict(self) -> dict[str, object]:
        return {
            "fingerprint": self.fingerprint,
            "path": self.path,
            "kind": self.kind,
            "text": self.text,
            "context": self.context,
            "count": self.count,
        }


class Baseline:
    """Accepted counts by fingerprint. `claim` hands out acceptances one finding at a time, so
    the third copy of a finding accepted twice is new."""

    def __init__(self, entries: Iterable[Entry] = (), path: Path | None = None) -> None:
        self.entries = {e.fingerprint: e for e in entries}
        self.path = path
        self._left = Counter({e.fingerprint: e.count for e in self.entries.values()})

    def claim(self, fingerprint: str) -> bool:
        """True (and one acceptance used up) when the baseline still accepts this fingerprint."""
        if self._left[fingerprint] > 0:
            self._left[fingerprint] -= 1
            return True
        return False

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """The baseline at `path`; an absent file is an empty baseline, a bad one an error."""
        if not path.exists():
            return cls(path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
                raise ValueError("expected an object with a 'findings' list")
            entries = [_entry(item) for item in data["findings"]]
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise InputError(f"not a detector baseline: {exc}", source=str(path)) from None
        return cls(entries, path=path)


def _entry(item: object) -> Entry:
    if not isinstance(item, dict):
        raise ValueError("each finding must be an object")
    count = item.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"bad count {count!r}")
    return Entry(
        str(item["fingerprint"]), str(item["path"]), str(item["kind"]),
        str(item.get("text", "")), str(item.get("context", "")), count,
    )  # fmt: skip


def merged(
    previous: Baseline, current: Iterable[Entry], checked: set[str], base: Path
) -> list[Entry]:
    """The next baseline: every current finding (identical ones counted), plus the previous
    entries of files this run did not check that still exist. Entries of checked files that are
    no longer found (fixed) drop out."""
    counts: Counter[str] = Counter()
    firsts: dict[str, Entry] = {}
    for entry in current:
        counts[entry.fingerprint] += 1
        firsts.setdefault(entry.fingerprint, entry)
    kept = [
        e
        for e in previous.entries.values()
        if e.path not in checked and e.fingerprint not in firsts and (base / e.path).exists()
    ]
    fresh = [
        Entry(e.fingerprint, e.path, e.kind, e.text, e.context, counts[fp])
        for fp, e in firsts.items()
    ]
    return sorted([*kept, *fresh], key=lambda e: (e.path, e.kind, e.text, e.context, e.fingerprint))


def write(path: Path, entries: list[Entry]) -> None:
    """Write the baseline atomically: sorted keys, two-space indent, one trailing newline."""
    document = {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "findings": [e.to_dict() for e in entries],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(path) as f:
        f.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
