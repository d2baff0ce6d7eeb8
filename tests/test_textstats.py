"""Tests of detector.textstats: the hash contract, the artifact loaders, the two build scripts on a
tiny made-up corpus, and what the shipped artifacts say about well-known words and coins."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from detector.artifacts import artifact_path
from detector.errors import DetectorError, ModelError
from detector.textstats import (
    COIN,
    COINLEX,
    DISTINCTIVE,
    ORDINARY,
    TICKER,
    WORDSTATS,
    CoinLexicon,
    WordStats,
    _hash_cache,
    combine_hashes,
    hash_phrase,
    hash_tokens,
    ngram_hashes,
    words,
)

TRAINING = Path(__file__).resolve().parent.parent / "training"

# --- the hash contract: these values are stored in the shipped artifacts --------------------

# blake2b(digest_size=8) of the UTF-8 bytes, read little-endian. Changing the scheme silently
# invalidates every artifact, so the values are pinned here.
KNOWN_HASHES = [
    ("bitcoin", 0xC470B4E498D073CC),
    ("the", 0x2E3A97906CABDA5E),
    ("libertycoin", 0xCE8CD40B346E064A),
    ("", 0xB4B2797457A0A6E4),
]


@pytest.mark.parametrize(("token", "expected"), KNOWN_HASHES)
def test_hash_tokens_is_pinned(token: str, expected: int) -> None:
    _hash_cache.clear()
    cold = hash_tokens([token])
    warm = hash_tokens([token])
    assert cold.dtype == np.uint64
    assert int(cold[0]) == int(warm[0]) == expected


def test_phrase_hash_is_pinned_and_ordered() -> None:
    assert hash_phrase(["shiba", "inu"]) == 0xD794136319E9AD21
    assert hash_phrase(["inu", "shiba"]) == 0x196C30ED888BDFCA


def test_hash_tokens_vectorises_and_repeats() -> None:
    tokens = ["the", "coin", "the", "said", "coin"]
    hashes = hash_tokens(tokens)
    assert hashes.shape == (5,)
    assert hashes[0] == hashes[2] and hashes[1] == hashes[4]
    assert len(set(hashes.tolist())) == 3
    assert hash_tokens([]).shape == (0,) and hash_tokens([]).dtype == np.uint64


def test_ngram_hashes_fold_left() -> None:
    h = hash_tokens(["a", "b", "c", "d"])
    assert ngram_hashes(h, 1).tolist() == h.tolist()
    assert ngram_hashes(h, 2).tolist() == combine_hashes(h[:-1], h[1:]).tolist()
    tri = ngram_hashes(h, 3)
    assert len(tri) == 2
    assert int(tri[1]) == hash_phrase(["b", "c", "d"])
    assert len(ngram_hashes(h, 5)) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("THE HAGUE,LibertyCoin Netherlands", ["the", "hague", "libertycoin", "netherlands"]),
        ("U.S. officials' Shiba-Inu", ["u.s", "officials", "shiba-inu"]),
        ("rock_n_roll", ["rock", "n", "roll"]),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


# --- loaders -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loader", "script"),
    [(WordStats.load, "build_wordstats.py"), (CoinLexicon.load, "build_coinlex.py")],
)
def test_missing_artifact_names_the_build_script(tmp_path: Path, loader, script: str) -> None:
    with pytest.raises(DetectorError, match=script):
        loader(tmp_path / "absent.npz")


def test_artifact_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    np.savez(path, keys=np.zeros(0, np.uint64), meta=np.array(json.dumps({"format": 0})))
    with pytest.raises(ModelError, match="rebuild"):
        CoinLexicon.load(path)


# --- the build scripts on a tiny corpus made up for the test -------------------------------


def _load_script(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(TRAINING))
    spec = importlib.util.spec_from_file_location(name, TRAINING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def _write_jsonl(path: Path, texts: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"id": str(i), "source": "test", "title": None, "text": t} for i, t in enumerate(texts)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


TINY_NEWS = [
    "OSLO, May 2 - The harbour board said the ferry fleet would grow. Ferry fares rose.",
    "OSLO, May 3 - Officials in Oslo said the ferry fleet was old, and the harbour was full.",
    "OSLO, May 3 - Officials in Oslo said the ferry fleet was old, and the harbour was full.",
    "Later, the board in Oslo said fares would rise. Analysts in Bergen said the board acted.",
]
TINY_COINS = [
    {"id": "ferry", "symbol": "fry", "name": "Ferry", "mcap_rank_2022_08": None},
    {"id": "zorble", "symbol": "zrb", "name": "Zorblecoin", "mcap_rank_2022_08": 7},
    {"id": "shiba", "symbol": "shib", "name": "Shiba Inu", "mcap_rank_2022_08": 12},
    {"id": "board", "symbol": "the", "name": "The Harbour Board", "mcap_rank_2022_08": None},
]


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    _write_jsonl(data / "reuters21578" / "reuters21578.jsonl", TINY_NEWS[:3])
    _write_jsonl(data / "ag_news" / "ag_news_test.jsonl", TINY_NEWS[3:])
    coins = data / "crypto_coins" / "coingecko_coins_merged.jsonl"
    coins.parent.mkdir(parents=True)
    coins.write_text("".join(json.dumps(c) + "\n" for c in TINY_COINS), encoding="utf-8")
    return data


def test_build_wordstats_counts_and_is_deterministic(
    tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = _load_script("build_wordstats", monkeypatch)
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    assert build.main(["--data", str(tiny_data), "--out", str(first)]) == 0
    assert build.main(["--data", str(tiny_data), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()

    stats = WordStats.load(first)
    assert stats.totals["docs"] == 3  # the duplicate text is counted once
    assert stats.totals["duplicate_docs_skipped"] == 1
    said, ferry, bergen = stats.unigram_counts(["said", "ferry", "bergen"])
    assert (said, ferry) == (4, 3)
    assert bergen == 0  # seen once: pruned
    assert stats.doc_counts(["oslo"])[0] == 3
    # Bigrams stay inside a sentence: "grow. Ferry" is no bigram.
    assert stats.bigram_counts(["ferry", "grow", "in"], ["fleet", "ferry", "oslo"]).tolist() == [
        2,
        0,
        2,
    ]
    # "Oslo" mid-sentence is capitalised; sentence-initial words are not counted at all.
    lower, cap = stats.case_counts(["oslo", "the", "ferry"])
    assert cap.tolist() == [2, 0, 0]
    assert lower.tolist()[1:] == [5, 2]
    ratio = stats.lower_ratio(["oslo", "the", "zzz"])
    assert ratio[0] == 0.0 and ratio[1] == 1.0 and np.isnan(ratio[2])


def test_build_coinlex_flags(tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _load_script("build_wordstats", monkeypatch).main(
        ["--data", str(tiny_data), "--out", str(tmp_path / WORDSTATS)]
    )
    build = _load_script("build_coinlex", monkeypatch)
    out = tmp_path / COINLEX
    argv = ["--data", str(tiny_data), "--wordstats", str(tmp_path / WORDSTATS), "--out", str(out)]
    assert build.main([*argv, "--news-only"]) == 0

    lex = CoinLexicon.load(out)
    assert lex.meta["attribution"] == "Data provided by CoinGecko"
    ferry, zorble, shiba, board, fry, absent = lex.lookup(
        ["ferry", "zorblecoin", "shiba inu", "harbour board", "fry", "oslo"]
    )
    assert ferry & (COIN | TICKER | ORDINARY) == COIN | ORDINARY
    assert zorble & (COIN | ORDINARY | DISTINCTIVE) == COIN | DISTINCTIVE
    assert shiba & (COIN | ORDINARY | DISTINCTIVE) == COIN | DISTINCTIVE
    assert board & (COIN | ORDINARY) == COIN | ORDINARY  # "the" dropped; seen as a bigram
    assert fry & (TICKER | ORDINARY) == TICKER
    assert absent == 0
    assert lex.ranks(["zorblecoin", "shiba-inu", "ferry"]).tolist() == [1, 2, 0]


# --- the shipped artifacts -----------------------------------------------------------------


def _shipped(name: str) -> Path:
    path = artifact_path(name)
    if not path.is_file():
        pytest.skip(f"{name} not built (python training/build_wordstats.py, build_coinlex.py)")
    return path


@pytest.fixture(scope="module")
def stats() -> WordStats:
    return WordStats.load(_shipped(WORDSTATS))


@pytest.fixture(scope="module")
def lexicon() -> CoinLexicon:
    return CoinLexicon.load(_shipped(COINLEX))


@pytest.mark.parametrize("word", ["the", "said", "year", "company"])
def test_common_words_are_frequent(stats: WordStats, word: str) -> None:
    assert stats.unigram_counts([word])[0] > 1000


@pytest.mark.parametrize(
    ("left", "right", "seen"),
    [
        ("the", "hague", True),
        ("hague", "netherlands", True),  # dateline "THE HAGUE, Netherlands"
        ("prime", "minister", True),
        ("hague", "libertycoin", False),
        ("libertycoin", "netherlands", False),
    ],
)
def test_bigrams(stats: WordStats, left: str, right: str, seen: bool) -> None:
    assert bool(stats.bigram_counts([left], [right])[0] > 0) is seen


@pytest.mark.parametrize(
    ("word", "low", "high"),
    [("house", 0.1, 1.0), ("gas", 0.5, 1.0), ("april", 0.0, 0.05), ("netherlands", 0.0, 0.05)],
)
def test_lower_ratio(stats: WordStats, word: str, low: float, high: float) -> None:
    assert low <= stats.lower_ratio([word])[0] <= high


def test_unseen_word_has_no_ratio(stats: WordStats) -> None:
    assert np.isnan(stats.lower_ratio(["libertycoin"])[0])


@pytest.mark.parametrize(
    "name",
    ["april", "united", "house", "prime", "solana", "tether", "gas", "dash", "compound", "maker"],
)
def test_ordinary_coin_names(lexicon: CoinLexicon, name: str) -> None:
    flags = lexicon.lookup([name])[0]
    assert flags & COIN and flags & ORDINARY


@pytest.mark.parametrize(
    "name", ["bitcoin", "dogecoin", "ethereum", "cardano", "shiba inu", "shiba-inu", "bitcoin cash"]
)
def test_distinctive_coin_names(lexicon: CoinLexicon, name: str) -> None:
    flags = lexicon.lookup([name])[0]
    assert flags & COIN and flags & DISTINCTIVE and not flags & ORDINARY


@pytest.mark.parametrize(
    ("ticker", "ordinary"), [("usd", True), ("ceo", True), ("btc", False), ("usdt", False)]
)
def test_tickers(lexicon: CoinLexicon, ticker: str, ordinary: bool) -> None:
    flags = lexicon.lookup([ticker])[0]
    assert flags & TICKER
    assert bool(flags & ORDINARY) is ordinary


@pytest.mark.parametrize("word", ["libertycoin", "paypal", "said"])
def test_not_coins(lexicon: CoinLexicon, word: str) -> None:
    assert lexicon.lookup([word])[0] & (COIN | TICKER) == 0


def test_lookup_ngrams_finds_the_longest_name(lexicon: CoinLexicon) -> None:
    tokens = ["officials", "said", "shiba", "inu", "said", "bitcoin", "cash", "said"]
    match = lexicon.lookup_ngrams(tokens)
    assert match.length.tolist() == [0, 0, 2, 1, 0, 2, 1, 0]  # "inu", "cash" are names too
    assert match.flags[2] & DISTINCTIVE and not match.flags[2] & ORDINARY
    assert match.flags[5] & COIN and match.rank[5] > 0
    assert lexicon.lookup_ngrams([]).length.shape == (0,)


def test_lexicon_carries_attribution(lexicon: CoinLexicon) -> None:
    assert lexicon.meta["attribution"] == "Data provided by CoinGecko"


# --- against the research data (skips where it is absent) ----------------------------------


def test_artifacts_match_the_data_they_were_built_from(data_dir: Path, stats, lexicon) -> None:
    build = _load_script_plain("build_wordstats")
    for meta in (stats.meta, lexicon.meta):
        for source in meta["sources"]:
            if "file" in source and not source["file"].startswith("artifacts/"):
                path = data_dir / source["file"]
                assert build.sha256(path) == source["sha256"], f"{path} changed: rebuild"


def _load_script_plain(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_{name}", TRAINING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _capitalised_plain_name_share(lexicon: CoinLexicon, path: Path) -> float:
    from detector.textstats import WORD_RE

    docs = hits = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            toks = WORD_RE.findall(f"{record.get('title') or ''}\n{record['text']}")
            match = lexicon.lookup_ngrams([t.lower() for t in toks])
            caps = np.array([t[:1].isupper() for t in toks], dtype=bool)
            plain = (match.flags & COIN != 0) & (match.flags & ORDINARY == 0)
            docs += 1
            hits += bool((caps & plain).any())
    return hits / docs


def test_filtered_lexicon_spares_clean_news_and_finds_crypto_news(
    data_dir: Path, lexicon: CoinLexicon
) -> None:
    """Evaluation data, only measured: a naive name list hits 70% of BBC documents."""
    bbc = _capitalised_plain_name_share(lexicon, data_dir / "bbc_news" / "bbc_news.jsonl")
    crypto_path = data_dir / "crypto_news" / "crypto_fulltext_2018_2019.jsonl"
    crypto = _capitalised_plain_name_share(lexicon, crypto_path)
    assert bbc < 0.08
    assert crypto > 0.8
