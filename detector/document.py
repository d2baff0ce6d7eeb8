"""One field of one article, ready for detectors: the original text, its normalised view, tokens
with offsets, and the slots (dateline, lede, paragraphs) that say where a token sits."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from detector.dateline import Dateline, parse_dateline
from detector.findings import Field
from detector.lines import LineIndex
from detector.normalize import NormalizedText, normalize
from detector.textstats import CoinLexicon, NgramMatches, hash_tokens


def strings_array(strings: Sequence[str]) -> np.ndarray:
    """A numpy array of variable-width strings (`StringDType`), which cost each string its own
    length; or, for strings holding a lone surrogate (possible in JSON input, and not UTF-8),
    a fixed-width one, which costs every row the longest string's."""
    try:
        return np.array(strings, dtype=np.dtypes.StringDType())
    except UnicodeEncodeError:
        return np.array(strings, dtype=str)


# Tokens never span whitespace. Links, `$TICKER`, `#tag` and `@handle` are one token each; a
# lowercase word glued to a capitalised name splits there (`steadyVexaSwap` is `steady`,
# `VexaSwap`); inner apostrophes, hyphens and dots stay inside a word (`didn’t`, `state-owned`,
# `U.S`), as in the clean-news statistics, except a dot before a capitalised word (`said.Liberty`);
# a dollar sign inside a capitalised word is a stylised name, not a ticker (`Ke$ha`, `Ca$h`).
_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]{1,300}(?<![.,;:!?])"
    r"|[a-z0-9-]{1,60}(?:\.[a-z0-9-]{1,60}){1,4}/[^\s<>\"'()\[\]]{0,300}(?<![.,;:!?])"
    r"|[$#@][A-Za-z0-9]\w{0,60}"
    r"|(?<![^\W_])[a-z]{2,30}(?=[A-Z][a-z])"
    r"|(?<![^\W_])[A-Z][a-z]*\$[a-z][^\W_]*"
    r"|[^\W_]+(?:(?:['’-]|\.(?![A-Z][a-z]|https?:))[^\W_]+)*"
    r"|[^\w\s]|_+"
)
_PARAGRAPH = re.compile(r"[^\r\n]+")

# Words that make a document *about* crypto or finance markets, so coin names are in context.
CRYPTO_CONTEXT = frozenset(
    [
        "bitcoin",
        "bitcoins",
        "btc",
        "ethereum",
        "eth",
        "ether",
        "crypto",
        "cryptocurrency",
        "cryptocurrencies",
        "blockchain",
        "blockchains",
        "altcoin",
        "altcoins",
        "stablecoin",
        "stablecoins",
        "token",
        "tokens",
        "coin",
        "coins",
        "defi",
        "nft",
        "nfts",
        "mining",
        "miners",
        "wallet",
        "wallets",
        "exchange",
        "exchanges",
        "satoshi",
        "binance",
        "coinbase",
        "ico",
        "icos",
        "dex",
        "staking",
        "ledger",
        "xrp",
        "ripple",
        "litecoin",
        "dogecoin",
        "solana",
        "cardano",
        "tether",
        "usdt",
        "usdc",
        "web3",
        "dao",
        "hodl",
        "halving",
        "memecoin",
        "memecoins",
        "airdrop",
        "airdrops",
    ]
)


@dataclass(frozen=True, slots=True)
class Tokens:
    """Tokens of the normalised text: `starts`/`ends` index the normalised string."""

    words: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.words)


class Document:
    """A field of an article as detectors see it. Offsets in `norm.text` coordinates unless a
    method says `original`; `to_original` maps a span back to the characters as read."""

    def __init__(self, text: str, field: Field = "text", other: str | None = None) -> None:
        self.original = text
        self.field = field
        self.other = other  # the article's other field (title of a text, text of a title)
        self.norm: NormalizedText = normalize(text)
        self.memo: dict[str, list] = {}  # per-document results of rules, by rule id
        # The Document of the article's other field, when the caller made one (its words are
        # then tokenised once for both fields).
        self.partner: Document | None = None

    @property
    def text(self) -> str:
        return self.norm.text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.span_to_original(start, end)

    @cached_property
    def tokens(self) -> Tokens:
        matches = list(_TOKEN.finditer(self.text))
        starts = np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(matches))
        ends = np.fromiter((m.end() for m in matches), dtype=np.int64, count=len(matches))
        return Tokens(tuple(m.group() for m in matches), starts, ends)

    @cached_property
    def lower_text(self) -> str:
        """The normalised text lowercased, for cheap tests before case-insensitive searches."""
        return self.text.lower()

    @cached_property
    def lower_words(self) -> tuple[str, ...]:
        """The tokens lowercased: the form every count and lookup uses."""
        return tuple(w.lower() for w in self.tokens.words)

    @cached_property
    def lower_hashes(self) -> np.ndarray:
        """`hash_tokens` of the lowercased tokens, computed once for every lookup."""
        return hash_tokens(self.lower_words)

    @cached_property
    def word_array(self) -> np.ndarray:
        """The tokens as a numpy string array, for vectorised tests over them. Variable-width
        strings (`StringDType`): a fixed-width array is as wide as its longest token in every
        row, so one 3,000-character token among 400,000 took 11 GB."""
        return strings_array(self.tokens.words)

    @cached_property
    def first_chars(self) -> np.ndarray:
        """Each token's first character (numpy strings)."""
        return np.strings.slice(self.word_array, 0, 1)

    @cached_property
    def other_hashes(self) -> np.ndarray:
        """`hash_tokens` of the other field's lowercased tokens (the partner's, when there is one)."""
        if self.other and self.partner is not None and self.partner.original == self.other:
            return self.partner.lower_hashes
        return hash_tokens(self.other_words)

    @cached_property
    def other_words(self) -> tuple[str, ...]:
        """The lowercased tokens of the article's other field."""
        if not self.other:
            return ()
        if self.partner is not None and self.partner.original == self.other:
            return self.partner.lower_words
        return Document(self.other, field="title").lower_words

    @cached_property
    def field_counts(self) -> Counter[str]:
        """How often each lowercased word occurs in this field alone."""
        return Counter(self.lower_words)

    @cached_property
    def lower_counts(self) -> Counter[str]:
        """How often each lowercased word occurs in this field and the article's other field."""
        return self.field_counts + Counter(self.other_words)

    @cached_property
    def coin_matches(self) -> tuple[np.ndarray, NgramMatches]:
        """Coin names and tickers over the word tokens: the word positions, and for each the
        longest lexicon entry starting there (shared by the lexicon rule and the model)."""
        positions = np.flatnonzero(np.strings.isalnum(self.first_chars))
        return positions, CoinLexicon.load().lookup_ngrams(self.lower_hashes[positions])

    @cached_property
    def crypto_context(self) -> int:
        """Occurrences of crypto-market words: a story about crypto names coins legitimately."""
        return sum(n for w, n in self.lower_counts.items() if w in CRYPTO_CONTEXT)

    def is_about_crypto(self, excluding: str = "") -> bool:
        """True when crypto words occur at least three times, not counting `excluding` itself."""
        own = (
            self.lower_counts.get(excluding.lower(), 0)
            if excluding.lower() in CRYPTO_CONTEXT
            else 0
        )
        return self.crypto_context - own >= 3

    @cached_property
    def dateline(self) -> Dateline | None:
        return parse_dateline(self.text) if self.field == "text" else None

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        """Non-empty lines, as spans of the normalised text."""
        return [m.span() for m in _PARAGRAPH.finditer(self.text) if m.group().strip()]

    @cached_property
    def lede(self) -> tuple[int, int]:
        """The first sentence after the dateline (or the whole title field)."""
        if self.field == "title":
            return 0, len(self.text)
        start = self.dateline.end if self.dateline else 0
        first = next((p for p in self.paragraphs if p[1] > start), (start, len(self.text)))
        stop = re.search(r"[.!?](?=\s|$)", self.text[max(start, first[0]) : first[1]])
        return max(start, first[0]), (max(start, first[0]) + stop.end()) if stop else first[1]

    @cached_property
    def _lines(self) -> LineIndex:
        return LineIndex(self.original)

    def line_column(self, original_offset: int) -> tuple[int, int]:
        """1-based line and column of an offset into the original text."""
        return self._lines.locate(original_offset)


def article_fields(text: str, title: str | None) -> dict[str, str]:
    """An article's fields as scanned: the title (when there is one) and the text."""
    return {"title": title, "text": text} if title else {"text": text}


def article_documents(fields: Mapping[str, str]) -> list[Document]:
    """One Document per field; each knows the other, so a field's words are counted once."""
    docs = []
    for name, value in fields.items():
        other = fields.get("title") if name == "text" else fields.get("text")
        docs.append(Document(value, field=name, other=other))  # type: ignore[arg-type]
    if len(docs) == 2:
        docs[0].partner, docs[1].partner = docs[1], docs[0]
    return docs
