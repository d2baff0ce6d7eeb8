"""The rule registry: every rule the rules detector runs, keyed by its stable id."""

from __future__ import annotations

from detector.rules.base import PatternRule, Rule
from detector.rules.dateline import DatelineIntruder
from detector.rules.glued import GluedToPunctuation, GluedToWord
from detector.rules.lexicon import CoinLexiconName
from detector.rules.morphology import CamelCaseName, CoinMorphology
from detector.rules.obfuscation import (
    InvisibleCharacter,
    Leetspeak,
    MixedScript,
    SpacedLetters,
    StyledLetters,
)
from detector.rules.promo import (
    Hashtag,
    MessengerHandle,
    PromoPhrase,
    PromoUrl,
    PromoWord,
    Ticker,
)
from detector.rules.residue import ReadMore, ShareLinks, TruncatedTeaser, UpdatedStamp, ViewCounter

ALL_RULES: tuple[Rule, ...] = (
    DatelineIntruder(),
    GluedToPunctuation(),
    GluedToWord(),
    CoinMorphology(),
    CamelCaseName(),
    CoinLexiconName(),
    Ticker(),
    Hashtag(),
    PromoUrl(),
    MessengerHandle(),
    PromoPhrase(),
    PromoWord(),
    MixedScript(),
    InvisibleCharacter(),
    StyledLetters(),
    SpacedLetters(),
    Leetspeak(),
    ViewCounter(),
    ShareLinks(),
    ReadMore(),
    UpdatedStamp(),
    TruncatedTeaser(),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
assert len(RULES_BY_ID) == len(ALL_RULES), "rule ids must be unique"

__all__ = ["ALL_RULES", "RULES_BY_ID", "PatternRule", "Rule"]
