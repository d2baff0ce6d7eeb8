"""Build artifacts/wordstats.npz: hashed word and bigram counts of the clean TRAINING news
(Reuters-21578, AG News test split) and how often each word is lowercase or capitalised
mid-sentence. The artifact holds 64-bit hashes and counts only, never text.

    python training/build_wordstats.py [--data DIR] [--out FILE]

BBC and crypto_news are evaluation data and are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from detector.artifacts import sha256  # noqa: E402
from detector.textstats import (  # noqa: E402
    FORMAT,
    HASH_SCHEME,
    WORD_RE,
    WORDSTATS,
    combine_hashes,
    hash_tokens,
)

# Training corpora only: (file under the data dir, licence as stated in its README).
CORPORA = (
    ("reuters21578/reuters21578.jsonl", "Reuters-21578 Distribution 1.0: research use only"),
    ("ag_news/ag_news_test.jsonl", "AG News: research / non-commercial"),
)
MIN_UNIGRAM = 2
MIN_BIGRAM = 2
MAX_BIGRAMS = 600_000  # keep the most frequent ones if more pass MIN_BIGRAM

# A sentence ends at . ! ? (before a space, a quote or the end); bigrams never cross one.
_SENTENCE_END = re.compile(r"[.!?]")
# Between two words in the middle of a sentence: blanks, or one comma and blanks.
_MID_GAP = re.compile(r"[ \t]*,?[ \t]*")


def default_data_dir() -> Path:
    env = os.environ.get("DETECTOR_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def iter_texts(path: Path) -> Iterator[tuple[str | None, str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            yield record.get("title"), record.get("text") or ""


class Counts:
    """Running counts over the corpora, keyed by lowercased word (bigrams by word pair)."""

    def __init__(self) -> None:
        self.unigrams: Counter[str] = Counter()
        self.docs: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        self.lower: Counter[str] = Counter()
        self.cap: Counter[str] = Counter()
        self.next_cap: Counter[str] = Counter()
        self.prev_cap: Counter[str] = Counter()
        self.tokens = 0
        self.n_bigrams = 0

    def add_line(self, line: str, *, case_stats: bool) -> set[str]:
        """Count one line; returns its lowercased words. Case is counted only for body text."""
        seen: set[str] = set()
        prev_end = -1
        prev = ""
        prev_cap = False  # the previous word was capitalised mid-sentence
        for match in WORD_RE.finditer(line):
            word = match.group()
            low = word.lower()
            seen.add(low)
            self.unigrams[low] += 1
            self.tokens += 1
            gap = line[prev_end : match.start()] if prev_end >= 0 else ""
            in_sentence = prev_end >= 0 and not _SENTENCE_END.search(gap)
            if in_sentence:
                self.bigrams[prev, low] += 1
                self.n_bigrams += 1
            cap = False
            if case_stats and prev_end >= 0 and _MID_GAP.fullmatch(gap):
                if word.islower():
                    self.lower[low] += 1
                elif word[0].isupper() and not word.isupper():
                    self.cap[low] += 1
                # Which words sit next to a capitalised word (a name) mid-sentence: "said",
                # "Mr", "of" often do; "their", "currently", "be" rarely.
                cap = word[0].isupper()
                if cap:
                    self.next_cap[prev] += 1
                if prev_cap:
                    self.prev_cap[low] += 1
            prev_end, prev, prev_cap = match.end(), low, cap
        return seen

    def add_doc(self, title: str | None, text: str) -> None:
        seen: set[str] = set()
        if title:
            seen |= self.add_line(title, case_stats=False)
        for line in text.splitlines():
            seen |= self.add_line(line, case_stats=True)
        self.docs.update(seen)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like `np.savez_compressed`, but byte-identical on every run (fixed zip timestamps)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)
    tmp.replace(path)


def _sorted_table(keys: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sort by hash, summing the columns of keys that collide (a count of 0 collisions is
    the expected case and is recorded in the meta)."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    uniq, starts = np.unique(keys, return_index=True)
    summed = tuple(np.add.reduceat(col[order], starts).astype(np.uint32) for col in columns)
    return (uniq, *summed)


def build(data_dir: Path) -> tuple[dict[str, np.ndarray], dict]:
    counts = Counts()
    sources = []
    seen_texts: set[bytes] = set()
    duplicates = 0
    docs_per_corpus = {}
    for rel, licence in CORPORA:
        path = data_dir / rel
        if not path.is_file():
            raise SystemExit(
                f"training corpus missing: {path} (use --data or DETECTOR_SHARED_DATA)"
            )
        n = 0
        for title, text in iter_texts(path):
            key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
            if key in seen_texts:
                duplicates += 1
                continue
            seen_texts.add(key)
            counts.add_doc(title, text)
            n += 1
        docs_per_corpus[rel] = n
        sources.append({"file": rel, "sha256": sha256(path), "licence": licence, "docs": n})

    words = sorted(w for w, c in counts.unigrams.items() if c >= MIN_UNIGRAM)
    uni = _sorted_table(
        hash_tokens(words),
        np.array([counts.unigrams[w] for w in words], dtype=np.uint64),
        np.array([counts.docs[w] for w in words], dtype=np.uint64),
        np.array([counts.lower[w] for w in words], dtype=np.uint64),
        np.array([counts.cap[w] for w in words], dtype=np.uint64),
        np.array([counts.next_cap[w] for w in words], dtype=np.uint64),
        np.array([counts.prev_cap[w] for w in words], dtype=np.uint64),
    )
    # Most frequent first, ties by the words themselves: the same cut on every run.
    pairs = sorted(
        (p for p, c in counts.bigrams.items() if c >= MIN_BIGRAM),
        key=lambda p: (-counts.bigrams[p], p),
    )[:MAX_BIGRAMS]
    bi_hashes = combine_hashes(
        hash_tokens([p[0] for p in pairs]), hash_tokens([p[1] for p in pairs])
    )
    bi = _sorted_table(bi_hashes, np.array([counts.bigrams[p] for p in pairs], dtype=np.uint64))

    arrays = {
        "uni_keys": uni[0],
        "uni_count": uni[1],
        "uni_docs": uni[2],
        "uni_lower": uni[3],
        "uni_cap": uni[4],
        "uni_next_cap": uni[5],
        "uni_prev_cap": uni[6],
        "bi_keys": bi[0],
        "bi_count": bi[1],
    }
    totals = {
        "docs": sum(docs_per_corpus.values()),
        "duplicate_docs_skipped": duplicates,
        "tokens": counts.tokens,
        "bigrams": counts.n_bigrams,
        "distinct_unigrams": len(counts.unigrams),
        "distinct_bigrams": len(counts.bigrams),
        "kept_unigrams": len(uni[0]),
        "kept_bigrams": len(bi[0]),
        "unigram_hash_collisions": len(words) - len(uni[0]),
        "bigram_hash_collisions": len(pairs) - len(bi[0]),
    }
    meta = {
        "artifact": WORDSTATS,
        "format": FORMAT,
        "hash": HASH_SCHEME,
        "built_by": "training/build_wordstats.py",
        "tokenizer": WORD_RE.pattern,
        "lowercase": "str.lower",
        "bigrams": "adjacent words of one line, never across . ! ?",
        "case": "mid-sentence = after a word on the same line with only blanks or one comma "
        "between; lower = all lowercase, cap = first letter upper and not all upper",
        "pruning": {
            "min_unigram_count": MIN_UNIGRAM,
            "min_bigram_count": MIN_BIGRAM,
            "max_bigrams": MAX_BIGRAMS,
        },
        "sources": sources,
        "note": "hashes and counts only; no text of the corpora is stored",
        "totals": totals,
    }
    return arrays, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data dir")
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / WORDSTATS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    arrays, meta = build(args.data)
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    write_npz(args.out, arrays)
    took = time.perf_counter() - started
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB) in {took:.1f}s: {json.dumps(meta['totals'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
