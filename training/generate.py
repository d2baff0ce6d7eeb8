"""Synthetic out-of-context insertions into clean news, with exact offsets: the training data.

The corpora are research data read from `../shared/data` at run time (never copied here). Every
sample is a deterministic function of the seed, the article id and the articles seen before it.

Run `python -m training.generate --corpus bbc --n 5 --seed 1` to eyeball samples as JSONL.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import sys
import warnings
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CORPORA = {
    "reuters": "reuters21578/reuters21578.jsonl",
    "agnews": "ag_news/ag_news_test.jsonl",
    "bbc": "bbc_news/bbc_news.jsonl",
    "crypto": "crypto_news/crypto_fulltext_2018_2019.jsonl",
}
COINS_FILE = "crypto_coins/coingecko_coins_merged.jsonl"
WORD_COUNT_CORPORA = ("reuters", "agnews")  # where a coin name counts as an ordinary word
MIN_REUTERS_CHARS = 300

PAYLOAD_TYPES = (
    "invented_coin",
    "real_coin",
    "ticker",
    "hashtag",
    "url",
    "handle",
    "promo_phrase",
    "other_spam",
)
# Weighs 0 in the default mix, so training never sees it: spam of families neither the training
# text nor the rules were written for (loans, essays, followers, replicas, dating, software),
# for measuring how the model does on injection styles it has never seen.
HELD_OUT_PAYLOADS = ("other_spam",)
POSITIONS = (
    "dateline_comma",
    "dateline_comma_nospace",
    "dateline_before_agency",
    "dateline_after_dash",
    "headline",
    "lede",
    "mid_sentence",
    "glued_word",
    "paragraph_end",
    "article_end",
)
EVASIONS = ("none", "homoglyph", "zero_width", "styled", "leet", "spaced")
TEASERS_KEPT = 64  # how many earlier articles truncated teasers are cut from


# --------------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Insertion:
    """One inserted payload; `start`/`end` are code-point offsets into the final field text."""

    field: str
    start: int
    end: int
    payload_type: str
    position: str
    evasion: str
    text: str


@dataclass(frozen=True, slots=True)
class Sample:
    """An article after synthetic datelines, insertions and page furniture."""

    id: str
    source: str
    text: str
    title: str | None
    insertions: tuple[Insertion, ...]


def _default_payload_mix() -> dict[str, float]:
    return {
        "invented_coin": 0.28,
        "real_coin": 0.14,
        "ticker": 0.11,
        "hashtag": 0.1,
        "url": 0.12,
        "handle": 0.1,
        "promo_phrase": 0.15,
    }


def _default_position_mix() -> dict[str, float]:
    return {
        "dateline_comma": 0.09,
        "dateline_comma_nospace": 0.09,
        "dateline_before_agency": 0.07,
        "dateline_after_dash": 0.07,
        "headline": 0.1,
        "lede": 0.12,
        "mid_sentence": 0.16,
        "glued_word": 0.1,
        "paragraph_end": 0.1,
        "article_end": 0.1,
    }


def _default_evasion_mix() -> dict[str, float]:
    return {"homoglyph": 0.25, "zero_width": 0.25, "styled": 0.15, "leet": 0.2, "spaced": 0.15}


@dataclass
class GeneratorConfig:
    """How samples are made.

    Parameters
    ----------
    seed : mixed with each article id into that article's random streams.
    clean_rate : share of samples left without insertions (they still get datelines, furniture).
    insertions : inclusive (min, max) insertions per injected sample.
    evasion_rate : share of insertions whose payload is disguised (see `evasion_mix`).
    furniture_rate : share of samples that get unlabelled page furniture after the body.
    synthetic_dateline_rate : share of articles without a dateline that get a modern one.
    payload_mix, position_mix, evasion_mix : relative weights; a missing key weighs 0.
    """

    seed: int = 0
    clean_rate: float = 0.35
    insertions: tuple[int, int] = (1, 3)
    evasion_rate: float = 0.3
    furniture_rate: float = 0.25
    synthetic_dateline_rate: float = 0.5
    payload_mix: dict[str, float] = field(default_factory=_default_payload_mix)
    position_mix: dict[str, float] = field(default_factory=_default_position_mix)
    evasion_mix: dict[str, float] = field(default_factory=_default_evasion_mix)

    def __post_init__(self) -> None:
        for name in ("clean_rate", "evasion_rate", "furniture_rate", "synthetic_dateline_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {value}")
        low, high = self.insertions
        if not 1 <= low <= high:
            raise ValueError(f"insertions must be (min, max) with 1 <= min <= max, got {low, high}")
        for name, known in (
            ("payload_mix", PAYLOAD_TYPES),
            ("position_mix", POSITIONS),
            ("evasion_mix", EVASIONS),
        ):
            mix = getattr(self, name)
            unknown = set(mix) - set(known)
            if unknown:
                raise ValueError(f"{name} has unknown keys {sorted(unknown)}; known: {known}")
            if any(w < 0 for w in mix.values()) or not any(w > 0 for w in mix.values()):
                raise ValueError(f"{name} needs non-negative weights, at least one positive")


# --------------------------------------------------------------------------------------------
# Corpora and coin names
# --------------------------------------------------------------------------------------------


def default_data_dir() -> Path:
    """`DETECTOR_SHARED_DATA`, else `../shared/data` beside the repository."""
    env = os.environ.get("DETECTOR_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def corpus_path(corpus: str, data_dir: Path | None = None) -> Path:
    """The JSONL file of `corpus` (one of `CORPORA`)."""
    if corpus not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; choose from {sorted(CORPORA)}")
    return Path(data_dir or default_data_dir()) / CORPORA[corpus]


def _read_jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise FileNotFoundError(
            f"research data not found at {path}; set DETECTOR_SHARED_DATA or put it in "
            "../shared/data"
        )
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_articles(corpus: str, data_dir: Path | None = None) -> Iterator[dict]:
    """Articles of `corpus` as dicts with `id`, `source`, `title`, `text`.

    Reuters texts under 300 characters (earnings tables) and exact-duplicate texts are skipped.
    """
    seen: set[bytes] = set()
    for record in _read_jsonl(corpus_path(corpus, data_dir)):
        text = record.get("text") or ""
        if not text.strip() or (corpus == "reuters" and len(text) < MIN_REUTERS_CHARS):
            continue
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        if digest in seen:
            continue
        seen.add(digest)
        yield {
            "id": str(record["id"]),
            "source": record.get("source") or corpus,
            "title": record.get("title") or None,
            "text": text,
        }


_WORD = re.compile(r"[a-z][a-z0-9]*(?:['’-][a-z0-9]+)*")
_COIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.'\- ]{3,23}")
# Words that make a multi-word name a coin even when each is ordinary (`Bolt Token`).
_COIN_MARKERS = frozenset(
    {"coin", "token", "swap", "inu", "dao", "defi", "nft", "protocol", "meme"}
)


@cache
def _ordinary_words(data_dir: str) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for corpus in WORD_COUNT_CORPORA:
        for record in _read_jsonl(corpus_path(corpus, Path(data_dir))):
            counts.update(_WORD.findall(f"{record.get('title') or ''} {record['text']}".lower()))
    return frozenset(counts)


@cache
def _coins(data_dir: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """`coin_names` and `ranked_coin_names`, from one read of the coin list."""
    ordinary = _ordinary_words(data_dir)
    out: dict[str, tuple[str, str]] = {}
    ranked: set[str] = set()  # lowercased names that had a market-cap rank
    for record in _read_jsonl(Path(data_dir) / COINS_FILE):
        name = " ".join(str(record.get("name") or "").split())
        symbol = str(record.get("symbol") or "").upper()
        if record.get("mcap_rank_2022_08"):
            ranked.add(name.lower())
        if len(name) < 4 or not _COIN_NAME.fullmatch(name) or len(name.split()) > 3:
            continue
        words = _WORD.findall(name.lower())
        if not words or name.lower() in ordinary:
            continue
        if all(w in ordinary for w in words) and _COIN_MARKERS.isdisjoint(words):
            continue
        if not re.fullmatch(r"[A-Z0-9]{2,6}", symbol):
            symbol = ""
        out.setdefault(name.lower(), (name, symbol))
    names = tuple(out.values())
    return names, tuple(c for c in names if c[0].lower() in ranked)


def _data_key(data_dir: Path | None) -> str:
    return str(Path(data_dir or default_data_dir()).resolve())


def ranked_coin_names(data_dir: Path | None = None) -> list[tuple[str, str]]:
    """The `coin_names` that had a 2022 market-cap rank (about 160), highest first: the coins
    news names in passing."""
    return list(_coins(_data_key(data_dir))[1])


def coin_names(data_dir: Path | None = None) -> list[tuple[str, str]]:
    """(name, symbol) of real CoinGecko coins that are not ordinary words.

    A name is dropped when it is shorter than 4 characters, when its lowercase form occurs as a
    word in Reuters-21578 or AG News (`April`, `United`, `House`, `Solana`), or when all of its
    words do and none is a coin word (`Echelon Prime`, but not `Bolt Token`). The symbol is
    uppercase, or empty when it is not 2-6 letters/digits.
    """
    return list(_coins(_data_key(data_dir))[0])


# --------------------------------------------------------------------------------------------
# Datelines: finding them, and making modern ones
# --------------------------------------------------------------------------------------------

_DATELINE = re.compile(
    r"(?:\*+|[a-z]\s+)?"  # Reuters-21578 markup residue (`****LONDON`, `c    CHICAGO`)
    r"(?:By [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} )?"
    r"[A-Z][A-Z.'’&/-]*(?: [A-Z][A-Z.'’&/-]*){0,4}"
    r"(?:(?P<comma>,)[ ,A-Za-z0-9.'’&/-]{1,50}?)?"
    r"(?P<agency> \([A-Za-z][A-Za-z.&/ -]{0,28}\))?"
    r"(?P<sep> ?)(?P<dash>—|–|--?)[ \t]+"
)
# A 1987 Reuters dateline typed in mixed or lower case (`Toronto, Feb 26 - `, `peoria, april 7 - `).
_DATED = re.compile(
    r"[A-Za-z][A-Za-z.'’ -]{1,30}?(?P<comma>,)[ ,A-Za-z.'’-]{0,40}?"
    r"\b(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}"
    r"(?P<agency>)(?P<sep> {0,2})(?P<dash>--?)[ \t]+"
)
# A source prefix that is no dateline but where none should be added (`SPACE.com - `,
# `Canadian Press - `): capitalised words or a domain, then a hyphen dash.
_PREFIX = re.compile(r"(?:[A-Z][\w.&']*|[a-z]+\.com)(?: [A-Z][\w.&']*){0,3} --? ")
_NEXT_DASH = re.compile(r" (?:--?|—|–) ")
_SIGNOFF = re.compile(r"\s+Reuters?\s*$")

_AP_STANDALONE = (  # `_` for a space
    "ATLANTA BOSTON CHICAGO DALLAS DENVER DETROIT HOUSTON LOS_ANGELES MIAMI MINNEAPOLIS "
    "NEW_ORLEANS NEW_YORK PHILADELPHIA PHOENIX SAN_FRANCISCO SEATTLE WASHINGTON BAGHDAD BANGKOK "
    "BEIJING BEIRUT BERLIN BRUSSELS CAIRO GENEVA HAVANA HONG_KONG ISLAMABAD ISTANBUL JERUSALEM "
    "JOHANNESBURG LONDON MADRID MEXICO_CITY MOSCOW NEW_DELHI PARIS ROME SINGAPORE STOCKHOLM "
    "SYDNEY TOKYO TORONTO VATICAN_CITY UNITED_NATIONS VIENNA ZURICH"
)
_US_PAIRS = (
    "MADISON:Wis. AUSTIN:Texas SACRAMENTO:Calif. ALBANY:N.Y. COLUMBUS:Ohio TALLAHASSEE:Fla. "
    "SPRINGFIELD:Ill. LANSING:Mich. HARRISBURG:Pa. RALEIGH:N.C. RICHMOND:Va. NASHVILLE:Tenn. "
    "FRANKFORT:Ky. MONTGOMERY:Ala. JACKSON:Miss. BATON_ROUGE:La. LITTLE_ROCK:Ark. TOPEKA:Kan. "
    "LINCOLN:Neb. DES_MOINES:Iowa ST._PAUL:Minn. BOISE:Idaho CHEYENNE:Wyo. HELENA:Mont. "
    "SALEM:Ore. OLYMPIA:Wash. CARSON_CITY:Nev. SANTA_FE:N.M. TUCSON:Ariz. ANCHORAGE:Alaska "
    "PORTLAND:Maine CONCORD:N.H. MONTPELIER:Vt. HARTFORD:Conn. PROVIDENCE:R.I. TRENTON:N.J. "
    "ANNAPOLIS:Md. DOVER:Del. CHARLESTON:W.Va. COLUMBIA:S.C. OAKLAND:Calif. FORT_WORTH:Texas"
)
_WORLD_PAIRS = (
    "THE_HAGUE:Netherlands KYIV:Ukraine ODESA:Ukraine NAIROBI:Kenya LAGOS:Nigeria ACCRA:Ghana "
    "DAKAR:Senegal ADDIS_ABABA:Ethiopia KHARTOUM:Sudan CARACAS:Venezuela BOGOTA:Colombia "
    "LIMA:Peru SANTIAGO:Chile BUENOS_AIRES:Argentina QUITO:Ecuador MANILA:Philippines "
    "JAKARTA:Indonesia HANOI:Vietnam SEOUL:South_Korea TAIPEI:Taiwan KARACHI:Pakistan "
    "DHAKA:Bangladesh COLOMBO:Sri_Lanka KATHMANDU:Nepal TEHRAN:Iran ANKARA:Turkey "
    "ATHENS:Greece LISBON:Portugal WARSAW:Poland KRAKOW:Poland BUDAPEST:Hungary "
    "BUCHAREST:Romania SOFIA:Bulgaria BELGRADE:Serbia ZAGREB:Croatia OSLO:Norway "
    "COPENHAGEN:Denmark REYKJAVIK:Iceland ANTWERP:Belgium FRANKFURT:Germany LYON:France "
    "BARCELONA:Spain NAPLES:Italy MANCHESTER:England GLASGOW:Scotland CARDIFF:Wales "
    "BELFAST:Northern_Ireland AUCKLAND:New_Zealand MELBOURNE:Australia "
    "VANCOUVER:British_Columbia CALGARY:Alberta HALIFAX:Nova_Scotia MUMBAI:India "
    "CAPE_TOWN:South_Africa HARARE:Zimbabwe KINSHASA:Congo BAMAKO:Mali TRIPOLI:Libya "
    "TUNIS:Tunisia RABAT:Morocco ALGIERS:Algeria AMMAN:Jordan DOHA:Qatar RIYADH:Saudi_Arabia "
    "DUBAI:United_Arab_Emirates MUSCAT:Oman TBILISI:Georgia YEREVAN:Armenia BAKU:Azerbaijan "
    "ALMATY:Kazakhstan TASHKENT:Uzbekistan MINSK:Belarus VILNIUS:Lithuania RIGA:Latvia "
    "TALLINN:Estonia"
)
_MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov")
_MONTHS += ("Dec",)
_CONNECTORS = frozenset({"de", "del", "la", "le", "el", "da", "do", "di", "du", "of", "and", "am"})
_SIMPLE_NAME = re.compile(r"[a-z]{3,}(?: [a-z]{2,}){0,2}")
_NOT_COUNTRY_START = ("republic", "kingdom", "state", "the ", "federal", "people", "democratic")
_NOT_COUNTRY_START += ("commonwealth", "principality", "grand ", "sultanate", "islamic", "union")


def _pairs(block: str) -> tuple[tuple[str, str], ...]:
    items = (item.split(":") for item in block.split())
    return tuple((c.replace("_", " "), r.replace("_", " ")) for c, r in items)


def _title_case(name: str) -> str:
    words = name.split()
    return " ".join(
        w if (i and w in _CONNECTORS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


@dataclass(frozen=True)
class _Places:
    standalone: tuple[str, ...]
    us_pairs: tuple[tuple[str, str], ...]
    world_pairs: tuple[tuple[str, str], ...]
    cities: tuple[str, ...]  # from the gazetteer, uppercase
    countries: tuple[str, ...]  # from the gazetteer, title case


def _gazetteer_names() -> dict[str, str]:
    """Normalised gazetteer name -> `tag|tag`: via `detector.gazetteer`, else the artifact file,
    else empty (the built-in place lists are used alone)."""
    try:
        from detector.gazetteer import get_gazetteer

        return {k: "|".join(sorted(v)) for k, v in get_gazetteer().names.items()}
    except Exception:  # the module is optional here: any failure falls back to the file
        pass
    try:
        with gzip.open(REPO / "artifacts" / "gazetteer.json.gz", "rt", encoding="utf-8") as fh:
            return dict(json.load(fh)["names"])
    except (OSError, ValueError, KeyError):
        return {}


@cache
def _places() -> _Places:
    names = _gazetteer_names()
    standalone = tuple(c.replace("_", " ") for c in _AP_STANDALONE.split())
    pairs = _pairs(_US_PAIRS) + _pairs(_WORLD_PAIRS)
    # Words of a longer built-in name (`HONG`, `FRANCISCO`) would read as a cut-off dateline.
    parts = {w.lower() for name in standalone + tuple(c for c, _ in pairs) for w in name.split()}
    cities, countries = [], []
    for key, tags in sorted(names.items()):
        if not _SIMPLE_NAME.fullmatch(key) or len(key) > 20:
            continue
        if tags == "city" and len(key) >= 4 and key not in parts:
            cities.append(key.upper())
        country = "country" in tags.split("|") and " of " not in f" {key} "
        if country and not key.startswith(_NOT_COUNTRY_START):
            countries.append(_title_case(key))
    return _Places(
        standalone=standalone,
        us_pairs=_pairs(_US_PAIRS),
        world_pairs=_pairs(_WORLD_PAIRS),
        cities=tuple(cities),
        countries=tuple(countries),
    )


def _city(rng: random.Random, places: _Places) -> str:
    if places.cities and rng.random() < 0.35:
        return rng.choice(places.cities)
    return rng.choice(places.standalone)


def _city_region(rng: random.Random, places: _Places) -> tuple[str, str]:
    roll = rng.random()
    if places.cities and places.countries and roll < 0.3:
        return rng.choice(places.cities), rng.choice(places.countries)
    if roll < 0.65:
        return rng.choice(places.us_pairs)
    return rng.choice(places.world_pairs)


def synthetic_dateline(rng: random.Random) -> str:
    """A modern wire dateline with its trailing space, in AP, Reuters or AFP form."""
    places = _places()
    form = rng.choices(
        ("ap_region", "ap_alone", "reuters", "reuters_alone", "afp"),
        weights=(0.3, 0.15, 0.25, 0.15, 0.15),
    )[0]
    if form == "ap_region":
        city, region = _city_region(rng, places)
        dash = rng.choices(("—", "--", "-"), weights=(0.7, 0.15, 0.15))[0]
        return f"{city}, {region} (AP) {dash} "
    if form == "ap_alone":
        dash = rng.choices(("—", "--", "-"), weights=(0.7, 0.15, 0.15))[0]
        return f"{_city(rng, places)} (AP) {dash} "
    if form == "reuters":
        return f"{_city(rng, places)}, {rng.choice(_MONTHS)} {rng.randint(1, 28)} (Reuters) - "
    if form == "reuters_alone":
        return f"{_city(rng, places)} (Reuters) - "
    if rng.random() < 0.3:
        city, region = _city_region(rng, places)
        return f"{city}, {region} (AFP) - "
    return f"{_city(rng, places)} (AFP) - "


# --------------------------------------------------------------------------------------------
# Payloads
# --------------------------------------------------------------------------------------------


def _words(block: str) -> tuple[str, ...]:
    return tuple(block.split())


_STEMS = _words(
    "Liberty Vexa Nova Quantum Apex Titan Luna Orbit Pixel Hyper Zen Nexa Astro Lumi Kryo Volt "
    "Aero Stellar Nebula Cosmic Turbo Mega Ultra Alpha Omega Nexus Vertex Zenith Aether Solar "
    "Rocket Moon Safe Doge Shiba Floki Elon Golden Diamond Crypto Meta Bit Chain Block Hash "
    "Vault Prime Royal Eagle Tiger Dragon Phoenix Falcon Wolf Panda Kitty Pepe Frog Bull Whale "
    "Gem Star Sky Fusion Flux Pulse Spark Echo Vortex Matrix Cyber Neo Opti Swift Rapid Zora "
    "Kira Velo Qubi Xeno Zyra Trion Helio Aqua Terra Ignis Atlas Orion Vega Lyra Draco"
)
_SUFFIXES = _words("Coin Token Swap Chain Inu Fi DAO X Pay AI Verse Bit Cash Labs Dex Net Protocol")
_LOWER_SUFFIXES = _words("coin token swap chain pay fi bit cash dex verse")
_SECOND_WORDS = _words(
    "Chain Swap Finance Network Protocol Token Coin Labs Exchange Capital Pay Inu AI DAO Vault "
    "Bridge Markets Wallet"
)
_PREFIXES = _words("Baby Mini Safe Meta Elon Super Mega Turbo Based")
_ONSETS = _words("b br d dr f fl g gl k kr l m n p pr qu r s st t tr v vr x z zh th sk")
_VOWELS = _words("a e i o u y ae io ea ou")
_MIDDLES = ("n", "r", "l", "s", "m", "x", "v", "nt", "rv", "lt", "st", "", "", "")
_ENDINGS = _words(
    "vex trix lon dex rix nix zor mos lyx ra ion ium ara ova ix yx on ex is us eon ano"
)
_CAPS = "ABCDEFGHIJKLMNOPQRSTUVWXYZXXZZQQVVKK"

_GENERIC_TAGS = _words(
    "ToTheMoon HODL Airdrop PresaleLive WAGMI MoonShot GemAlert Altseason 100x 1000x NextBitcoin "
    "CryptoGems FreeSpins BigWin Jackpot PassiveIncome GetRich BuyTheDip DeFi NFTDrop Web3 "
    "CryptoSignals PumpIt LFG SendIt Bullrun MemeCoin"
)
_TLDS = _words(
    "io xyz finance app net com org co bet vip club top site online live pro ai fi cc shop win"
)
_URL_WORDS = _words("presale official airdrop claim app finance bonus dex swap mint rewards token")
_URL_PATHS = _words(
    "claim airdrop presale bonus join buy free register connect-wallet mint rewards promo "
    "signup bonus/welcome vip invite"
)
_SHORTENERS = ("bit.ly", "tinyurl.com", "cutt.ly", "rb.gy", "is.gd", "t.ly")
_HANDLE_TAILS = _words(
    "_official _ann official _io _channel _signals _vip group _pumps _chat _news"
)
_GENERIC_HANDLES = _words(
    "pumpgroup cryptosignalsvip moonshotcalls whalealerts_vip gemhunters insidercalls "
    "x100club alphaleaks freespinsdaily pumpsignals_pro binance_pumps vipsignals"
)
_HANDLE_FORMS = (
    "t.me/{h}",
    "https://t.me/{h}",
    "Telegram: @{h}",
    "TG: @{h}",
    "@{h}",
    "Join t.me/{h}",
    "DM @{h} on Telegram",
    "discord.gg/{code}",
    "x.com/{h}",
    "twitter.com/{h}",
    "Signal: @{h}",
    "WhatsApp group: chat.whatsapp.com/{code}",
)

_CRYPTO_TEMPLATES = (
    "join the {coin} presale now",
    "buy {coin} before it moons",
    "{coin} presale live now",
    "guaranteed {n}x returns",
    "guaranteed {n}x returns with {coin}",
    "don't miss the {coin} airdrop",
    "claim your free {coin} tokens",
    "{coin} is the next {n}x gem",
    "get in early on {coin}",
    "stake {coin} for {pct}% APY",
    "{coin} listing on major exchanges soon",
    "turn ${small} into ${big} with {coin}",
    "{coin} to the moon",
    "last chance to buy {coin} at presale price",
    "{coin} stage {stage} presale ends soon",
    "ape into {coin} now",
    "{coin} airdrop is live, claim yours",
    "connect your wallet to claim {coin}",
    "early holders of {coin} are up {n}x",
    "the smartest money is buying {coin}",
    "{coin} will 100x this month",
    "whales are loading up on {coin}",
    "presale bonus: {pct}% extra {coin} today",
    "limited {coin} allocation left",
    "{coin} holders earn passive income daily",
    "mint your {coin} NFT free",
    "be early, not late: {coin}",
    "{coin} just launched, buy now",
)
_SCAM_TEMPLATES = (
    "double your bitcoin in 24 hours",
    "earn ${big} a week from home",
    "risk-free trading signals",
    "limited spots left, act now",
    "get rich with crypto in {days} days",
    "our signals made {pct}% last week",
    "make ${small} a day with this one trick",
    "financial freedom starts today",
    "send {small} USDT, get {big} back",
    "join {n},000 investors already earning",
    "click here to claim your reward",
    "you have been selected for a ${big} prize",
)
_CASINO_TEMPLATES = (
    "claim your free spins at {casino}",
    "{n} free spins no deposit at {casino}",
    "play now at {casino} and win big",
    "get a {pct}% welcome bonus at {casino}",
    "best online casino: {casino}",
    "bet on {sport} at {casino}",
    "{casino}: ${big} jackpot waiting",
    "spin to win at {casino} tonight",
    "join {casino} for instant withdrawals",
    "{game} with {pct}% cashback at {casino}",
    "register at {casino}, get ${small} free",
    "hot {game} tables live at {casino}",
)
_PHARMA_TEMPLATES = (
    "buy cheap {drug} online",
    "{drug} without prescription",
    "order {drug} now, fast discreet shipping",
    "lowest prices on {drug}",
    "generic {drug} {mg}mg for ${small}",
    "{drug} {mg}mg, no doctor needed",
    "get {drug} delivered overnight",
    "{pct}% off {drug} today only",
    "buy {drug} online with bitcoin",
    "discount {drug} pills, free shipping",
)
# The `other_spam` family: written after the rules and never used for training or tuning.
_OTHER_SPAM_TEMPLATES = (
    "payday loans approved in minutes",
    "bad credit? get a ${big} loan today",
    "instant cash loans, no credit check",
    "cheap essay writing service, any deadline",
    "hire an expert to write your thesis tonight",
    "buy {n},000 real Instagram followers",
    "get more TikTok likes instantly",
    "replica Rolex watches at factory prices",
    "designer handbags {pct}% off at the outlet",
    "hot singles in your area are waiting",
    "meet lonely wives near you tonight",
    "download the fastest VPN free for {days} days",
    "cracked Photoshop full version download",
    "high quality backlinks for your website",
    "rank #1 on Google in a week",
    "forex robot pays out every hour",
    "gold IRA rollover kit for retirees",
    "lose {days} pounds in {days} days with keto gummies",
    "call Microsoft support at 1-800-555-0199 now",
    "iPhone 16 giveaway, enter before midnight",
)
_CASINO_A = _words(
    "Royal Lucky Golden Vegas Diamond Jackpot Spin Mega Star Cherry Red Emerald Silver Wild Grand "
    "Crown Dragon Neon Platinum Magic"
)
_CASINO_B = _words("Ace Palace Spins Slots Riches Fortune Crown Bet Win Reels Vegas Joker Stars")
_CASINO_C = ("Casino", "Casino", "Bet", "Slots", "Club", "")
_DRUGS = _words(
    "viagra cialis levitra kamagra xanax tramadol oxycodone adderall phentermine valium ambien "
    "modafinil ozempic semaglutide clomid propecia tadalafil sildenafil codeine percocet "
    "vicodin hydrocodone diazepam alprazolam soma fioricet ativan klonopin ritalin"
)
_GAMES = ("blackjack", "roulette", "poker", "baccarat", "slots", "live casino", "crash games")
_SPORTS = ("football", "the Premier League", "the NBA", "tennis", "cricket", "horse racing")
_EMOJI = ("🚀", "💰", "🔥", "💎", "🎰", "✅", "📈", "🤑")


def _syllable_word(rng: random.Random) -> str:
    word = rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_MIDDLES) + rng.choice(_ENDINGS)
    return word[:1].upper() + word[1:]


def _stem(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return rng.choice(_STEMS)
    word = rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(("", "x", "r", "n", "v"))
    word += rng.choice(("a", "o", "i", "", ""))
    return word[:1].upper() + word[1:]


def invented_name(rng: random.Random) -> str:
    """An invented coin or brand name, in one of several morphologies."""
    kind = rng.choices(("camel", "word", "lower", "two", "caps"), weights=(5, 2, 2, 2, 1))[0]
    if kind == "camel":
        name = _stem(rng) + rng.choice(_SUFFIXES)
        return rng.choice(_PREFIXES) + name if rng.random() < 0.12 else name
    if kind == "word":
        return _syllable_word(rng)
    if kind == "lower":
        return _stem(rng) + rng.choice(_LOWER_SUFFIXES)
    if kind == "two":
        first = rng.choice(_STEMS) if rng.random() < 0.7 else _syllable_word(rng)
        return f"{first} {rng.choice(_SECOND_WORDS)}"
    letters = "".join(rng.choice(_CAPS) for _ in range(rng.randint(3, 4)))
    return letters + (str(rng.randint(1, 9)) if rng.random() < 0.15 else "")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()) or "coin"


def _symbol(name: str, rng: random.Random) -> str:
    caps = [c for c in name if c.isupper()]
    if len(caps) >= 2 and rng.random() < 0.5:
        return "".join(caps)[:5]
    letters = re.sub(r"[^A-Za-z]", "", name).upper()
    consonants = letters[0] + re.sub(r"[AEIOU]", "", letters[1:])
    return (consonants if len(consonants) >= 3 else letters)[: rng.randint(3, 4)] or "XYZ"


def _code(rng: random.Random, n: int = 6) -> str:
    return "".join(
        rng.choice("abcdefghjkmnpqrstuvwxyz23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n)
    )


class _Payloads:
    """Makes payload strings of each type from one random stream."""

    def __init__(self, rng: random.Random, coins: Sequence[tuple[str, str]]) -> None:
        self.rng = rng
        self.coins = coins

    def brand(self) -> str:
        if self.coins and self.rng.random() < 0.2:
            return self.rng.choice(self.coins)[0]
        return invented_name(self.rng)

    def make(self, kind: str) -> str:
        return getattr(self, kind)()

    def invented_coin(self) -> str:
        return invented_name(self.rng)

    def real_coin(self) -> str:
        name, symbol = self.rng.choice(self.coins)
        if symbol and self.rng.random() < 0.2:
            return f"{name} ({symbol})"
        if symbol and self.rng.random() < 0.1:
            return f"{name} ${symbol}"
        return name

    def ticker(self) -> str:
        rng = self.rng
        if self.coins and rng.random() < 0.3:
            symbol = rng.choice(self.coins)[1]
            if symbol:
                return f"${symbol}"
        return f"${_symbol(invented_name(rng), rng)}"

    def hashtag(self) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            return "#" + rng.choice(_GENERIC_TAGS)
        tag = re.sub(r"[^A-Za-z0-9]", "", self.brand())
        tail = rng.choice(("", "", "", "Presale", "Airdrop", "Army", "ToTheMoon", "Official"))
        return f"#{tag}{tail}"

    def url(self) -> str:
        rng = self.rng
        kind = rng.choices(("crypto", "casino", "pharma", "short"), weights=(6, 2, 1.5, 1))[0]
        if kind == "short":
            return f"{rng.choice(('https://', ''))}{rng.choice(_SHORTENERS)}/{_code(rng)}"
        if kind == "casino":
            host = _slug(self._casino())
        elif kind == "pharma":
            host = (
                f"{rng.choice(_DRUGS)}-{rng.choice(('rx', 'pharmacy', 'meds', 'online', 'shop'))}"
            )
        else:
            host = _slug(self.brand())
            if rng.random() < 0.5:
                host += rng.choice(("-", "")) + rng.choice(_URL_WORDS)
        host = f"{host}.{rng.choice(_TLDS)}"
        scheme = rng.choices(("https://", "http://", "www.", ""), weights=(4, 1, 2, 3))[0]
        path = ""
        if rng.random() < 0.55:
            path = "/" + rng.choice(_URL_PATHS)
            if rng.random() < 0.25:
                path += f"?ref={_code(rng)}"
        return scheme + host + path

    def handle(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            handle = rng.choice(_GENERIC_HANDLES)
        else:
            handle = _slug(self.brand()) + rng.choice(_HANDLE_TAILS)
        return rng.choice(_HANDLE_FORMS).format(h=handle, code=_code(rng, rng.randint(6, 8)))

    def _casino(self) -> str:
        rng = self.rng
        parts = [rng.choice(_CASINO_A), rng.choice(_CASINO_B), rng.choice(_CASINO_C)]
        return " ".join(dict.fromkeys(p for p in parts if p))  # no `Emerald Bet Bet`

    def promo_phrase(self) -> str:
        group = self.rng.choices(
            (_CRYPTO_TEMPLATES, _SCAM_TEMPLATES, _CASINO_TEMPLATES, _PHARMA_TEMPLATES),
            weights=(5, 2, 2.5, 2),
        )[0]
        return self._phrase(group)

    def other_spam(self) -> str:
        return self._phrase(_OTHER_SPAM_TEMPLATES)

    def _phrase(self, templates: Sequence[str]) -> str:
        """One of `templates` filled in, in a random case, maybe with `!` or an emoji."""
        rng = self.rng
        small = rng.choice((10, 20, 50, 100, 250, 500))
        phrase = rng.choice(templates).format(
            coin=self.brand(),
            n=rng.choice((5, 10, 20, 50, 100, 1000)),
            pct=rng.choice((20, 50, 100, 150, 200, 300)),
            small=small,
            big=f"{small * rng.choice((10, 50, 100)):,}",
            stage=rng.randint(2, 9),
            days=rng.choice((7, 14, 30)),
            casino=self._casino(),
            sport=rng.choice(_SPORTS),
            game=rng.choice(_GAMES),
            drug=rng.choice(_DRUGS),
            mg=rng.choice((5, 10, 20, 50, 100)),
        )
        style = rng.random()
        if style < 0.3:
            phrase = phrase[:1].upper() + phrase[1:]
        elif style < 0.38:
            phrase = phrase.upper()
        elif style < 0.45:
            phrase = phrase.title()
        if rng.random() < 0.25:
            phrase += rng.choice(("!", "!!", "!!!"))
        if rng.random() < 0.12:
            phrase = f"{rng.choice(_EMOJI)} {phrase}"
        elif rng.random() < 0.12:
            phrase = f"{phrase} {rng.choice(_EMOJI)}"
        return phrase


# --------------------------------------------------------------------------------------------
# Evasions: disguise the payload characters
# --------------------------------------------------------------------------------------------

_HOMOGLYPHS = {
    "a": "а", "c": "с", "e": "е", "o": "оο", "p": "р", "x": "х", "y": "у", "i": "іι", "j": "ј",
    "s": "ѕ", "v": "ν", "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ",
    "K": "КΚ", "M": "МΜ", "N": "Ν", "O": "ОΟ", "P": "РΡ", "T": "ТΤ", "X": "ХΧ", "Y": "УΥ",
    "Z": "Ζ",
}  # fmt: skip
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad")
_LEET = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7"}
# (upper A, lower a, digit 0) code points; 0 where the style has no digits.
_STYLES = {
    "bold": (0x1D400, 0x1D41A, 0x1D7CE),
    "italic": (0x1D434, 0x1D44E, 0),
    "bold_italic": (0x1D468, 0x1D482, 0),
    "sans": (0x1D5A0, 0x1D5BA, 0x1D7E2),
    "sans_bold": (0x1D5D4, 0x1D5EE, 0x1D7EC),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6),
    "fullwidth": (0xFF21, 0xFF41, 0xFF10),
}
_STYLE_NAMES = tuple(_STYLES)


def _homoglyph(s: str, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(s) if c in _HOMOGLYPHS]
    if not idx:
        return s
    chosen = {i for i in idx if rng.random() < 0.5} or {rng.choice(idx)}
    return "".join(rng.choice(_HOMOGLYPHS[c]) if i in chosen else c for i, c in enumerate(s))


def _zero_width(s: str, rng: random.Random) -> str:
    slots = [i for i in range(1, len(s)) if not s[i - 1].isspace() and not s[i].isspace()]
    if not slots:
        return s
    cuts = sorted(rng.sample(slots, min(len(slots), rng.randint(1, 3))), reverse=True)
    for i in cuts:
        s = s[:i] + rng.choice(_INVISIBLE) + s[i:]
    return s


def _styled(s: str, rng: random.Random) -> str:
    style = rng.choice(_STYLE_NAMES)
    upper, lower, digit = _STYLES[style]
    out = []
    for c in s:
        if "A" <= c <= "Z":
            out.append(chr(upper + ord(c) - 65))
        elif "a" <= c <= "z":
            out.append("\u210e" if style == "italic" and c == "h" else chr(lower + ord(c) - 97))
        elif "0" <= c <= "9" and digit:
            out.append(chr(digit + ord(c) - 48))
        elif style == "fullwidth" and "!" <= c <= "~":
            out.append(chr(0xFF01 + ord(c) - 33))
        else:
            out.append(c)
    return "".join(out)


def _leet(s: str, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(s) if c.lower() in _LEET]
    if not idx:
        return s
    chosen = {i for i in idx if rng.random() < 0.6} or {rng.choice(idx)}
    return "".join(_LEET[c.lower()] if i in chosen else c for i, c in enumerate(s))


def _spaced(s: str, rng: random.Random) -> str:
    """The longest run of letters and digits spaced out: `L i b e r t y C o i n`, `#M o o n`,
    `t.me/v e x a s w a p_official`."""
    runs = list(re.finditer(r"[^\W_]+", s))
    if not runs:
        return s
    run = max(runs, key=lambda m: (len(m.group()), -m.start()))
    if len(run.group()) < 2:
        return s
    return s[: run.start()] + " ".join(run.group()) + s[run.end() :]


_EVADE = {
    "homoglyph": _homoglyph,
    "zero_width": _zero_width,
    "styled": _styled,
    "leet": _leet,
    "spaced": _spaced,
}


def evade(payload: str, evasion: str, rng: random.Random) -> str:
    """`payload` disguised by `evasion` (unchanged when nothing in it can be disguised)."""
    return payload if evasion == "none" else _EVADE[evasion](payload, rng)


# --------------------------------------------------------------------------------------------
# Where insertions go
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_LETTERS = re.compile(r"[A-Za-z]{3,}")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(]?[A-Z0-9])")
_CLOSERS = "\"”’')]"
MIN_GAP = 3  # two insertions in one field are at least this many characters apart
_TIGHT_POSITIONS = frozenset(
    {"dateline_comma", "dateline_comma_nospace", "dateline_before_agency", "glued_word"}
)
PHRASE_DAMPING = 0.25  # weight factor of phrases at the tight positions
_PHRASES = ("promo_phrase", "other_spam")

# (anchor, text before the payload, text after it)
_Slot = tuple[int, str, str]


class _Layout:
    """The parts of a field text that positions refer to: dateline, body, paragraphs, sentences."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.dateline = _DATELINE.match(text) or _DATED.match(text)
        prefix = None if self.dateline else _PREFIX.match(text)
        if prefix:  # `Canadian Press - VANCOUVER (CP) - `; or a parenthetical `Name - who ... - `
            self.dateline = _DATELINE.match(text, prefix.end())
            if not self.dateline and _NEXT_DASH.search(text, prefix.end(), prefix.end() + 80):
                prefix = None
        head = self.dateline or prefix
        self.body_start = head.end() if head else 0
        signoff = _SIGNOFF.search(text)
        self.body_end = max(self.body_start, signoff.start() if signoff else len(text.rstrip()))

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        out = []
        for m in re.finditer(r"[^\n]+", self.text[: self.body_end]):
            start, end = max(m.start(), self.body_start), m.end()
            while end > start and self.text[end - 1].isspace():
                end -= 1
            if end - start >= 2:
                out.append((start, end))
        return out

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        out = []
        for start, end in self.paragraphs:
            for m in _SENTENCE_END.finditer(self.text, start, end):
                out.append((start, m.end()))
                start = m.end()
                while start < end and self.text[start].isspace():
                    start += 1
            if end > start:
                out.append((start, end))
        return out

    def gaps(self, start: int, end: int) -> list[int]:
        """Single spaces between two words of text[start:end]: the anchors there."""
        words = list(_TOKEN.finditer(self.text, start, end))
        return [a.end() for a, b in pairwise(words) if b.start() - a.end() == 1]

    @cached_property
    def lede_gaps(self) -> list[int]:
        return self.gaps(*self.sentences[0]) if self.sentences else []

    @cached_property
    def later_gaps(self) -> list[int]:
        return [g for s in self.sentences[1:] for g in self.gaps(*s)]

    @cached_property
    def words(self) -> list[tuple[int, int]]:
        return [m.span() for m in _LETTERS.finditer(self.text, self.body_start, self.body_end)]


def _free(anchor: int, taken: list[int]) -> bool:
    return all(abs(anchor - t) >= MIN_GAP for t in taken)


def _pick(rng: random.Random, anchors: Sequence[int], taken: list[int]) -> int | None:
    for _ in range(8):
        if not anchors:
            return None
        anchor = rng.choice(anchors)
        if _free(anchor, taken):
            return anchor
    free = [a for a in anchors if _free(a, taken)]
    return rng.choice(free) if free else None


def _slot(
    position: str,
    lay: _Layout,
    title: _Layout | None,
    rng: random.Random,
    taken: list[int],
    payload: str,
) -> _Slot | None:
    """Where `position` puts a payload in this article, or None when it cannot."""
    text, dl = lay.text, lay.dateline
    if position in ("dateline_comma", "dateline_comma_nospace"):
        if dl is None or dl.group("comma") is None:
            return None
        anchor = dl.start("comma") + 1
        if not text.startswith(" ", anchor) or not _free(anchor, taken):
            return None
        return (anchor, " ", "") if position == "dateline_comma" else (anchor, "", "")
    if position == "dateline_before_agency":
        if dl is None:
            return None
        if dl.group("agency"):
            anchor, slot = dl.start("agency") + 1, ("", " ")
        elif dl.group("sep"):
            anchor, slot = dl.start("sep"), (" ", "")
        else:
            anchor, slot = dl.start("dash"), (" ", " ")
        return (anchor, *slot) if _free(anchor, taken) else None
    if position == "dateline_after_dash":
        if dl is None or dl.end() >= len(text) or not _free(dl.end(), taken):
            return None
        return dl.end(), "", " "
    if position == "headline":
        if title is None:
            return None
        t = title.text
        end = len(t.rstrip())
        choices = [(0, "", " "), (end, " ", "")] + [(g, " ", "") for g in title.gaps(0, end)]
        free = [c for c in choices if _free(c[0], taken)]
        return rng.choice(free) if free else None
    if position in ("lede", "mid_sentence"):
        anchor = _pick(rng, lay.lede_gaps if position == "lede" else lay.later_gaps, taken)
        return None if anchor is None else (anchor, " ", "")
    if position == "glued_word":
        for _ in range(8):
            if not lay.words:
                return None
            start, end = rng.choice(lay.words)
            anchor = end if rng.random() < 0.6 else start
            if _free(anchor, taken):
                return anchor, "", ""
        return None
    if position == "paragraph_end":
        ends = [e for _, e in lay.paragraphs if _free(e, taken)]
        if not ends:
            return None
        end = rng.choice(ends)
        p = end
        while p > 0 and text[p - 1] in _CLOSERS:
            p -= 1
        before_punct = (
            p > 1
            and text[p - 1] in ".!?"
            and text[p - 2].isalnum()
            and payload[-1:] not in ".!?"
            and _free(p - 1, taken)
            and rng.random() < 0.4
        )
        return (p - 1, " ", "") if before_punct else (end, " ", "")
    if position == "article_end":
        anchor = len(text.rstrip())
        if anchor == 0 or not _free(anchor, taken):
            return None
        return anchor, rng.choices(("\n", "\n\n", " "), weights=(3, 2, 3))[0], ""
    raise ValueError(f"unknown position {position!r}")


# --------------------------------------------------------------------------------------------
# Page furniture
# --------------------------------------------------------------------------------------------

_SHARE = (
    "Share this article", "Share", "Share on Facebook", "Share on X", "Copy link", "Print",
    "Email", "Comments", "Listen to this article", "Save", "Follow us on Google News",
)  # fmt: skip
_MISC = (
    "Advertisement", "Most Read", "Related Stories", "Sign up for our newsletter", "Trending now",
    "Recommended", "More from World", "More from Business", "More from Tech", "More from Sport",
    "Photo: AP", "Image caption", "Most popular", "Top stories", "Also read",
)  # fmt: skip
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
_MONTH_NAMES += ("September", "October", "November", "December")


def _view_lines(rng: random.Random) -> list[str]:
    year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    minutes = rng.randint(6 * 60, 23 * 60)
    lines = []
    for _ in range(rng.randint(2, 7)):
        count = rng.randint(40, 9999)
        stamp = f"{year}-{month:02d}-{day:02d} {minutes // 60:02d}:{minutes % 60:02d}"
        lines.append(
            rng.choices(
                (f"{stamp}{count} view", f"{stamp}{count} views", f"{stamp} {count:,} views"),
                weights=(6, 2, 1),
            )[0]
        )
        minutes = max(0, minutes - rng.randint(1, 50))
    return lines


def _updated_line(rng: random.Random) -> str:
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    ampm, zone = rng.choice(("AM", "PM")), rng.choice(("GMT", "ET", "BST", "UTC", "CET"))
    month, day, year = rng.choice(_MONTH_NAMES), rng.randint(1, 28), rng.randint(2019, 2025)
    return rng.choice(
        (
            f"Updated {hour}:{minute:02d} {ampm} {zone}",
            f"Updated: {month} {day}, {year} {hour}:{minute:02d} {ampm.lower()} {zone}",
            f"Published {day:02d}/{_MONTH_NAMES.index(month) + 1:02d}/{year}",
            f"Last updated {rng.randint(2, 23)} hours ago",
            f"First published on {month[:3]} {day} {year} {hour:02d}.{minute:02d} {zone}",
        )
    )


def _teaser(rng: random.Random, other: tuple[str | None, str]) -> str:
    _, text = other
    flat = text.replace("\n\n", rng.choice(("", " "))).replace("\n", " ")
    if _DATELINE.match(flat) is None and rng.random() < 0.35:
        flat = synthetic_dateline(rng) + flat
    return flat[: rng.randint(60, 120)].rstrip()


def _furniture(rng: random.Random, recent: Sequence[tuple[str | None, str]]) -> str:
    kinds = ["views", "share", "updated", "misc"] + (["teasers", "read_more"] if recent else [])
    weights = [3, 2, 2, 1] + ([3, 2] if recent else [])
    blocks: list[list[str]] = []
    for kind in rng.choices(kinds, weights=weights, k=rng.randint(1, 4)):
        if kind == "views":
            blocks.append(_view_lines(rng))
        elif kind == "share":
            blocks.append(rng.sample(_SHARE, rng.randint(1, 3)))
        elif kind == "updated":
            blocks.append([_updated_line(rng)])
        elif kind == "misc":
            blocks.append([rng.choice(_MISC)])
        elif kind == "teasers":
            picked = rng.sample(range(len(recent)), min(len(recent), rng.randint(1, 4)))
            blocks.append([_teaser(rng, recent[i]) for i in picked])
        else:
            title, text = rng.choice(recent)
            blocks.append([f"Read more: {title or _teaser(rng, (title, text))}"])
    return "\n".join(line for block in blocks for line in block)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


def _stable_seed(*parts: object) -> int:
    """A seed from `parts` that is the same in every process (unlike the salted `hash`)."""
    data = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _weighted(rng: random.Random, mix: dict[str, float], allowed: Iterable[str]) -> str | None:
    keys = [k for k in allowed if mix.get(k, 0) > 0]
    if not keys:
        return None
    return rng.choices(keys, weights=[mix[k] for k in keys])[0]


@dataclass(frozen=True, slots=True)
class _Edit:
    field: str
    anchor: int
    before: str
    payload: str
    after: str
    payload_type: str
    position: str
    evasion: str


def _apply(text: str, edits: list[_Edit], name: str) -> tuple[str, list[Insertion]]:
    """`text` with the pure insertions `edits` made, and each payload's final span."""
    pieces, out, cursor, shift = [], [], 0, 0
    for e in sorted(edits, key=lambda e: e.anchor):
        pieces += [text[cursor : e.anchor], e.before, e.payload, e.after]
        start = e.anchor + shift + len(e.before)
        out.append(
            Insertion(
                field=name,
                start=start,
                end=start + len(e.payload),
                payload_type=e.payload_type,
                position=e.position,
                evasion=e.evasion,
                text=e.payload,
            )
        )
        shift += len(e.before) + len(e.payload) + len(e.after)
        cursor = e.anchor
    pieces.append(text[cursor:])
    return "".join(pieces), out


def _plan(
    text_lay: _Layout,
    title_lay: _Layout | None,
    config: GeneratorConfig,
    coins: Sequence[tuple[str, str]],
    rng: random.Random,
) -> list[_Edit]:
    """Choose 1-N insertions for an article, each at a free slot, positions distinct if possible."""
    payloads = _Payloads(rng, coins)
    payload_types = [t for t in PAYLOAD_TYPES if coins or t != "real_coin"]
    taken: dict[str, list[int]] = {"text": [], "title": []}
    used: set[str] = set()
    dead: set[str] = set()
    edits: list[_Edit] = []
    for _ in range(rng.randint(*config.insertions)):
        while True:
            fresh = [p for p in POSITIONS if p not in dead and p not in used]
            position = _weighted(rng, config.position_mix, fresh) or _weighted(
                rng, config.position_mix, [p for p in POSITIONS if p not in dead]
            )
            if position is None:
                return edits
            mix = config.payload_mix
            if position in _TIGHT_POSITIONS:  # long phrases are rare inside a dateline or a word
                mix = {k: w * (PHRASE_DAMPING if k in _PHRASES else 1) for k, w in mix.items()}
            kind = _weighted(rng, mix, payload_types)
            if kind is None:
                return edits
            payload = payloads.make(kind)
            evasion = "none"
            if rng.random() < config.evasion_rate:
                evasion = _weighted(rng, config.evasion_mix, EVASIONS) or "none"
                disguised = evade(payload, evasion, rng)
                evasion = evasion if disguised != payload else "none"
                payload = disguised
            name = "title" if position == "headline" else "text"
            slot = _slot(position, text_lay, title_lay, rng, taken[name], payload)
            if slot is None:
                dead.add(position)
                continue
            anchor, before, after = slot
            taken[name].append(anchor)
            used.add(position)
            edits.append(_Edit(name, anchor, before, payload, after, kind, position, evasion))
            break
    return edits


def _default_coins() -> list[tuple[str, str]]:
    try:
        return coin_names()
    except FileNotFoundError as exc:
        warnings.warn(f"no real coin names, real_coin payloads are off: {exc}", stacklevel=3)
        return []


def generate(
    articles: Iterable[dict],
    config: GeneratorConfig,
    *,
    coins: Sequence[tuple[str, str]] | None = None,
) -> Iterator[Sample]:
    """One sample per article: a synthetic dateline (where the article has none, at
    `synthetic_dateline_rate`), 0 or 1-N insertions, and page furniture (at `furniture_rate`).

    `coins` are the (name, symbol) pairs for `real_coin` payloads; by default `coin_names()`.
    Without any, `real_coin` is never drawn. Teasers in the furniture are cut from the articles
    before this one, so a sample depends on the seed, its article and the stream before it.
    """
    coins = list(_default_coins() if coins is None else coins)
    recent: deque[tuple[str | None, str]] = deque(maxlen=TEASERS_KEPT)
    for article in articles:
        text, title = article["text"], article.get("title") or None
        aid = str(article.get("id") or hashlib.sha1(text.encode("utf-8")).hexdigest()[:16])
        # Separate streams, so a dateline or furniture never depends on whether a sample is clean.
        streams = {
            name: random.Random(_stable_seed(config.seed, aid, name))
            for name in ("dateline", "inject", "furniture")
        }
        lay = _Layout(text)
        if lay.dateline is None and lay.body_start == 0:
            rng = streams["dateline"]
            if rng.random() < config.synthetic_dateline_rate:
                lay = _Layout(synthetic_dateline(rng) + text)

        rng = streams["inject"]
        edits: list[_Edit] = []
        if rng.random() >= config.clean_rate:
            title_lay = _Layout(title) if title and title.strip() else None
            edits = _plan(lay, title_lay, config, coins, rng)
        new_text, found = _apply(lay.text, [e for e in edits if e.field == "text"], "text")
        new_title, in_title = title, []
        if title is not None:
            new_title, in_title = _apply(title, [e for e in edits if e.field == "title"], "title")

        rng = streams["furniture"]
        if rng.random() < config.furniture_rate:
            sep = rng.choice(("\n", "\n\n"))
            body_end = max([len(new_text.rstrip(" \n"))] + [i.end for i in found])
            new_text = new_text[:body_end] + sep + _furniture(rng, recent)

        yield Sample(
            id=aid,
            source=str(article.get("source") or ""),
            text=new_text,
            title=new_title,
            insertions=tuple(sorted(in_title + found, key=lambda i: (i.field, i.start))),
        )
        recent.append((title, text))


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def sample_to_json(sample: Sample) -> dict:
    return asdict(sample)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m training.generate", description="Print synthetic samples as JSONL."
    )
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="bbc")
    parser.add_argument("--n", type=int, default=5, help="how many samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--clean-rate", type=float, default=None)
    parser.add_argument("--furniture-rate", type=float, default=None)
    args = parser.parse_args(argv)
    overrides = {
        k: v
        for k, v in (("clean_rate", args.clean_rate), ("furniture_rate", args.furniture_rate))
        if v is not None
    }
    try:
        config = GeneratorConfig(seed=args.seed, **overrides)
        articles = load_articles(args.corpus, args.data_dir)
        coins = coin_names(args.data_dir)
        for i, sample in enumerate(generate(articles, config, coins=coins)):
            if i >= args.n:
                break
            sys.stdout.write(json.dumps(sample_to_json(sample), ensure_ascii=False) + "\n")
    except (FileNotFoundError, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
