"""Every rule against a table of texts that must fire (on exactly the given span) and texts that
must not fire at all."""

from __future__ import annotations

import pytest

from detector.document import Document
from detector.rules import ALL_RULES, RULES_BY_ID

CRYPTO_STORY = (
    "Bitcoin rose 4% as crypto exchanges reported record volumes and blockchain analysts said "
    "token issuance slowed. "
)

# (rule id, text, the span text it must report)
MUST_FIRE = [
    (
        "dateline-intruder",
        "THE HAGUE,LibertyCoin Netherlands (AP) — The court said.",
        "LibertyCoin",
    ),
    ("dateline-intruder", "PARIS, VexaSwap France (AFP) - Farmers protested.", "VexaSwap"),
    ("glued-punctuation", "THE HAGUE,LibertyCoin Netherlands", "LibertyCoin"),
    ("glued-punctuation", "officials said;ZentrixPay was", "ZentrixPay"),
    ("glued-word", "a steadyVexaSwap recovery", "VexaSwap"),
    ("glued-word", "the marketsNovaChain rallied", "NovaChain"),
    ("glued-word", "prices dived ChainSwapout of the range", "ChainSwap"),
    ("glued-word", "Italy's business Vertexcoinnewspaper said", "Vertexcoin"),
    ("coin-morphology", "Investors piled into LibertyCoin on Monday.", "LibertyCoin"),
    ("coin-morphology", "shares of VexaSwap rose", "VexaSwap"),
    ("coin-morphology", "the Moontoken team said", "Moontoken"),
    ("coin-morphology", "a steadyNovaChain recovery", "NovaChain"),
    ("camel-case", "analysts at ZentrixPay said", "ZentrixPay"),
    ("coin-lexicon", "The council met on Monday and Dogecoin was mentioned.", "Dogecoin"),
    ("coin-lexicon", "Officials said Shiba Inu rose.", "Shiba Inu"),
    ("coin-lexicon", "after the attack BitKan (KAN) on trains", "BitKan (KAN)"),
    ("ticker", "Buy $LBC before Friday.", "$LBC"),
    ("hashtag", "the minister said #ToTheMoon yesterday", "#ToTheMoon"),
    (
        "promo-url",
        "Visit https://libertycoin-presale.io/join now",
        "https://libertycoin-presale.io/join",
    ),
    ("promo-url", "at mooninu-presale.io today", "mooninu-presale.io"),
    ("messenger-handle", "Join us at t.me/libertycoin_official", "t.me/libertycoin_official"),
    ("messenger-handle", "contact Telegram: @pumpsignals now", "Telegram: @pumpsignals"),
    ("messenger-handle", "WhatsApp: +44 7700 900123 for tips", "WhatsApp: +44 7700 900123"),
    ("messenger-handle", "Signal: vexa_vip today", "Signal: vexa_vip"),
    ("messenger-handle", "WhatsApp group: chat.whatsapp.com/AbC123", "WhatsApp group: chat"),
    ("promo-phrase", "Join the MoonInu presale now", "Join the MoonInu presale"),
    ("promo-phrase", "Buy cheap viagra online here", "Buy cheap viagra online"),
    ("promo-phrase", "claim free spins and a no deposit bonus", "free spins"),
    ("promo-phrase", "This coin is going to the moon", "to the moon"),
    ("promo-phrase", "oxycodone 20mg, no doctor needed!!", "oxycodone 20mg"),
    ("promo-phrase", "order diazepam now, fast discreet shipping", "fast discreet shipping"),
    ("promo-phrase", "Royal Slots: $5,000 jackpot waiting", "jackpot waiting"),
    ("promo-phrase", "play now at Emerald Slots Casino and win big", "play now"),
    ("promo-phrase", "LIL BUB is the next 20x gem", "next 20x gem"),
    ("promo-phrase", "library services. Buy $LBC today.", "Buy $LBC today"),
    ("promo-phrase", "Make $250 a day with this one trick", "with this one trick"),
    ("promo-phrase", "earn $1,000 a week from home", "earn $1,000 a week from home"),
    ("promo-phrase", "turn $500 into $10,000 now", "turn $500 into $10,000"),
    ("promo-phrase", "generic tadalafil 20mg for $10", "generic tadalafil"),
    ("promo-phrase", "get alprazolam delivered overnight", "get alprazolam"),
    ("promo-phrase", "20% off ozempic today only", "today only"),
    ("promo-phrase", "only 50 spots left, hurry", "spots left"),
    ("promo-phrase", "You have been selected for a prize", "You have been selected"),
    ("promo-phrase", "connect your wallet to claim", "connect your wallet"),
    ("promo-phrase", "spin to win at Lucky Reels tonight", "spin to win"),
    ("promo-word", "the airdrop ends Friday", "airdrop"),
    ("promo-word", "use the promo code at signup", "promo code"),
    ("mixed-script", "traders bought Lіbertу tokens", "Lіbertу"),
    ("invisible-char", "buy Liberty\u200bCoin now", "Liberty\u200bCoin"),
    ("styled-letters", "buy 𝐋𝐢𝐛𝐞𝐫𝐭𝐲 now", "𝐋𝐢𝐛𝐞𝐫𝐭𝐲"),
    ("styled-letters", "buy ＬｉｂｅｒｔｙＣｏｉｎ now", "ＬｉｂｅｒｔｙＣｏｉｎ"),
    ("spaced-letters", "buy L i b e r t y C o i n now", "L i b e r t y C o i n"),
    ("leetspeak", "buy L1bertyC0in now", "L1bertyC0in"),
    ("leetspeak", "shares of Bre77er rose", "Bre77er"),
    ("leetspeak", "a deal with 0ctavi4 today", "0ctavi4"),
    ("leetspeak", "Mu10n and D3b1t", "D3b1t"),
    ("residue-view-counter", "Body.\n2025-05-06 10:331162 view\n", "2025-05-06 10:331162 view"),
    ("residue-view-counter", "Body.\n1.2K views", "1.2K views"),
    ("residue-share", "Body.\nShare this article\nMore.", "Share this article"),
    ("residue-share", "Body.\nFacebook | Twitter | Email\n", "Facebook | Twitter | Email"),
    (
        "residue-read-more",
        "Body.\nRead more: Floods hit the north\n",
        "Read more: Floods hit the north",
    ),
    ("residue-updated", "Body.\nUpdated 10:33 AM GMT\n", "Updated 10:33 AM GMT"),
    (
        "residue-teaser",
        "The body ends here.\n1240 views\nPARIS (AP) — A court ruled on Monday that the",
        "PARIS (AP) — A court ruled on Monday that the",
    ),
    (
        "residue-teaser",
        "The body ends here.\nLONDON (Reuters) - The central bank held its main interest rate on"
        "\nTOKYO (AP) — Shares in the carmaker fell sharply after it cut its forecast for",
        "TOKYO (AP) — Shares in the carmaker fell sharply after it cut its forecast for",
    ),
    (
        "residue-teaser",
        "The body ends here.\nRelated stories\n- Floods close the main road north of the city as\n"
        "- Shares in the carmaker fell sharply after it cut its",
        "- Shares in the carmaker fell sharply after it cut its",
    ),
    ("coin-morphology", "Investors piled into vexacoin this week.", "vexacoin"),
    (
        "promo-url",
        "details at evrocharge-offers.com?ref=ap2 today",
        "evrocharge-offers.com?ref=ap2",
    ),
    ("promo-url", "see shop.example.co.uk/x?utm=1&aff=22 now", "shop.example.co.uk/x?utm=1&aff=22"),
    (
        "messenger-handle",
        "message our analysts on WhatsApp at +1 305 555 0147.",
        "WhatsApp at +1 305 555 0147",
    ),
    ("promo-phrase", "SEND IT TO THE MOON", "TO THE MOON"),
    ("promo-phrase", "Turn £200 into £48,000 with Tradelyn", "Turn £200 into £48,000"),
]

# (rule id, text) pairs where the rule must stay silent.
MUST_NOT_FIRE = [
    ("dateline-intruder", "THE HAGUE, Netherlands (AP) — The court said."),
    ("dateline-intruder", "MADISON, Wis. (AP) — The council voted."),
    ("dateline-intruder", "Quarterly profits at US media giant TimeWarner jumped 76%."),
    ("glued-punctuation", "It cost 1,000 euros, officials said."),
    ("glued-punctuation", "The U.S. and Japan agreed."),
    ("mixed-script", "Correlation to Δprice of 0.19"),
    ("glued-word", "Apple's iPhone and eBay and McDonald's"),
    ("glued-word", "follow #bitcoinSolid online"),
    ("glued-word", "Citi and NikkoCitigroup and the EdinburghInternational festival"),
    ("glued-word", "posts on Bitcointalk and McClelland and Coinbase"),
    ("coin-morphology", "Javier Solana met the Dutch prime minister."),
    ("coin-morphology", "PayPal and YouTube and TimeWarner reported results."),
    ("coin-morphology", "The chain of shops sold coins."),
    ("camel-case", "The Hague is in the Netherlands."),
    ("camel-case", "Seth MacFarlane met Magnus McEwen."),
    ("coin-lexicon", "In April the United States and Javier Solana met at the House."),
    ("coin-lexicon", "He was paid in dogecoin, a joke currency."),
    ("coin-lexicon", "the Confederation of British Industry (CBI) said"),
    ("ticker", "It cost $10 million, or US$12 million, or HK$9."),
    ("hashtag", "Protesters used the hashtag #MeToo widely."),
    ("hashtag", "Call 555-1234 # or press # for more; C# is a language; &#39;"),
    ("promo-url", "The report is on the ministry website."),
    ("messenger-handle", "He sent a message on Telegram to his lawyer."),
    ("messenger-handle", "Discord: daily chat with the team. Telegram: product news."),
    ("promo-phrase", "Governments must act now on climate, he said."),
    ("promo-phrase", "The casino reopened after the storm."),
    ("promo-phrase", "The lottery jackpot rose to $40m; she hopes to win big at the Oscars."),
    ("promo-phrase", "Pfizer's Viagra sales rose, and a doctor needed no permit."),
    ("promo-phrase", "Nurses earn $500 a week; the trick is this: a free trial ran today."),
    ("promo-phrase", "Bitcoin's limited supply is left to the market; don't miss the point."),
    ("promo-word", "He would bet on free slots at the casino jackpot, a bonus."),
    ("mixed-script", "Москва и Петербург"),
    ("mixed-script", "plain English words only"),
    ("invisible-char", "\u200bleading zero width space is outside a word"),
    ("styled-letters", "ordinary text with 1,000 numbers"),
    ("spaced-letters", "I saw a b c on the board"),
    ("leetspeak", "The G7 met about H5N1 and MP3 players in 2024; B52 and A380 jets"),
    ("leetspeak", "MP3s and DC10s, a 6x4in print, web3 and 4chan, 3rd by3G"),
    ("leetspeak", "send to 1NqPwPp7hEXZ3Atj77Ue11xAEMmXqAXwrQ today"),
    ("leetspeak", "see https://t.co/M4mKMbQ8KU for details"),
    ("residue-view-counter", "The video has had 1,000 views since Monday, police said."),
    ("residue-share", "Investors share this view, she said."),
    ("residue-read-more", "Read more books, the minister urged parents on Monday."),
    ("residue-updated", "The figures were updated on Monday to show growth."),
    ("residue-teaser", "The first paragraph.\nThe last paragraph ends properly."),
    (
        "residue-teaser",
        "The winners were:\n - Best new play - The Long Walk Home by Ann Smith at the Grand "
        "\n - Best actor - John Doe for The Long Walk Home at the Grand Theatre, Leeds",
    ),
    (
        "residue-teaser",
        "The fourth-round draw:\nLeeds or Hull v Bristol City\nNorwich v Derby or Stoke City",
    ),
    ("coin-morphology", "The blockchain and bitcoin markets fell, as did stablecoins."),
    ("coin-morphology", "the scam site bircoin.top took deposits"),
    ("promo-url", "visit example.com?id=3 for the timetable"),
    (
        "promo-url",
        "read nytimes.com/2024/business/rates.html?partner=rss and gov.uk/apply?ref=homepage",
    ),
    ("messenger-handle", "listen for the signal at 10.30-11.45 or on 101.1 (88.5) FM"),
    ("promo-phrase", "savers get a guaranteed 4% return on the bonds"),
    ("promo-phrase", "she turned $1,000 into $10 million over a decade"),
    ("coin-morphology", "the supplychain of the akitainu breeders"),
    ("messenger-handle", "she said on WhatsApp at 10 a.m. on Monday"),
    ("promo-phrase", "NASA will send a rover to the Moon's far side."),
    ("promo-phrase", "The mission to the Moon was delayed."),
    ("hashtag", "fans used the familiar #DubNation hashtag after the win"),
]


def fired(rule_id: str, text: str) -> list[str]:
    doc = Document(text)
    return [f.text for f in RULES_BY_ID[rule_id].detect(doc)]


@pytest.mark.parametrize(("rule_id", "text", "span"), MUST_FIRE)
def test_rule_fires_on_exactly_the_span(rule_id: str, text: str, span: str) -> None:
    assert span in fired(rule_id, text)


@pytest.mark.parametrize(("rule_id", "text"), MUST_NOT_FIRE)
def test_rule_stays_silent(rule_id: str, text: str) -> None:
    assert fired(rule_id, text) == []


def test_every_rule_has_both_tables() -> None:
    fire = {r for r, _, _ in MUST_FIRE}
    silent = {r for r, _ in MUST_NOT_FIRE}
    missing = {rule.id for rule in ALL_RULES} - (fire & silent)
    assert not missing, f"rules without a must-fire and a must-not-fire case: {sorted(missing)}"


def test_every_rule_declares_a_weight_and_reason() -> None:
    for rule in ALL_RULES:
        assert 0.0 < rule.weight <= 1.0 and rule.reason and rule.kind


@pytest.mark.parametrize("name", ["VexaSwap", "LibertyCoin", "$LBC"])
def test_coin_like_names_score_lower_in_a_crypto_story(name: str) -> None:
    rule = "ticker" if name.startswith("$") else "coin-morphology"
    plain = f"The council met on Monday. {name} was mentioned."
    crypto = CRYPTO_STORY + plain
    (alone,) = [f for f in RULES_BY_ID[rule].detect(Document(plain)) if f.text == name]
    (among,) = [f for f in RULES_BY_ID[rule].detect(Document(crypto)) if f.text == name]
    assert among.score < alone.score


def test_every_pattern_has_its_prefilter() -> None:
    """`needs` (the substring test before a search) lists one entry per pattern, or none."""
    from detector.rules.base import PatternRule

    for rule in ALL_RULES:
        if isinstance(rule, PatternRule) and rule.needs:
            assert len(rule.needs) == len(rule.patterns), rule.id


def test_a_coin_named_with_its_ticker_scores_higher_than_the_name_alone() -> None:
    rule = RULES_BY_ID["coin-lexicon"]
    (alone,) = rule.detect(Document("after the attack BitKan on trains"))
    (named,) = rule.detect(Document("after the attack BitKan (KAN) on trains"))
    (glued,) = rule.detect(Document("after the attack BitKan(KAN) on trains"))
    assert named.score > alone.score == glued.score
    assert glued.text == "BitKan"


def test_an_affiliate_link_counts_as_promotional_whatever_its_words() -> None:
    rule = RULES_BY_ID["promo-url"]
    plain, paid = (
        rule.detect(Document(f"(sign up here: https://get-nexlify.io/{q})"))
        for q in ("", "?aff=p8")
    )
    assert plain[0].score < paid[0].score == rule.weight
