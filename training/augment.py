"""Hard negatives for training: stories *about* crypto, where coin names are in context.

The training corpora (1987 Reuters, 2004 AG News) never discuss crypto, so a model trained on
them alone learns "coin name = injection" and flags every CoinDesk story. `cryptoize` rewrites a
market story into a crypto-market one by consistent substitution: the traded commodity becomes a
coin and the most-named company becomes a real coin name, everywhere it occurs, title included.
The result is labelled clean; the generator may then inject into it like any other article, so
the model also sees injections inside crypto stories."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

# Commodity and market words of wire copy, and crypto words that take their place.
_SWAPS = {
    "gold": "bitcoin", "oil": "ether", "crude": "crypto", "cocoa": "bitcoin", "coffee": "litecoin",
    "sugar": "dogecoin", "wheat": "solana", "grain": "token", "silver": "ether", "copper": "xrp",
    "cotton": "cardano", "soybeans": "altcoins", "corn": "tokens", "tin": "tether", "rubber": "stablecoin",
    "bullion": "bitcoin", "metals": "cryptocurrencies", "commodity": "crypto", "commodities": "crypto assets",
    "stock": "token", "stocks": "tokens", "shares": "coins", "share": "coin", "bonds": "stablecoins",
    "futures": "bitcoin futures", "exchange": "crypto exchange", "mine": "mining pool", "miners": "miners",
    "barrel": "coin", "barrels": "coins", "ounce": "coin", "ounces": "coins", "tonnes": "tokens",
}  # fmt: skip
_WORD = re.compile(r"\b[A-Za-z]+\b")
_NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{2,}(?: [A-Z][a-z]{2,}){0,2})\b")
_KEEP = frozenset(["The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "In", "On", "At", "For", "And", "But", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Reuters"])  # fmt: skip


def _case_like(word: str, template: str) -> str:
    if template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def cryptoize(article: dict, rng: random.Random, coins: Sequence[tuple[str, str]]) -> dict | None:
    """A crypto-market version of a market story, or None when the story has no market words."""
    text, title = article["text"], article.get("title") or ""
    words = Counter(w.lower() for w in _WORD.findall(text))
    if sum(words[k] for k in _SWAPS) < 2:
        return None

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        target = _SWAPS.get(word.lower())
        return _case_like(target, word) if target else word

    names = Counter(m.group(1) for m in _NAME.finditer(text) if m.group(1).split()[0] not in _KEEP)
    replace: dict[str, str] = {}
    for name, count in names.most_common(3):
        if count >= 2 and coins:
            replace[name] = rng.choice(coins)[0]

    def rewrite(s: str) -> str:
        s = _WORD.sub(swap, s)
        for old, new in replace.items():
            s = re.sub(rf"\b{re.escape(old)}\b", new, s)
        return s

    out = dict(article)
    out["text"] = rewrite(text)
    out["title"] = rewrite(title) if title else article.get("title")
    out["id"] = f"{article.get('id', '')}#crypto"
    return out


def with_crypto_stories(
    articles: Iterable[dict], share: float, seed: int, coins: Sequence[tuple[str, str]]
) -> Iterator[dict]:
    """Pass articles through, turning about `share` of the market stories into crypto ones."""
    rng = random.Random(seed)
    for article in articles:
        if rng.random() < share:
            crypto = cryptoize(article, rng, coins)
            if crypto is not None:
                yield crypto
                continue
        yield article
