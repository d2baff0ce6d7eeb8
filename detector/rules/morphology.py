"""Names shaped like coins and crypto brands: CamelCase and the -Coin/-Token/-Swap family."""

from __future__ import annotations

import re

from detector.document import CRYPTO_CONTEXT, Document
from detector.english import in_english
from detector.rules.base import PatternRule, in_context

STRONG_SUFFIXES = "Coin|Token|Swap|Chain|Inu|Doge|Pepe|Shib|Moon|Dex"
WEAK_SUFFIXES = "Fi|DAO|Dao|Verse|Cash|Pad|Bit|X|AI|Protocol|Finance|Pay"


class CoinMorphology(PatternRule):
    id = "coin-morphology"
    weight = 0.45
    reason = "name shaped like a coin or token (-Coin, -Token, -Swap, -Chain, -Inu ...)"
    patterns = (
        # LibertyCoin, VexaSwap, MoonInu, NovaChainX: CamelCase ending in a coin suffix.
        re.compile(rf"(?<![A-Z0-9])((?:[A-Z][a-z0-9]+){{1,3}}(?:{STRONG_SUFFIXES})(?:[A-Z]|s)?)\b"),
        # Vexacoin, Moontoken: one capitalised word with a coin suffix glued on.
        re.compile(r"(?<![A-Z0-9])([A-Z][a-z]{2,20}(?:coin|token|swap|chain|inu)s?)\b"),
        # SpaceX and OpenAI have these too: weak alone, evidence beside other signals.
        re.compile(rf"(?<![A-Z0-9])((?:[A-Z][a-z0-9]+){{1,3}}(?:{WEAK_SUFFIXES}))\b"),
        # vexacoin, kraxaswap: written lowercase, and a word English at large never had (not
        # bitcoin, stablecoin); not part of a domain (`bircoin.top`: promo-url's). Not -chain or
        # -inu, which end ordinary words run together (`supplychain`, `kalinu`).
        re.compile(r"(?<![\w.@/#$-])([a-z]{3,20}(?:coin|token|swap)s?)(?![\w-]|\.\w)"),
    )
    needs = (
        tuple(STRONG_SUFFIXES.split("|")),
        ("coin", "token", "swap", "chain", "inu"),
        tuple(WEAK_SUFFIXES.split("|")),
        ("coin", "token", "swap"),
    )

    def score(self, doc: Document, match: re.Match[str]) -> float:
        word = match.group(1)
        if match.re is self.patterns[3] and in_english(word) is not False:
            return 0.0
        weight = self.weight if match.re is not self.patterns[2] else 0.25
        # Bitcoin, Dogecoin: famous, named in passing anywhere.
        return in_context(doc, word, weight, famous=word.lower() in CRYPTO_CONTEXT)


class CamelCaseName(PatternRule):
    id = "camel-case"
    weight = 0.15
    reason = "CamelCase brand-like name"
    # Not Mac/Mc/O' surnames (MacFarlane, McEwen).
    patterns = (re.compile(r"\b((?!Ma?c[A-Z])[A-Z][a-z]{1,20}(?:[A-Z][a-z0-9]{1,20}){1,3})\b"),)

    def score(self, doc: Document, match: re.Match[str]) -> float:
        return in_context(doc, match.group(1), self.weight, bonus=0.0)
