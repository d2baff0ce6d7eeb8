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


# Crypto reporting names the coins of the market-cap table far more than the long tail: the
# share of a rewrite's coins drawn from `ranked` (when given) rather than from all coins.
RANKED_SHARE = 0.9


def cryptoize(
    article: dict,
    rng: random.Random,
    coins: Sequence[tuple[str, str]],
    ranked: Sequence[tuple[str, str]] = (),
) -> dict | None:
    """A crypto-market version of a market story, or None when the story has no market words.
    Its coins come from `ranked` at `RANKED_SHARE`, else from `coins`."""
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
    for name, count in names.most_common(6):
        if not coins:
            break
        coin, symbol = rng.choice(ranked if ranked and rng.random() < RANKED_SHARE else coins)
        # Recurring names become coins; some single mentions too, and some get their ticker, as
        # crypto reporting names exchanges and coins in passing: "Foo (FOO)".
        if count >= 2 or rng.random() < 0.5:
            replace[name] = coin if rng.random() < 0.7 else f"{coin} ({symbol.upper()})"

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
    articles: Iterable[dict],
    share: float,
    seed: int,
    coins: Sequence[tuple[str, str]],
    ranked: Sequence[tuple[str, str]] = (),
) -> Iterator[dict]:
    """Pass articles through, turning about `share` of the market stories into crypto ones."""
    rng = random.Random(seed)
    for article in articles:
        if rng.random() < share:
            crypto = cryptoize(article, rng, coins, ranked)
            if crypto is not None:
                yield crypto
                continue
        yield article


# Modern articles embed tweets and cite links; 1987 wire copy never does. Without these, links,
# @handles, #tags and $cashtags only ever appear in training as insertions.
_SITES = (
    "www.reuters.com", "www.bbc.co.uk", "github.com", "www.sec.gov", "www.coindesk.com",
    "www.ft.com", "www.imf.org", "data.worldbank.org", "www.nytimes.com", "www.gov.uk",
    "www.theguardian.com", "www.federalreserve.gov", "medium.com", "www.youtube.com",
    "coinmarketcap.com", "www.coingecko.com", "www.tradingview.com", "etherscan.io",
)  # fmt: skip
_OWN_TLDS = ("com", "org", "co.uk", "org.uk", "gov", "net", "com.au")
_PATHS = ("news", "article", "markets", "reports", "research", "policy", "data", "blog", "watch")
_HANDLE_PARTS = (
    "news",
    "markets",
    "daily",
    "report",
    "live",
    "desk",
    "wire",
    "hq",
    "official",
    "fm",
)
_FIRST = ("Anna", "David", "Maria", "James", "Chen", "Fatima", "Lucas", "Priya", "Tom", "Sara")
_LAST = ("Keller", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Brennan")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _rand_id(rng: random.Random, n: int = 10) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(n))


def _tweet_link(rng: random.Random) -> str:
    """The picture or short link that closes a tweet."""
    return rng.choice((f"pic.twitter.com/{_rand_id(rng)}", f"https://t.co/{_rand_id(rng)}"))


def _handle(rng: random.Random, words: Sequence[str]) -> str:
    base = rng.choice(words) if words and rng.random() < 0.6 else rng.choice(_LAST)
    return base + rng.choice(("", "_", "")) + rng.choice(_HANDLE_PARTS).title() * rng.randint(0, 1)


def legit_embed(
    rng: random.Random,
    topic_words: Sequence[str],
    cashtags: Sequence[str] = (),
    sentences: Sequence[str] = (),
) -> str:
    """One line of the kind modern news embeds: a tweet with its byline, or a cited link."""
    kind = rng.random()
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    date = f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2012, 2024)}"
    if kind < 0.45 and sentences and rng.random() < 0.5:
        return _prose_tweet(rng, rng.choice(sentences), topic_words, cashtags)
    if kind < 0.45:
        tags = " ".join(rng.sample(list(cashtags), k=min(len(cashtags), rng.randint(0, 2))))
        hashtag = f"#{rng.choice(topic_words)}" if topic_words and rng.random() < 0.5 else ""
        # Tweets carry emoji: alone they are no sign of spam.
        emoji = (
            "".join(rng.choices(_TWEET_EMOJI, k=rng.randint(1, 2))) if rng.random() < 0.5 else ""
        )
        body = " ".join(x for x in (emoji, tags, hashtag) if x)
        if rng.random() < 0.4:
            body = f"{body} {rng.choice(_TWEET_EMOJI)}"
        link = _tweet_link(rng)
        return f"{body} {link}\n— {name} (@{_handle(rng, topic_words)}) {date}".strip()
    url = f"https://{rng.choice(_SITES)}/{rng.choice(_PATHS)}/{_rand_id(rng, 6).lower()}"
    if kind < 0.55 and topic_words:
        # An organisation of the story named by its own website, bare, as news prints it.
        name_part = re.sub(r"\W", "", rng.choice(topic_words)).lower() or "example"
        site = f"{rng.choice(('www.', 'www.', ''))}{name_part}.{rng.choice(_OWN_TLDS)}"
        return rng.choice(
            (f"Details are on its website, {site}.", f"More information is at {site}.",
             f"It said on its website {site} that talks would continue.",
             f"The statement was posted on {site} on Friday.")
        )  # fmt: skip
    if kind < 0.7:
        return rng.choice(
            (f"Source: {url}", f"The full report is available at {url}.", f"(via @{_handle(rng, topic_words)})",
             f"Read more at {url}", f"Data: {url}", f"Twitter user @{_handle(rng, topic_words)} noted as much.",
             f"Thanks to @{_handle(rng, topic_words)} for the chart.", f"(h/t @{_handle(rng, topic_words)})")
        )  # fmt: skip
    # Picture credits, with the photographer's stock-site handle.
    credit = rng.choice(("Featured Image", "Featured image", "Photo", "Image", "Header image"))
    agency = rng.choice(_STOCK)
    owner = rng.choice((_handle(rng, topic_words), name, _rand_id(rng, 8).lower()))
    return rng.choice(
        (f"{credit}: {agency}/© {owner}", f"{credit}: © {owner}/{agency}", f"{credit} via {agency}",
         f"{credit}: {name} / {agency}")
    )  # fmt: skip


def _prose_tweet(
    rng: random.Random, sentence: str, topic_words: Sequence[str], cashtags: Sequence[str]
) -> str:
    """A tweet as scraped crypto news prints it, flattened into a paragraph: a remark on the
    story with its tags and mentions among the words, then its picture or short link."""
    words = sentence.split()
    tags = [f"#{w}" for w in topic_words] + list(cashtags)
    for _ in range(rng.randint(1, 3) if tags else 0):
        words.insert(rng.randint(0, len(words)), rng.choice(tags))
    if topic_words and rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), f"@{_handle(rng, topic_words)}")
    if rng.random() < 0.4:
        words.append("".join(rng.choices(_TWEET_EMOJI, k=rng.randint(1, 3))))
    return f"{' '.join(words)} {_tweet_link(rng)}"


# A sentence of 30 to 160 characters, beginning after a full stop (not at `U.S.` mid-sentence).
_SENTENCE = re.compile(r"(?:^|(?<=[.!?] ))[A-Z][^.!?\n]{30,160}[.!?]", re.M)


def with_modern_embeds(articles: Iterable[dict], share: float, seed: int) -> Iterator[dict]:
    """Put one or two legitimate embeds (tweets, cited links) between the paragraphs of about
    `share` of the articles. Cashtags and hashtags in them name the story's own subject; a
    tweet's words come from the article before (a remark in the story's own words would
    repeat every one of them in the article, which quoted tweets seldom do)."""
    rng = random.Random(seed + 7)
    sentences: list[str] = []
    for article in articles:
        crypto_story = str(article.get("id", "")).endswith("#crypto")
        remarks, sentences = sentences, _SENTENCE.findall(article["text"])
        if rng.random() >= (max(share, 0.7) if crypto_story else share):
            yield article
            continue
        text = article["text"]
        words = [w for w in _WORD.findall(text) if len(w) > 3 and w[:1].isupper()][:40]
        crypto = [w.lower() for w in _WORD.findall(text) if w.lower() in _CRYPTO_SUBJECTS]
        cashtags = sorted({f"${_CRYPTO_SUBJECTS[c]}" for c in crypto})
        if crypto_story:
            # Crypto reporting quotes tweets full of other coins' cashtags and crypto hashtags.
            cashtags += rng.sample(_MARKET_TAGS, k=3)
            words = words + rng.sample(_CRYPTO_HASHTAGS, k=3)
        paragraphs = text.split("\n")
        for _ in range(rng.randint(1, 2)):
            at = rng.randint(1, len(paragraphs))
            embed = legit_embed(rng, words, cashtags, remarks)
            if rng.random() < 0.4 and "\n" not in embed:  # cited inline, after a sentence
                paragraphs[at - 1] = f"{paragraphs[at - 1]} {embed}"
            else:
                paragraphs.insert(at, embed)
        out = dict(article)
        out["text"] = "\n".join(paragraphs)
        yield out


_TWEET_EMOJI = ("😂", "🤔", "🙂", "😎", "👇", "🌏", "🍕", "⚡", "🔥", "🚀", "💎", "📈", "📉", "😅", "🤣",
                "👀", "🙏", "💪", "🎉", "❤️", "👍", "😬", "🤷", "✅", "⚠️")  # fmt: skip

_STOCK = ("Depositphotos", "Shutterstock", "Getty Images", "iStock", "Unsplash", "Pixabay", "Reuters",
          "AP Photo", "AFP")  # fmt: skip

_CRYPTO_SUBJECTS = {"bitcoin": "BTC", "ether": "ETH", "ethereum": "ETH", "litecoin": "LTC",
                    "dogecoin": "DOGE", "solana": "SOL", "xrp": "XRP", "cardano": "ADA", "tether": "USDT"}  # fmt: skip

_MARKET_TAGS = ["$BTC", "$ETH", "$XRP", "$BCH", "$LTC", "$XMR", "$EOS", "$BNB", "$ADA", "$TRX",
                "$BTCUSD", "$ETHUSD", "$XBTUSD", "$btc", "$eth", "$xrp", "$DOGE", "$SOL"]  # fmt: skip
_CRYPTO_HASHTAGS = ["crypto", "blockchain", "bitcoin", "Bitcoin", "BTC", "ethereum", "DeFi", "HODL",
                    "cryptotwitter", "altcoins", "NFT", "Web3", "mining", "Lightning"]  # fmt: skip
