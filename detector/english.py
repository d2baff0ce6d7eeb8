"""How common a word is in English at large: Zipf frequencies from wordfreq (Wikipedia,
subtitles, news, books, web text and social media), read from the installed package and looked
up by the same token hashes as the clean-news statistics.

Clean news from 1987 and 2004 never printed most of the names a modern article holds; English at
large has most of them (`Tymoshenko`, `Instagram`), and few of the names a spammer invents
(`Dreanzor`, `VexaSwap`). The package's code is Apache-2.0 and its data CC BY-SA 4.0; nothing of
it is copied into this project.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from functools import cache

import numpy as np

from detector.errors import ModelError
from detector.textstats import digest, gather, hash_tokens

LANGUAGE = "en"
WORDLIST = "large"
# For the model card: where the frequencies come from, and on what terms.
TERMS = (
    f"wordfreq ({LANGUAGE}, {WORDLIST} list), read from the installed package: "
    "code Apache-2.0, data CC BY-SA 4.0 (Speer, 2022, doi:10.5281/zenodo.7199437)"
)
# Words wordfreq spells or splits otherwise than the tokenizer: hyphenated (`state-owned`, from
# its pieces), curly apostrophes (`don’t`), possessives (`Abramovich’s`), dotted (`U.S.`),
# letters it casefolds (`straße`).
_OTHERWISE = re.compile(r"[-’‘ʼ'.]|[^\x00-\x7f]")


@cache
def _table() -> tuple[np.ndarray, np.ndarray]:
    """Sorted token hashes and their Zipf values (log10 of frequency per billion words).

    Read from the package's file rather than `get_frequency_dict`, which keeps a dict of every
    word cached for the life of the process (some 40 MB). Bucket i of the file holds the words
    of Zipf value 9 - i/100."""
    import wordfreq

    buckets = wordfreq.read_cBpack(wordfreq.available_languages(WORDLIST)[LANGUAGE])
    words = [word for bucket in buckets for word in bucket]
    keys = np.fromiter((digest(w) for w in words), dtype=np.uint64, count=len(words))
    zipf = np.repeat([9 - i / 100 for i in range(len(buckets))], [len(b) for b in buckets])
    order = np.argsort(keys, kind="stable")
    return keys[order], zipf[order].astype(np.float32)


# What a missing wordfreq, a missing or a damaged word list raise.
_UNREADABLE = (ImportError, LookupError, OSError, ValueError, EOFError, zlib.error)


def load() -> None:
    """Read the word list now (model loading does), so that a missing or broken wordfreq is a
    `ModelError` and the scan falls back to the rules, not a failure on every document."""
    try:
        _table()
    except _UNREADABLE as exc:
        raise ModelError(f"cannot read wordfreq's English word list: {exc!r}") from None


def in_english(word: str) -> bool | None:
    """Whether English at large has `word` (lowercased); None when wordfreq cannot be read,
    so a rule that asks can stand aside rather than fail a rules-only scan."""
    try:
        return bool(zipf_frequency([word.lower()])[0] > 0)
    except _UNREADABLE:
        return None


def zipf_frequency(
    words_lower: Sequence[str], hashes: np.ndarray | None = None, *, only: np.ndarray | None = None
) -> np.ndarray:
    """The Zipf frequency of each lowercased word in English (float32; 0 when wordfreq's list
    does not hold it: under about one in 100 million words, or never seen). `hashes`, when
    given, are `hash_tokens(words_lower)`; `only`, a mask of the tokens to look up (the others,
    punctuation and numbers, are 0 without asking)."""
    keys, values = _table()
    out = gather(keys, values, hash_tokens(words_lower) if hashes is None else hashes)
    if only is not None:
        out[~only] = 0
    # Only a word the list lacks as it stands is read again as wordfreq would spell it.
    missing = out == 0 if only is None else (out == 0) & only
    for i in np.flatnonzero(missing).tolist():
        if _OTHERWISE.search(words_lower[i]):
            out[i] = _as_wordfreq_reads(words_lower[i], keys, values)
    return out


def _as_wordfreq_reads(word: str, keys: np.ndarray, values: np.ndarray) -> float:
    """Zipf of a word as wordfreq reads it: its tokens (apostrophes straightened, casefolded,
    split at hyphens), each looked up (a possessive by its stem when the list lacks it), their
    frequencies combined as 1/f = 1/f1 + 1/f2 + ...; 0 when any token is missing."""
    import wordfreq

    inverse = 0.0
    tokens = wordfreq.lossy_tokenize(word, LANGUAGE)
    for token in tokens:
        forms = [token, token[:-2]] if token.endswith("'s") else [token]
        found = gather(keys, values, hash_tokens(forms))
        zipf = float(found[found > 0][0]) if (found > 0).any() else 0.0
        if not zipf:
            return 0.0
        inverse += 10 ** (9 - zipf)
    return 9 - math.log10(inverse) if tokens else 0.0
