"""How common a word is in English at large: Zipf frequencies from wordfreq (Wikipedia,
subtitles, news, books, web text and social media), read from the installed package and looked
up by the same token hashes as the clean-news statistics.

Clean news from 1987 and 2004 never printed most of the names a modern article holds; English at
large has most of them (`Gazpromneft`, `Solana`), and few of the names a spammer invents
(`Dreanzor`, `VexaSwap`). The package's code is Apache-2.0 and its data CC BY-SA 4.0; nothing of
it is copied into this project.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from detector.textstats import Words, _digest, _gather, hash_tokens

LANGUAGE = "en"
WORDLIST = "large"
# For the model card: where the frequencies come from, and on what terms.
TERMS = (
    f"wordfreq ({LANGUAGE}, {WORDLIST} list), read from the installed package: "
    "code Apache-2.0, data CC BY-SA 4.0 (Speer, 2022, doi:10.5281/zenodo.7199437)"
)


@cache
def _table() -> tuple[np.ndarray, np.ndarray]:
    """Sorted token hashes and their Zipf values (log10 of frequency per billion words).

    Read from the package's file rather than `get_frequency_dict`, which keeps a dict of every
    word cached for the life of the process (some 40 MB)."""
    import wordfreq

    buckets = wordfreq.read_cBpack(wordfreq.available_languages(WORDLIST)[LANGUAGE])
    words = [word for bucket in buckets for word in bucket]
    keys = np.fromiter((_digest(w) for w in words), dtype=np.uint64, count=len(words))
    # Bucket i holds the words of frequency 10^(-i/100), as `wordfreq.cB_to_freq(-i)`.
    freq = np.repeat([10 ** (-i / 100) for i in range(len(buckets))], [len(b) for b in buckets])
    zipf = np.log10(freq) + 9.0
    order = np.argsort(keys, kind="stable")
    return keys[order], zipf[order].astype(np.float32)


def zipf_frequency(tokens_lower: Words) -> np.ndarray:
    """The Zipf frequency of each lowercased token in English (float32; 0 when wordfreq's list
    does not hold it: under about one in 100 million words, or never seen)."""
    keys, values = _table()
    return _gather(keys, values, hash_tokens(tokens_lower))
