"""Clean-news statistics and the coin lexicon at run time: stable 64-bit token hashes, word and
bigram counts with capitalisation from the training corpora, and hashed coin names and tickers.

The artifacts hold hashes and counts only, never text (the corpora are research data); they are
built by `training/build_wordstats.py` and `training/build_coinlex.py` and read with numpy alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from detector.artifacts import artifact_path
from detector.errors import ModelError

WORDSTATS = "wordstats.npz"
COINLEX = "coinlex.npz"
FORMAT = 1
HASH_SCHEME = "blake2b-64-le/splitmix-combine"

# The one tokenizer of these statistics: words with inner apostrophes, dots and hyphens
# (`U.S`, `o'neill`, `shiba-inu`). Lookups must lowercase tokens made by it.
WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# The pieces of a word between inner punctuation: the coin lexicon also holds names split this
# way, so a tokenizer that splits `Shiba-Inu` into `Shiba`, `-`, `Inu` still finds it.
PIECE_RE = re.compile(r"[^\W_]+")

# Coin lexicon flags (bits of `CoinLexicon.lookup`); 0 means "not a coin name or ticker".
COIN = 1  # the name of a coin (one or more words)
TICKER = 2  # the ticker symbol of a coin
ORDINARY = 4  # also an ordinary word, name or abbreviation in clean news
DISTINCTIVE = 8  # coin-like: a coin morpheme (coin, swap, inu, ...) or unseen in clean news

_U = np.uint64
_GOLDEN = _U(0x9E3779B97F4A7C15)
_MIX1 = _U(0xBF58476D1CE4E5B9)
_MIX2 = _U(0x94D049BB133111EB)
_CACHE_LIMIT = 1 << 19
_hash_cache: dict[str, int] = {}


# No word of the counted corpora is this long (none has 30 letters or more): a part of a token
# longer than this is never a word the statistics know, and splitting code need not try it.
LONGEST_WORD = 40


def words(text: str) -> list[str]:
    """The lowercased word tokens of `text` as the statistics count them."""
    return WORD_RE.findall(text.lower())


def digest(token: str) -> int:
    """The 64-bit hash of one token (see `hash_tokens`), uncached."""
    return int.from_bytes(
        hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


# Lowercased words, or their `hash_tokens`.
Words = Sequence[str] | np.ndarray


def hash_tokens(tokens: Words) -> np.ndarray:
    """Stable 64-bit hashes (uint64) of `tokens`: blake2b with an 8-byte digest, read
    little-endian, of each token's UTF-8 bytes. The same on every run and platform; pass tokens
    already lowercased. Hashes are memoised per distinct token, so repeated words cost a dict hit.
    Hashes given (a uint64 array, `Document.lower_hashes`) come back as they are, so every
    lookup below takes either words or their hashes.
    """
    if isinstance(tokens, np.ndarray) and tokens.dtype == np.uint64:
        return tokens
    cache_get = _hash_cache.get
    out = [cache_get(t) for t in tokens]
    if None in out:
        if len(_hash_cache) > _CACHE_LIMIT:
            _hash_cache.clear()
        for i, value in enumerate(out):
            if value is None:
                token = tokens[i]
                out[i] = _hash_cache[token] = digest(token)
    return np.array(out, dtype=np.uint64)


def combine_hashes(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The hash of the sequence `left` then `right` (order matters): a bigram from two token
    hashes, or a longer n-gram folded left to right. Vectorised over equal-length arrays."""
    left = np.asarray(left, dtype=np.uint64)
    right = np.asarray(right, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = (left * _GOLDEN) ^ (right + _GOLDEN + (left << _U(6)) + (left >> _U(2)))
        x ^= x >> _U(30)
        x *= _MIX1
        x ^= x >> _U(27)
        x *= _MIX2
        x ^= x >> _U(31)
    return x


def ngram_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """Hashes of every run of `n` consecutive tokens (length `len(hashes) - n + 1`, or 0)."""
    hashes = np.asarray(hashes, dtype=np.uint64)
    if n < 1 or len(hashes) < n:
        return np.empty(0, dtype=np.uint64)
    out = hashes[: len(hashes) - n + 1]
    for k in range(1, n):
        out = combine_hashes(out, hashes[k : len(hashes) - n + 1 + k])
    return out


def hash_phrase(tokens_lower: Sequence[str]) -> int:
    """The hash of a whole phrase (one token: its token hash; more: folded with
    `combine_hashes`). The key of a multi-word coin name or a bigram."""
    hashes = hash_tokens(tokens_lower)
    if len(hashes) == 0:
        raise ValueError("an empty phrase has no hash")
    return int(ngram_hashes(hashes, len(hashes))[0])


def _phrase_hashes(names_lower: Sequence[str]) -> np.ndarray:
    """One hash per name: a plain word hashes as a token, anything else as the phrase of its
    word pieces (`shiba-inu`, `shiba inu` and `Shiba  Inu` all give the hash of `shiba inu`)."""
    simple = [n.isalnum() for n in names_lower]
    if all(simple):
        return hash_tokens(names_lower)
    out = np.zeros(len(names_lower), dtype=np.uint64)
    for i, (name, plain) in enumerate(zip(names_lower, simple, strict=True)):
        toks = [name] if plain else PIECE_RE.findall(name.lower())
        out[i] = hash_phrase(toks) if toks else 0
    return out


def _find(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices into sorted `keys` and a mask of which `query` hashes are present."""
    if len(keys) == 0:
        return np.zeros(len(query), dtype=np.intp), np.zeros(len(query), dtype=bool)
    idx = np.searchsorted(keys, query)
    np.minimum(idx, len(keys) - 1, out=idx)
    return idx, keys[idx] == query


def gather(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The value of each `query` hash in the table `keys` (sorted) -> `values`; 0 if absent."""
    idx, found = _find(keys, query)
    return np.where(found, values[idx], 0).astype(values.dtype, copy=False)


def _load_npz(name: str, path: Path | None, script: str) -> tuple[dict[str, np.ndarray], Any]:
    path = artifact_path(name) if path is None else path
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except FileNotFoundError:
        raise ModelError(
            f"artifact {name} missing at {path}; rebuild it with `python {script}` "
            "(needs the research data in ../shared/data or DETECTOR_SHARED_DATA)"
        ) from None
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"artifact {path} is unreadable ({exc}); rebuild it with {script}"
        ) from exc
    meta = json.loads(str(arrays.pop("meta"))) if "meta" in arrays else {}
    if meta.get("format") != FORMAT or meta.get("hash") != HASH_SCHEME:
        raise ModelError(
            f"artifact {path} is format {meta.get('format')!r} with hash {meta.get('hash')!r}, "
            f"expected {FORMAT} / {HASH_SCHEME!r}; rebuild it with `python {script}`"
        )
    return arrays, meta


class WordStats:
    """Hashed unigram and bigram counts of clean training news (Reuters-21578, AG News), and how
    often each word stood mid-sentence in lowercase or capitalised. Every query takes lowercased
    tokens (see `words`) and answers one value per token, 0 (or NaN) when unseen or pruned.

    Parameters
    ----------
    arrays : the artifact's arrays: `uni_keys` (sorted uint64), `uni_count`, `uni_docs`,
        `uni_lower`, `uni_cap`, `uni_next_cap`, `uni_prev_cap` (uint32, aligned), `bi_keys` (sorted uint64), `bi_count`.
    meta : how the artifact was built: sources, pruning, `totals`.
    """

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self.uni_keys = arrays["uni_keys"]
        self.uni_count = arrays["uni_count"]
        self.uni_docs = arrays["uni_docs"]
        self.uni_lower = arrays["uni_lower"]
        self.uni_cap = arrays["uni_cap"]
        self.uni_next_cap = arrays["uni_next_cap"]
        self.uni_prev_cap = arrays["uni_prev_cap"]
        self.bi_keys = arrays["bi_keys"]
        self.bi_count = arrays["bi_count"]
        self.meta = meta
        self.totals: dict[str, int] = dict(meta.get("totals", {}))

    @classmethod
    def load(cls, path: Path | None = None) -> WordStats:
        """The shipped statistics (read once and cached), or those at `path`."""
        return _load_wordstats(path)

    @property
    def n_tokens(self) -> int:
        return int(self.totals.get("tokens", 0))

    @property
    def n_docs(self) -> int:
        return int(self.totals.get("docs", 0))

    def unigram_counts(self, tokens_lower: Words) -> np.ndarray:
        """Corpus count of each token (uint32; 0 when unseen or pruned)."""
        return gather(self.uni_keys, self.uni_count, hash_tokens(tokens_lower))

    def doc_counts(self, tokens_lower: Words) -> np.ndarray:
        """How many training documents contain each token (uint32)."""
        return gather(self.uni_keys, self.uni_docs, hash_tokens(tokens_lower))

    def bigram_counts(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        """Corpus count of each bigram `left[i] right[i]` within a sentence (uint32)."""
        if len(left) != len(right):
            raise ValueError("left and right must have the same length")
        return self.bigram_counts_hashed(hash_tokens(left), hash_tokens(right))

    def bigram_counts_hashed(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """`bigram_counts` from token hashes: `bigram_counts_hashed(h[:-1], h[1:])` for a text."""
        return gather(self.bi_keys, self.bi_count, combine_hashes(left, right))

    def case_counts(self, tokens_lower: Words) -> tuple[np.ndarray, np.ndarray]:
        """Mid-sentence uses of each token in lowercase and capitalised (two uint32 arrays)."""
        query = hash_tokens(tokens_lower)
        return (
            gather(self.uni_keys, self.uni_lower, query),
            gather(self.uni_keys, self.uni_cap, query),
        )

    def name_neighbour_counts(self, tokens_lower: Words) -> tuple[np.ndarray, np.ndarray]:
        """How often each token stood mid-sentence just before / just after a capitalised word
        (two uint32 arrays): how natural a name is next to it."""
        query = hash_tokens(tokens_lower)
        return (
            gather(self.uni_keys, self.uni_next_cap, query),
            gather(self.uni_keys, self.uni_prev_cap, query),
        )

    def lower_ratio(self, tokens_lower: Words) -> np.ndarray:
        """Share of each token's mid-sentence uses that were lowercase (float64): near 1 for
        "house", near 0 for "april" or a surname; NaN when never seen mid-sentence."""
        lower, cap = self.case_counts(tokens_lower)
        total = lower.astype(np.float64) + cap
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, lower / total, np.nan)


class NgramMatches(NamedTuple):
    """Per start token: length of the longest coin name or ticker starting there (0 = none), its
    flags and its market-cap rank bucket."""

    length: np.ndarray
    flags: np.ndarray
    rank: np.ndarray


class CoinLexicon:
    """Hashed CoinGecko coin names (one or more words) and tickers, each with flags (`COIN`,
    `TICKER`, `ORDINARY`, `DISTINCTIVE`) and a 2022 market-cap rank bucket (1: top 10,
    2: top 50, 3: top 100, 4: ranked lower, 0: unranked). Data provided by CoinGecko.

    Parameters
    ----------
    arrays : `keys` (sorted uint64 phrase hashes), `flags` and `rank` (uint8, aligned).
    meta : sources, attribution, thresholds and counts; `max_words` is the longest name.
    """

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self.keys = arrays["keys"]
        self.flags = arrays["flags"]
        self.rank = arrays["rank"]
        self.meta = meta
        self.max_words = int(meta.get("max_words", 3))

    @classmethod
    def load(cls, path: Path | None = None) -> CoinLexicon:
        """The shipped lexicon (read once and cached), or the one at `path`."""
        return _load_coinlex(path)

    def __len__(self) -> int:
        return len(self.keys)

    def lookup(self, names_lower: Sequence[str]) -> np.ndarray:
        """Flags (uint8) of each lowercased name or ticker; a name may hold several words
        ("shiba inu"). 0 means not a coin."""
        return self.lookup_hashed(_phrase_hashes(names_lower))

    def lookup_hashed(self, hashes: np.ndarray) -> np.ndarray:
        """Flags of phrase hashes (a token's hash, or `ngram_hashes` of a run of tokens)."""
        return gather(self.keys, self.flags, np.asarray(hashes, dtype=np.uint64))

    def ranks(self, names_lower: Sequence[str]) -> np.ndarray:
        """Market-cap rank bucket (uint8) of each name; 0 when unranked or not a coin."""
        return gather(self.keys, self.rank, _phrase_hashes(names_lower))

    def lookup_ngrams(self, tokens_lower: Words, max_n: int | None = None) -> NgramMatches:
        """For each start position, the longest run of at most `max_n` tokens (default: the
        longest name in the lexicon) that is a coin name or ticker. Pass word tokens only
        (no punctuation tokens), lowercased."""
        n_tok = len(tokens_lower)
        length = np.zeros(n_tok, dtype=np.uint8)
        flags = np.zeros(n_tok, dtype=np.uint8)
        rank = np.zeros(n_tok, dtype=np.uint8)
        hashes = hash_tokens(tokens_lower)
        grams = hashes
        for n in range(1, min(max_n or self.max_words, n_tok) + 1):
            if n > 1:
                grams = combine_hashes(grams[:-1], hashes[n - 1 :])
            idx, found = _find(self.keys, grams)
            pos = np.flatnonzero(found)
            length[pos] = n
            flags[pos] = self.flags[idx[pos]]
            rank[pos] = self.rank[idx[pos]]
        return NgramMatches(length, flags, rank)


@cache
def _load_wordstats(path: Path | None) -> WordStats:
    arrays, meta = _load_npz(WORDSTATS, path, "training/build_wordstats.py")
    return WordStats(arrays, meta)


@cache
def _load_coinlex(path: Path | None) -> CoinLexicon:
    arrays, meta = _load_npz(COINLEX, path, "training/build_coinlex.py")
    return CoinLexicon(arrays, meta)
