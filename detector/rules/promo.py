"""The marks of promotion: `$TICKER`, `#hashtag`, promotional links, messenger handles and the
stock phrases of coin, casino and pharma spam."""

from __future__ import annotations

import re

from detector.document import Document
from detector.rules.base import PatternRule, in_context

_PROMO_TLDS = (
    "io|xyz|finance|app|club|top|site|online|fun|vip|bet|casino|win|money|exchange|cash|crypto"
    "|token|biz|gg|to|ly"
)
# Drug names of pharmacy spam (prescription drugs sold without one).
_DRUGS = (
    r"viagra|cialis|levitra|xanax|valium|diazepam|tramadol|oxycodone|oxycontin|hydrocodone|"
    r"adderall|ambien|zolpidem|phentermine|fioricet|klonopin|ativan|percocet|vicodin|modafinil|"
    r"alprazolam|lorazepam|clonazepam|sildenafil|tadalafil|vardenafil|kamagra|propecia|"
    r"finasteride|carisoprodol|codeine|ritalin|xenical|clomid|ozempic|semaglutide"
)
_PROMO_WORDS = r"coin|token|swap|crypto|bet|casino|slot|pill|pharma|airdrop|presale|bonus|moon|pump"


class Ticker(PatternRule):
    id = "ticker"
    weight = 0.55
    reason = "$TICKER cashtag"
    # `$LBC`, not `$10`, `US$`, `HK$`.
    patterns = (re.compile(r"(?<![\w$])(\$[A-Z][A-Z0-9]{1,7})\b"),)
    needs = (("$",),)

    def score(self, doc: Document, match: re.Match[str]) -> float:
        return in_context(doc, match.group(1)[1:], self.weight, crypto_factor=0.3)


class Hashtag(PatternRule):
    id = "hashtag"
    weight = 0.45
    reason = "#hashtag in running text"
    patterns = (re.compile(r"(?<![\w&#/])(#[A-Za-z][A-Za-z0-9_]{2,40})\b"),)
    needs = (("#",),)

    def score(self, doc: Document, match: re.Match[str]) -> float:
        before = doc.text[max(0, match.start() - 40) : match.start()].lower()
        after = doc.text[match.end() : match.end() + 20].lower()
        if "hashtag" in before or "hashtag" in after:  # reported: "the familiar #MeToo hashtag"
            return 0.0
        return in_context(doc, match.group(1)[1:], self.weight, crypto_factor=0.5)


# A link that pays whoever placed it: an affiliate, referral or coupon parameter.
# Not a site's own tracking (`?ref=homepage`, `?partner=rss`): `ref` only with a code in it.
_AFFILIATE_KEY = (
    r"(?:aff(?:iliate)?(?:_?id)?|referral(?:_?code)?|ref_?code|coupon(?:_?code)?"
    r"|ref(?==[\w-]*\d))="
)
_AFFILIATE = rf"[?&]{_AFFILIATE_KEY}"


class PromoUrl(PatternRule):
    id = "promo-url"
    weight = 0.75
    reason = "link to a promotional or coin site"
    patterns = (
        re.compile(
            rf"((?:https?://|www\.)[^\s<>\"')\]]{{3,200}}|\b[a-z0-9-]{{2,40}}\.(?:{_PROMO_TLDS})\b"
            r"(?:/[^\s<>\"')\]]{0,200})?)",
            re.IGNORECASE,
        ),
        # Any bare domain whose link carries an affiliate parameter (`offers.com?ref=news`).
        re.compile(
            r"(?<![\w@/.-])((?:[a-z0-9-]{1,40}\.)+[a-z]{2,12}(?:/[^\s?<>\"')\]]{0,100})?"
            rf"\?(?:[^\s<>\"')\]]{{0,100}}?&)?{_AFFILIATE_KEY}[^\s<>\"')\]]{{0,100}})",
            re.IGNORECASE,
        ),
    )
    needs = (
        ("http", "www.", *(f".{tld}" for tld in _PROMO_TLDS.split("|"))),
        # Every key with its `=`: a bare "aff" would run the pattern on every "staff".
        tuple(
            f"{key}="
            for key in ("ref", "refcode", "ref_code", "aff", "affid", "aff_id", "affiliate")
            + ("affiliateid", "affiliate_id", "referral", "referralcode", "referral_code")
            + ("coupon", "couponcode", "coupon_code")
        ),
    )

    def score(self, doc: Document, match: re.Match[str]) -> float:
        url = match.group(1).lower()
        promo = re.search(_PROMO_WORDS, url) is not None or re.search(_AFFILIATE, url) is not None
        score = self.weight if promo else 0.35
        return score * (0.6 if doc.is_about_crypto() else 1.0)


class MessengerHandle(PatternRule):
    id = "messenger-handle"
    weight = 0.8
    reason = "messenger invite or handle (Telegram, WhatsApp, Discord)"
    patterns = (
        re.compile(
            r"((?:t|telegram|wa)\.me/[\w+]{2,64}|discord\.(?:gg|com/invite)/\w{2,64})", re.I
        ),
        # `Telegram: @pumpgroup`, `WhatsApp: +44 7700 900123`, `Signal: vexa_vip`, `Telegram
        # group: pumpers`; not a link card's label (`Discord: daily chat`): after a bare colon
        # a handle needs an @, a digit or an underscore.
        re.compile(
            r"((?:telegram|whatsapp|discord|signal|wechat)[ \t]{0,3}"
            r"(?:(?:group|channel|chat)[ \t]{0,3}[:@][ \t]{0,3}@?[\w+]{3,40}|@\w{3,40}"
            r"|:[ \t]{0,3}(?:@\w{3,40}|\+?\d[\d \t-]{5,18}\d|(?=\w*[_\d])\w{3,40})))",
            re.I,
        ),
        # A phone number to message (`on WhatsApp at +1 305 555 0147`; not "the signal at 10.30").
        re.compile(
            r"((?:telegram|whatsapp|viber|wechat)[ \t]{1,3}(?:on|at|via|number|no\.?)"
            r"[ \t]{1,3}\+?\d[\d \t().-]{6,18}\d)",
            re.I,
        ),
    )
    needs = (
        (".me/", "discord"),
        ("telegram", "whatsapp", "discord", "signal", "wechat"),
        ("telegram", "whatsapp", "viber", "wechat"),
    )

    def score(self, doc: Document, match: re.Match[str]) -> float:
        if match.re is self.patterns[2] and sum(c.isdigit() for c in match.group(1)) < 8:
            return 0.0  # a time or a frequency, not a phone number
        return self.weight


class PromoPhrase(PatternRule):
    id = "promo-phrase"
    weight = 0.75
    reason = "promotional phrase (presale, airdrop, casino, pharma)"
    patterns = tuple(
        re.compile(p, re.IGNORECASE)
        for p in (
            r"\b((?:join|buy|grab|claim)\s+(?:the\s+|your\s+|in\s+)?(?:\w+\s+){0,2}"
            r"(?:presale|pre-sale|airdrop|tokens?|coins?|bonus|free\s+spins))\b",
            r"\b((?:presale|pre-sale|airdrop)\s+(?:is\s+)?(?:live|now\s+open|ends?\s+soon|starts?))\b",
            # Not the Moon of space news (`a rover to the Moon's far side`).
            r"\b(to\s+the\s+(?-i:moon|MOON)(?!['’]s)|100x\s+gains?|1000x"
            r"|guaranteed\s+(?:returns?|profits?|gains?))\b",
            r"\b((?:online\s+)?casino\s+bonus|free\s+spins|no[\s-]deposit\s+bonus|best\s+online\s+casino)\b",
            rf"\b((?:(?:buy|order|get|cheap|discount|generic)\s+){{1,3}}(?:\w+\s+)?(?:{_DRUGS})"
            rf"(?:\s+(?:online|pills?|tablets?))?|(?:{_DRUGS})\s+(?:online|without\s+prescription"
            rf"|\d+\s?mg\b))",
            r"\b(without\s+(?:a\s+)?prescription|no\s+(?:doctor|prescription|rx)\s+(?:needed|required)"
            r"|(?:fast|discreet|overnight)\s+(?:and\s+)?(?:discreet\s+)?shipping|limited\s+time\s+offer"
            r"|sign\s+up\s+(?:now|today)|click\s+here\s+to\s+(?:buy|join|claim|win))\b",
            # Casino pitches, not stories about casinos.
            r"\b((?:play|spin|bet)\s+now|(?:play|spin|bet)\s+(?:\S+\s+){0,6}and\s+win\s+big"
            r"|jackpot\s+(?:is\s+)?(?:waiting|awaits)|welcome\s+bonus|\d+%\s+(?:cashback|deposit\s+bonus|match\s+bonus)|crash\s+games?"
            r"|bet\s+on\s+\w+\s+at)\b",
            # Get-rich pitches.
            r"\b(get\s+rich\s+(?:quick|with|fast)|financial\s+freedom\s+(?:starts|awaits|today|now)"
            r"|double\s+your\s+(?:bitcoin|crypto|btc|eth|money\s+in)|passive\s+income\s+(?:with|from)"
            r"|next\s+\d+x\s+gem|\d+x\s+gem|investors\s+already\s+earning"
            r"|listing\s+on\s+major\s+exchanges|ape\s+into)\b",
            # Money for nothing: a sum per day or week, from home, by a trick, multiplied.
            r"\b((?:earn|make|making|earning)\s+[$£€]\s?\d[\d,.]*[kK]?\s+(?:a|per|every)\s+"
            r"(?:day|week|month|hour)\s+(?:from\s+home|online|trading|guaranteed)"
            r"|(?:from|at)\s+home\s+(?:and\s+)?earn"
            r"|(?:with\s+)?this\s+(?:one|simple|weird)\s+(?:simple\s+|weird\s+)?trick"
            r"|turn\s+[$£€]\s?\d[\d,.]*[kK]?\s+into\s+[$£€]\s?\d[\d,.]*[kK]?"
            r"|(?:our|my)\s+(?:trading\s+)?signals?\s+(?:made|returned|gained)|risk[\s-]free\s+"
            r"(?:trading|returns?|profits?|signals?|income|investment))\b",
            # Hurry: scarcity and deadlines addressed to the reader.
            r"\b(today\s+only|(?:spots?|seats?|allocation)\s+(?:left|remaining|(?:are\s+|is\s+)?"
            r"running\s+out)|last\s+chance\s+to\s+"
            r"(?:buy|join|claim|get|grab)|before\s+it'?s\s+too\s+late|don'?t\s+miss\s+(?:out|the"
            r"\s+(?:\w+\s+)?(?:presale|airdrop|launch|drop|offer|deal)))\b",
            # The offer: a discount, a prize, free delivery, the reader picked out.
            r"\b(\d{1,2}%\s+off\s+(?:\w+\s+)?(?:today|now|all|your)|lowest\s+prices?\s+(?:on|for)"
            r"|free\s+(?:shipping|delivery)|delivered\s+overnight|money[\s-]back\s+"
            r"guarantee|you\s+(?:have|'ve)\s+been\s+(?:selected|chosen)|congratulations,?\s+you"
            r"|claim\s+(?:your|a)\s+(?:free\s+)?(?:reward|prize|gift|bonus|tokens?|spot)"
            r"|connect\s+your\s+wallet|(?:register|sign\s+up)\s+(?:now|today|at|free)"
            r"|spin\s+to\s+win|instant\s+withdrawals?)\b",
            # "Buy $LBC today": an order to buy a cashtag.
            r"\b((?:buy|grab|ape\s+into)\s+\$[A-Z][A-Z0-9]{1,9}(?:\s+(?:now|today))?)(?![\w$])",
        )
    )

    needs = (
        ("presale", "pre-sale", "airdrop", "token", "coin", "bonus", "spins"),
        ("presale", "pre-sale", "airdrop"),
        ("moon", "100x", "1000x", "guaranteed"),
        ("casino", "spins", "deposit"),
        tuple(_DRUGS.split("|")),
        ("prescription", "doctor", "rx", "shipping", "offer", "sign", "click"),
        ("now", "win", "jackpot", "welcome", "%", "crash", "bet"),
        ("rich", "freedom", "double", "passive", "gem", "earning", "exchanges", "ape"),
        ("$", "£", "€", "earn", "trick", "signal", "risk"),
        ("only", "spot", "seat", "allocation", "chance", "late", "miss"),
        ("%", "lowest", "shipping", "delivery", "overnight", "guarantee", "selected", "chosen")
        + ("congratulations", "claim", "wallet", "register", "sign", "spin", "withdrawal"),
        ("$",),
    )

    def score(self, doc: Document, match: re.Match[str]) -> float:
        return self.weight * (0.6 if doc.is_about_crypto() else 1.0)


class PromoWord(PatternRule):
    id = "promo-word"
    weight = 0.15
    reason = "word from the vocabulary of coin, casino and pharma promotion (weak alone)"
    patterns = (
        re.compile(
            # Only words news rarely uses otherwise: not "bet", "slots", "free", "bonus".
            r"\b(presales?|pre-sales?|airdrops?|whitelist(?:ed)?|viagra|cialis|lambo|moonshot|"
            r"100x|1000x|apy|referral|signup|promo\s?code)\b",
            re.IGNORECASE,
        ),
    )
    needs = (
        ("presale", "pre-sale", "airdrop", "whitelist", "viagra", "cialis", "lambo", "moonshot")
        + ("100x", "1000x", "apy", "referral", "signup", "promo"),
    )

    def score(self, doc: Document, match: re.Match[str]) -> float:
        return self.weight * (0.6 if doc.is_about_crypto() else 1.0)
