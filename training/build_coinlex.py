"""Build artifacts/coinlex.npz: hashed CoinGecko coin names and tickers, each flagged as a coin
name or ticker, as ORDINARY (a word, name or abbreviation of clean news) or DISTINCTIVE
(coin-like, or unseen in clean news), with a 2022 market-cap rank bucket. Data provided by
CoinGecko.

Ordinary means: used in the clean training news (artifacts/wordstats.npz), or an English word of
Webster's 2nd (the `english-words` package, 1934, so free of crypto), a US-census first name or
one of the 10,000 commonest surnames (the `names` package), an ISO 4217 currency code
(`pycountry`), or a place of the gazetteer (artifacts/gazetteer.json.gz). These packages belong
in the `build` extra.

    python training/build_coinlex.py [--data DIR] [--wordstats FILE] [--out FILE] [--measure]

`--measure` then reports, for the evaluation corpora (BBC, crypto_news), the share of documents
with a capitalised non-ordinary coin name; it only reads them and never changes the artifact.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from build_wordstats import default_data_dir, iter_texts, sha256, write_npz  # noqa: E402

from detector.artifacts import artifact_path  # noqa: E402
from detector.gazetteer import ARTIFACT as GAZETTEER  # noqa: E402
from detector.gazetteer import Gazetteer, get_gazetteer  # noqa: E402
from detector.textstats import (  # noqa: E402
    COIN,
    COINLEX,
    DISTINCTIVE,
    FORMAT,
    HASH_SCHEME,
    ORDINARY,
    PIECE_RE,
    TICKER,
    WORD_RE,
    WORDSTATS,
    CoinLexicon,
    WordStats,
    hash_phrase,
)

COINS = "crypto_coins/coingecko_coins_merged.jsonl"
ATTRIBUTION = "Data provided by CoinGecko"
MAX_WORDS = 6  # longer names are dropped: they do not occur verbatim in running text
# A word is ordinary when clean news has it in this many documents, or ever uses it lowercase
# mid-sentence (a common noun or verb); a multi-word name when every adjacent pair was seen, or
# when each of its words is ordinary and none is coin-like ("Good Morning", "Douglas Adams").
MIN_DOCS = 2
MIN_LOWER = 1
MIN_BIGRAM = 2
MAX_SURNAME_RANK = 10_000  # US census 1990 surnames, by frequency; first names: all listed
# Pieces of coin branding. STRONG: a name holding one is coin-like whatever the news says, and
# is never ordinary by its words alone. WEAK: coin-like only when the name is not ordinary.
STRONG = re.compile(
    r"coin|token|swap|chain|verse|doge|shib|pepe|floki|crypto|defi|nft|bitcoin|btc|usdt|usdc|"
    r"(?:^|\s)(?:inu|dao|eth|ether|elon|meme|wif|bonk|degen|gme|ordinals?|wrapped|bridged|"
    r"staked|pegged)(?:\s|$)|\w{3}(?:fi|dao|inu|swap)(?:\s|$)"
)
WEAK = re.compile(
    r"moon|stake|yield|launchpad|(?:^|\s)(?:ai|x|fi|protocol|finance|network|labs?|baby|safe|"
    r"mini|meta|pump|cat|frog)(?:\s|$)|\w{3}(?:ai|x|ium|eum|ex)(?:\s|$)"
)
_ROMAN = re.compile(r"(?=[mdclxvi]{2,})m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})")
# Parenthesised or bracketed suffixes: chain of a bridged token, "[OLD]", "(Wormhole)".
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
# Market-cap rank buckets (rank 2022-08): 1 top 10, 2 top 50, 3 top 100, 4 ranked lower.
RANK_BUCKETS = (10, 50, 100)


def rank_bucket(rank: int | None) -> int:
    if not rank:
        return 0
    return next((i + 1 for i, top in enumerate(RANK_BUCKETS) if rank <= top), len(RANK_BUCKETS) + 1)


def name_forms(name: str) -> set[tuple[str, ...]]:
    """The token sequences a coin name is known by: as written, without bracketed suffixes,
    without a leading "the", each also split at inner punctuation (`shiba-inu` -> `shiba inu`)
    and hyphenated into one word (`shiba inu` -> `shiba-inu`)."""
    forms: set[tuple[str, ...]] = set()
    low = name.lower()
    for text in {low, _BRACKETS.sub("", low)}:
        toks = tuple(WORD_RE.findall(text))
        pieces = tuple(PIECE_RE.findall(text))
        for seq in (toks, pieces):
            forms.add(seq)
            if len(seq) > 1 and seq[0] == "the":
                forms.add(seq[1:])
        if 1 < len(pieces) <= 3:
            forms.add(("-".join(pieces),))
    return {f for f in forms if 0 < len(f) <= MAX_WORDS}


def ticker_forms(symbol: str) -> set[tuple[str, ...]]:
    """A ticker as one token (`$pepe` -> `pepe`, `btc.b`), also split at inner punctuation."""
    low = symbol.lower()
    forms = {tuple(WORD_RE.findall(low)), tuple(PIECE_RE.findall(low))}
    return {f for f in forms if 0 < len(f) <= 2}


def reference_words() -> tuple[frozenset[str], dict[str, str]]:
    """Ordinary words from outside the news: Webster's 2nd, census first names and common
    surnames, gazetteer places (single words; multi-word places are checked whole)."""
    try:
        import names as census
        import pycountry
        from english_words import get_english_words_set
    except ImportError as exc:
        raise SystemExit(
            f"{exc.name} is missing: pip install -e '.[build]' (english-words, names, pycountry)"
        ) from None
    vocab = set(get_english_words_set(["web2"], lower=True))
    folder = resources.files(census)
    for fname, max_rank in (
        ("dist.male.first", None),
        ("dist.female.first", None),
        ("dist.all.last", MAX_SURNAME_RANK),
    ):
        for line in (folder / fname).read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if fields and (max_rank is None or int(fields[-1]) <= max_rank):
                vocab.add(fields[0].lower())
    vocab.update(c.alpha_3.lower() for c in pycountry.currencies)  # usd, eur, gbp, ...
    versions = {pkg: metadata.version(pkg) for pkg in ("english-words", "names", "pycountry")}
    return frozenset(vocab), versions


class Judge:
    """Decides ORDINARY and DISTINCTIVE for a token sequence from the clean-news statistics, a
    reference vocabulary and the gazetteer."""

    def __init__(self, stats: WordStats, vocab: frozenset[str], places: Gazetteer | None) -> None:
        self.stats = stats
        self.vocab = vocab
        self.places = places

    def ordinary_word(self, word: str) -> bool:
        if word.isdigit() or len(word) <= 2 or _ROMAN.fullmatch(word) or word in self.vocab:
            return True
        docs = self.stats.doc_counts([word])[0]
        lower = self.stats.case_counts([word])[0][0]
        return bool(docs >= MIN_DOCS or lower >= MIN_LOWER)

    def flags(self, seq: tuple[str, ...], *, ranked: bool = False) -> int:
        pieces = tuple(PIECE_RE.findall(" ".join(seq)))
        if len(seq) == 1 and len(pieces) > 1 and self.stats.doc_counts(seq)[0] == 0:
            return self.flags(pieces, ranked=ranked)  # `good-morning` as `good morning`
        text = " ".join(seq)
        strong = STRONG.search(text) is not None
        weak = WEAK.search(text) is not None
        place = self.places is not None and self.places.is_place(text)
        if len(seq) == 1:
            ordinary = place or self.ordinary_word(seq[0])
            unseen = self.stats.doc_counts(seq)[0] == 0 and (len(seq[0]) > 4 or ranked)
        else:
            pairs = self.stats.bigram_counts(seq[:-1], seq[1:])
            ordinary = (
                place
                or bool((pairs >= MIN_BIGRAM).all())
                or (not strong and all(self.ordinary_word(w) for w in seq))
            )
            unseen = bool((pairs == 0).any())
        flags = ORDINARY if ordinary else 0
        if strong or (not ordinary and (weak or unseen)):
            flags |= DISTINCTIVE
        return flags


def build(
    data_dir: Path, wordstats: Path, *, reference: bool = True
) -> tuple[dict[str, np.ndarray], dict]:
    path = data_dir / COINS
    if not path.is_file():
        raise SystemExit(f"coin list missing: {path} (use --data or DETECTOR_SHARED_DATA)")
    vocab, versions = reference_words() if reference else (frozenset(), {})
    places = get_gazetteer() if reference else None
    judge = Judge(WordStats.load(wordstats), vocab, places)
    entries: dict[tuple[str, ...], list[int]] = {}  # form -> [kind flags, best rank]

    def add(forms: Iterable[tuple[str, ...]], kind: int, rank: int | None) -> None:
        for form in forms:
            entry = entries.setdefault(form, [0, 0])
            entry[0] |= kind
            if rank and (entry[1] == 0 or rank < entry[1]):
                entry[1] = rank

    n_coins = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            coin = json.loads(line)
            n_coins += 1
            rank = coin.get("mcap_rank_2022_08")
            add(name_forms(coin.get("name") or ""), COIN, rank)
            add(ticker_forms(coin.get("symbol") or ""), TICKER, rank)

    forms = sorted(entries)
    keys = np.array([hash_phrase(f) for f in forms], dtype=np.uint64)
    flags = np.array(
        [entries[f][0] | judge.flags(f, ranked=entries[f][1] > 0) for f in forms], dtype=np.uint8
    )
    ranks = np.array([rank_bucket(entries[f][1]) for f in forms], dtype=np.uint8)
    order = np.argsort(keys, kind="stable")
    keys, flags, ranks = keys[order], flags[order], ranks[order]
    uniq, starts = np.unique(keys, return_index=True)
    flags = np.bitwise_or.reduceat(flags, starts).astype(np.uint8)
    ranks = np.minimum.reduceat(np.where(ranks == 0, 255, ranks), starts)
    ranks = np.where(ranks == 255, 0, ranks).astype(np.uint8)

    def share(mask: int, want: int) -> int:
        return int(((flags & mask) == want).sum())

    counts = {
        "coins": n_coins,
        "keys": len(uniq),
        "hash_collisions": len(keys) - len(uniq),
        "names": share(COIN, COIN),
        "tickers": share(TICKER, TICKER),
        "names_ordinary": share(COIN | ORDINARY, COIN | ORDINARY),
        "names_distinctive": share(COIN | DISTINCTIVE, COIN | DISTINCTIVE),
        "names_plain": share(COIN | ORDINARY, COIN),
        "tickers_ordinary": share(TICKER | ORDINARY, TICKER | ORDINARY),
        "ranked": int((ranks > 0).sum()),
    }
    sources = [
        {"file": COINS, "sha256": sha256(path), "attribution": ATTRIBUTION},
        {"file": f"artifacts/{WORDSTATS}", "sha256": sha256(wordstats)},
    ]
    if reference:
        sources += [
            {"file": f"artifacts/{GAZETTEER}", "sha256": sha256(artifact_path(GAZETTEER))},
            {
                "package": "english-words",
                "version": versions["english-words"],
                "list": "web2",
                "licence": "MIT; Webster's Second International (1934), public domain",
            },
            {
                "package": "pycountry",
                "version": versions["pycountry"],
                "licence": "LGPL-2.1; ISO 4217 currency codes from Debian iso-codes",
            },
            {
                "package": "names",
                "version": versions["names"],
                "licence": "MIT; US Census 1990 name lists, public domain",
            },
        ]
    meta = {
        "artifact": COINLEX,
        "format": FORMAT,
        "hash": HASH_SCHEME,
        "built_by": "training/build_coinlex.py",
        "attribution": ATTRIBUTION,
        "licence": "CoinGecko data: attribute 'Data provided by CoinGecko'",
        "sources": sources,
        "reference_words": reference,
        "flags": {"coin": COIN, "ticker": TICKER, "ordinary": ORDINARY, "distinctive": DISTINCTIVE},
        "rank_buckets": {"1": "top 10", "2": "top 50", "3": "top 100", "4": "ranked lower"},
        "max_words": MAX_WORDS,
        "rules": {
            "ordinary_word": f"in >= {MIN_DOCS} training docs or >= {MIN_LOWER} lowercase "
            "mid-sentence uses, or in web2, census first names, surnames ranked <= "
            f"{MAX_SURNAME_RANK}, ISO 4217 codes, gazetteer places; digits, roman numerals, "
            "<= 2 characters",
            "ordinary_phrase": f"a place, or every adjacent bigram seen >= {MIN_BIGRAM} times, "
            "or every word ordinary and none coin-like",
            "distinctive": "matches a strong coin morpheme; or not ordinary and either matches a "
            "weak one or is unseen in clean news (a word: longer than 4 characters or ranked)",
            "strong_morphemes": STRONG.pattern,
            "weak_morphemes": WEAK.pattern,
        },
        "counts": counts,
    }
    return {"keys": uniq, "flags": flags, "rank": ranks}, meta


# Evaluation only: how often a capitalised non-ordinary coin name occurs in clean documents.
EVAL = {
    "bbc_news": "bbc_news/bbc_news.jsonl",
    "crypto_news": "crypto_news/crypto_fulltext_2018_2019.jsonl",
}


def measure(lex: CoinLexicon, path: Path) -> dict[str, float]:
    docs = hit_names = hit_distinct = hit_tickers = 0
    for title, text in iter_texts(path):
        docs += 1
        toks = WORD_RE.findall(f"{title or ''}\n{text}")
        match = lex.lookup_ngrams([t.lower() for t in toks])
        caps = np.array([t[:1].isupper() for t in toks], dtype=bool)
        plain = (match.flags & ORDINARY) == 0
        names = caps & plain & ((match.flags & COIN) != 0)
        hit_names += bool(names.any())
        hit_distinct += bool((names & ((match.flags & DISTINCTIVE) != 0)).any())
        upper = np.array([t.isupper() and len(t) >= 2 for t in toks], dtype=bool)
        hit_tickers += bool((upper & plain & ((match.flags & TICKER) != 0)).any())
    return {
        "docs": docs,
        "non_ordinary_name": hit_names / max(docs, 1),
        "distinctive_name": hit_distinct / max(docs, 1),
        "non_ordinary_caps_ticker": hit_tickers / max(docs, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data dir")
    parser.add_argument("--wordstats", type=Path, default=REPO / "artifacts" / WORDSTATS)
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / COINLEX)
    parser.add_argument("--measure", action="store_true", help="report evaluation hit rates")
    parser.add_argument(
        "--news-only",
        action="store_true",
        help="judge ordinary words by the training news alone (no word lists, no gazetteer)",
    )
    args = parser.parse_args(argv)
    if not args.wordstats.is_file():
        raise SystemExit(f"{args.wordstats} missing: run training/build_wordstats.py first")
    started = time.perf_counter()
    arrays, meta = build(args.data, args.wordstats, reference=not args.news_only)
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    write_npz(args.out, arrays)
    took = time.perf_counter() - started
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB) in {took:.1f}s: {json.dumps(meta['counts'])}")
    if args.measure:
        lex = CoinLexicon.load(args.out)
        for name, rel in EVAL.items():
            if (args.data / rel).is_file():
                print(name, json.dumps(measure(lex, args.data / rel)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
