"""Tests of training.generate: determinism, exact offsets, spacing at each position, the mixes, the
evasions, synthetic datelines and furniture on a tiny made-up corpus; coin names and the CLI on the
research data (skipped when it is absent)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from training.generate import (
    _DATELINE,
    EVASIONS,
    HELD_OUT_PAYLOADS,
    PAYLOAD_TYPES,
    POSITIONS,
    GeneratorConfig,
    Insertion,
    Sample,
    coin_names,
    generate,
    load_articles,
    main,
)

REPO = Path(__file__).resolve().parent.parent

# Written for these tests; the places and firms are made up or generic.
ARTICLES = [
    {
        "id": "fx-reuters",
        "source": "fixture",
        "title": "ACME WIDGET CORP SEES HIGHER FIRST QUARTER NET",
        "text": (
            "TOLEDO, Ohio, March 3 - Acme Widget Corp said it expects first quarter net income to "
            "rise sharply on stronger demand for industrial fasteners.\n\nThe company said orders "
            "from automotive customers grew in January and February, and it raised its production "
            "targets for the year.\n\nAcme said it would announce detailed results in late April. "
            "Reuter"
        ),
    },
    {
        "id": "fx-ap",
        "source": "fixture",
        "title": "City council delays vote on new bus routes",
        "text": (
            "PORTLAND, Maine (AP) — The city council on Monday postponed a vote on a plan to "
            "redraw bus routes across the downtown area. Council members said they wanted more "
            "time to hear from riders.\n\nThe transit authority had proposed cutting two lines "
            "and adding an express service to the airport. Officials expect to revisit the plan "
            "next month."
        ),
    },
    {
        "id": "fx-agnews",
        "source": "fixture",
        "title": "Chipmaker raises outlook on strong orders",
        "text": (
            "SAN JOSE (Reuters) - A maker of memory chips on Tuesday raised its revenue forecast "
            "for the quarter, citing strong orders from computer makers. Shares rose in "
            "after-hours trading."
        ),
    },
    {
        "id": "fx-plain",
        "source": "fixture",
        "title": "Library extends weekend opening hours",
        "text": (
            "The central library will open on Sunday afternoons from next month, the county said "
            "on Friday.\n\nStaff numbers will be increased to cover the extra hours, which were "
            "requested by students preparing for exams. A spokeswoman said the change would be "
            "reviewed after six months.\n\nVisitors will also be able to use the new reading rooms "
            "on the third floor."
        ),
    },
    {
        "id": "fx-notitle",
        "source": "fixture",
        "title": None,
        "text": (
            "Prices of second-hand bicycles have climbed this year as more commuters switch away "
            "from cars. Dealers reported that demand for folding models was especially strong. "
            "Several shops said they had waiting lists for repairs."
        ),
    },
    {
        "id": "fx-prefix",
        "source": "fixture",
        "title": "Startup unveils solar-powered drone (AP)",
        "text": (
            "AP - A small engineering firm showed off a drone on Wednesday that it says can stay "
            "aloft for two days using only solar panels. The company plans to sell it to farmers "
            "and survey teams."
        ),
    },
]
COINS = [("Zorblatt Token", "ZBT"), ("Quibbix", "QBX"), ("Flarnacoin", "FLN")]  # made up
INVISIBLE = set("\u200b\u200c\u200d\u2060\u00ad")


def many(n: int) -> list[dict]:
    """`n` articles cycling through the fixture, each with its own id."""
    return [
        dict(ARTICLES[i % len(ARTICLES)], id=f"{ARTICLES[i % len(ARTICLES)]['id']}-{i}")
        for i in range(n)
    ]


def run(n: int = 300, **config: object) -> list[Sample]:
    return list(generate(many(n), GeneratorConfig(**config), coins=COINS))  # type: ignore[arg-type]


def field_text(sample: Sample, ins: Insertion) -> str:
    text = sample.title if ins.field == "title" else sample.text
    assert text is not None
    return text


def neighbours(sample: Sample, ins: Insertion) -> tuple[str, str]:
    text = field_text(sample, ins)
    return text[ins.start - 1 : ins.start], text[ins.end : ins.end + 1]


def as_jsonl(samples: list[Sample]) -> str:
    from dataclasses import asdict

    return "\n".join(json.dumps(asdict(s), ensure_ascii=False) for s in samples)


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_samples() -> None:
    assert as_jsonl(run(seed=7)) == as_jsonl(run(seed=7))


def test_other_seed_gives_other_samples() -> None:
    assert as_jsonl(run(seed=7)) != as_jsonl(run(seed=8))


def test_identical_across_processes_with_different_hash_salts() -> None:
    code = (
        "import hashlib, json, sys; from dataclasses import asdict;"
        "from training.generate import generate, GeneratorConfig;"
        "from tests.test_generate import many, COINS;"
        "out = [json.dumps(asdict(s)) for s in generate(many(60), GeneratorConfig(seed=3), "
        "coins=COINS)];"
        "print(hashlib.sha256('\\n'.join(out).encode()).hexdigest())"
    )
    digests = set()
    for salt in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=salt)
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        digests.add(proc.stdout.strip())
    assert len(digests) == 1


# --- offsets and spacing -----------------------------------------------------------------------


def test_offsets_slice_exactly_after_all_edits() -> None:
    samples = run(600, seed=1, evasion_rate=0.6, furniture_rate=1.0, clean_rate=0.2)
    checked = 0
    for sample in samples:
        by_field: dict[str, list[Insertion]] = {}
        for ins in sample.insertions:
            assert field_text(sample, ins)[ins.start : ins.end] == ins.text
            assert ins.start < ins.end
            by_field.setdefault(ins.field, []).append(ins)
            checked += 1
        for spans in by_field.values():
            spans.sort(key=lambda i: i.start)
            assert all(a.end <= b.start for a, b in pairwise(spans)), "overlap"
    assert checked > 500


def test_headline_insertions_are_in_the_title() -> None:
    samples = run(position_mix={"headline": 1.0}, clean_rate=0.0)
    for sample in samples:
        for ins in sample.insertions:
            assert ins.field == "title" and ins.position == "headline"
        if sample.title is None:
            assert sample.insertions == ()


SPACING = {
    "dateline_comma": lambda b, a, s, i: s[i.start - 2 : i.start] == ", " and a == " ",
    "dateline_comma_nospace": lambda b, a, s, i: b == "," and a == " ",
    "dateline_before_agency": lambda b, a, s, i: b == " " and a == " ",
    "dateline_after_dash": lambda b, a, s, i: s[i.start - 2] in "-—–" and a == " ",
    "headline": lambda b, a, s, i: b in ("", " ") and a in ("", " "),
    "lede": lambda b, a, s, i: b == " " and a == " ",
    "mid_sentence": lambda b, a, s, i: b == " " and a == " ",
    "glued_word": lambda b, a, s, i: b.isalpha() or a.isalpha(),
    "paragraph_end": lambda b, a, s, i: b == " ",
    "article_end": lambda b, a, s, i: b in (" ", "\n"),
}


def test_spacing_at_every_position() -> None:
    seen = Counter()
    for sample in run(600, seed=4, evasion_rate=0.0):
        for ins in sample.insertions:
            before, after = neighbours(sample, ins)
            text = field_text(sample, ins)
            assert SPACING[ins.position](before, after, text, ins), (ins, text)
            seen[ins.position] += 1
    assert set(seen) == set(POSITIONS)


def test_dateline_forms_seen_in_the_wild() -> None:
    ap = [a for a in ARTICLES if a["id"] == "fx-ap"]
    for position, expected in [
        ("dateline_comma_nospace", "PORTLAND,{} Maine (AP) — The"),
        ("dateline_comma", "PORTLAND, {} Maine (AP) — The"),
        ("dateline_before_agency", "PORTLAND, Maine {} (AP) — The"),
        ("dateline_after_dash", "PORTLAND, Maine (AP) — {} The"),
    ]:
        config = GeneratorConfig(clean_rate=0.0, insertions=(1, 1), position_mix={position: 1.0})
        (sample,) = generate(ap, config, coins=COINS)
        (ins,) = sample.insertions
        assert sample.text.startswith(expected.format(ins.text))


def test_reuters_1987_dateline_before_the_dash() -> None:
    reuters = [a for a in ARTICLES if a["id"] == "fx-reuters"]
    config = GeneratorConfig(
        clean_rate=0.0, insertions=(1, 1), position_mix={"dateline_before_agency": 1.0}
    )
    (sample,) = generate(reuters, config, coins=COINS)
    (ins,) = sample.insertions
    assert sample.text.startswith(f"TOLEDO, Ohio, March 3 {ins.text} - Acme")


# --- the mixes ---------------------------------------------------------------------------------


def test_default_mix_produces_every_position_payload_and_evasion() -> None:
    samples = run(400, seed=2)
    insertions = [i for s in samples for i in s.insertions]
    assert {i.position for i in insertions} == set(POSITIONS)
    assert {i.payload_type for i in insertions} == set(PAYLOAD_TYPES) - set(HELD_OUT_PAYLOADS)
    assert {i.evasion for i in insertions} == set(EVASIONS)


def test_clean_samples_have_no_insertions() -> None:
    assert all(s.insertions == () for s in run(clean_rate=1.0))
    assert all(s.insertions for s in run(clean_rate=0.0))


def test_clean_rate_is_roughly_respected() -> None:
    clean = sum(not s.insertions for s in run(600, clean_rate=0.35))
    assert 0.25 < clean / 600 < 0.45


def test_insertion_count_follows_config() -> None:
    counts = Counter(len(s.insertions) for s in run(clean_rate=0.0, insertions=(2, 2)))
    assert counts == Counter({2: 300})
    counts = Counter(len(s.insertions) for s in run(clean_rate=0.0))
    assert set(counts) == {1, 2, 3}


@pytest.mark.parametrize("position", ["glued_word", "mid_sentence", "paragraph_end", "lede"])
def test_position_mix_is_respected(position: str) -> None:
    samples = run(clean_rate=0.0, position_mix={position: 1.0})
    insertions = [i for s in samples for i in s.insertions]
    assert insertions and {i.position for i in insertions} == {position}


def test_glued_only_repeats_the_position_at_separate_words() -> None:
    for sample in run(clean_rate=0.0, insertions=(3, 3), position_mix={"glued_word": 1.0}):
        assert len(sample.insertions) == 3
        for ins in sample.insertions:
            before, after = neighbours(sample, ins)
            assert before.isalpha() or after.isalpha()


def test_dateline_positions_need_a_dateline() -> None:
    config = GeneratorConfig(
        clean_rate=0.0, synthetic_dateline_rate=0.0, position_mix={"dateline_comma": 1.0}
    )
    samples = {s.id: s for s in generate(ARTICLES, config, coins=COINS)}
    assert samples["fx-plain"].insertions == ()  # no dateline, none made: nowhere to put it
    assert samples["fx-ap"].insertions[0].position == "dateline_comma"


def test_payload_mix_is_respected() -> None:
    samples = run(clean_rate=0.0, payload_mix={"url": 1.0})
    assert {i.payload_type for s in samples for i in s.insertions} == {"url"}


def test_no_real_coin_without_coin_names() -> None:
    samples = list(generate(many(200), GeneratorConfig(clean_rate=0.0), coins=[]))
    kinds = {i.payload_type for s in samples for i in s.insertions}
    assert "real_coin" not in kinds and "invented_coin" in kinds


def test_real_coins_come_from_the_list() -> None:
    samples = run(clean_rate=0.0, payload_mix={"real_coin": 1.0}, evasion_rate=0.0)
    names = {n for n, _ in COINS}
    for ins in (i for s in samples for i in s.insertions):
        assert any(ins.text.startswith(n) for n in names)


CHECKS = {
    "homoglyph": lambda t: any(0x370 <= ord(c) < 0x530 for c in t),  # Greek or Cyrillic
    "zero_width": lambda t: bool(INVISIBLE & set(t)),
    "styled": lambda t: any(ord(c) >= 0xFF01 for c in t),
    "leet": lambda t: any(c in "013457" for c in t),
    "spaced": lambda t: " " in t,
}


@pytest.mark.parametrize("evasion", sorted(CHECKS))
def test_each_evasion_disguises_the_payload(evasion: str) -> None:
    samples = run(clean_rate=0.0, evasion_rate=1.0, evasion_mix={evasion: 1.0})
    insertions = [i for s in samples for i in s.insertions]
    assert sum(i.evasion == evasion for i in insertions) > 0.8 * len(insertions)
    for ins in insertions:
        assert ins.evasion in (evasion, "none")  # `none` when nothing in the payload can change
        if ins.evasion == evasion:
            assert CHECKS[evasion](ins.text), ins.text


def test_no_evasion_at_rate_zero() -> None:
    samples = run(evasion_rate=0.0)
    assert {i.evasion for s in samples for i in s.insertions} == {"none"}


def test_invented_names_vary_in_shape() -> None:
    samples = run(600, clean_rate=0.0, payload_mix={"invented_coin": 1.0}, evasion_rate=0.0)
    names = {i.text for s in samples for i in s.insertions}
    assert len(names) > 500
    assert any(" " in n for n in names)  # two words
    assert any(n.isupper() for n in names)  # all caps
    assert any(n[1:].islower() and n.endswith(("coin", "swap", "chain")) for n in names)
    assert sum(n.endswith("Coin") for n in names) < len(names) / 4


def test_promo_phrases_are_varied() -> None:
    samples = run(600, clean_rate=0.0, payload_mix={"promo_phrase": 1.0}, evasion_rate=0.0)
    phrases = [i.text for s in samples for i in s.insertions]
    assert len(set(phrases)) > 0.75 * len(phrases)
    assert max(Counter(phrases).values()) < 0.02 * len(phrases)
    assert all(len(p.split()) >= 2 for p in phrases)


def test_held_out_spam_is_its_own_payload_and_shares_no_template_with_promo_phrases() -> None:
    mix = {"promo_phrase": 1.0, "other_spam": 1.0}
    samples = run(600, clean_rate=0.0, payload_mix=mix, evasion_rate=0.0)
    by_type: dict[str, set[str]] = {"promo_phrase": set(), "other_spam": set()}
    for i in (i for s in samples for i in s.insertions):
        by_type[i.payload_type].add(re.sub(r"[\d,]+", "N", i.text.lower().strip(" !")))
    assert len(by_type["other_spam"]) > 15
    assert not by_type["other_spam"] & by_type["promo_phrase"]


def test_bad_config_is_rejected() -> None:
    with pytest.raises(ValueError):
        GeneratorConfig(position_mix={"nowhere": 1.0})
    with pytest.raises(ValueError):
        GeneratorConfig(payload_mix={"url": 0.0})
    with pytest.raises(ValueError):
        GeneratorConfig(clean_rate=1.5)
    with pytest.raises(ValueError):
        GeneratorConfig(insertions=(3, 1))


# --- datelines and furniture -------------------------------------------------------------------


def test_synthetic_datelines_prefix_only_articles_without_one() -> None:
    config = GeneratorConfig(clean_rate=1.0, furniture_rate=0.0, synthetic_dateline_rate=1.0)
    for article, sample in zip(ARTICLES, generate(ARTICLES, config, coins=COINS), strict=True):
        if article["id"] in ("fx-plain", "fx-notitle"):
            head = sample.text[: -len(article["text"])]
            assert sample.text.endswith(article["text"]) and _DATELINE.fullmatch(head), head
            assert any(agency in head for agency in ("(AP)", "(Reuters)", "(AFP)"))
        else:
            assert sample.text == article["text"]


def test_no_synthetic_datelines_at_rate_zero() -> None:
    config = GeneratorConfig(clean_rate=1.0, furniture_rate=0.0, synthetic_dateline_rate=0.0)
    for article, sample in zip(ARTICLES, generate(ARTICLES, config, coins=COINS), strict=True):
        assert sample.text == article["text"] and sample.title == article["title"]


def test_datelines_and_furniture_do_not_depend_on_injection() -> None:
    clean = run(clean_rate=1.0, furniture_rate=0.0)
    injected = run(clean_rate=0.0, furniture_rate=0.0, position_mix={"article_end": 1.0})
    for c, i in zip(clean, injected, strict=True):
        (ins,) = i.insertions
        assert i.text.startswith(c.text) and i.text[ins.start - 1 :].lstrip() == ins.text

    clean = run(clean_rate=1.0, furniture_rate=1.0)
    injected = run(clean_rate=0.0, furniture_rate=1.0, position_mix={"lede": 1.0})
    for article, c, i in zip(many(300), clean, injected, strict=True):
        tail = article["text"].rstrip()[-20:]
        assert c.text.split(tail)[-1] == i.text.split(tail)[-1]  # the same furniture


def test_furniture_is_appended_unlabelled() -> None:
    articles = many(60)
    config = GeneratorConfig(clean_rate=1.0, furniture_rate=1.0, synthetic_dateline_rate=0.0)
    samples = list(generate(articles, config, coins=COINS))
    for article, sample in zip(articles, samples, strict=True):
        assert sample.insertions == ()
        assert sample.text.startswith(article["text"].rstrip())
        assert len(sample.text) > len(article["text"])
    teasers = 0
    for k, sample in enumerate(samples[1:], start=1):
        extra = sample.text[len(articles[k]["text"]) :]
        others = {a["text"][:40] for a in articles[:k] if a["text"] != articles[k]["text"]}
        teasers += any(o in extra for o in others)
    assert teasers > 5


# --- the research data -------------------------------------------------------------------------


def test_coin_names_leave_out_ordinary_words(data_dir: Path) -> None:
    coins = coin_names(data_dir)
    names = {n for n, _ in coins}
    lowered = {n.lower() for n in names}
    assert len(coins) > 1000
    assert not {"april", "united", "house", "prime", "solana"} & lowered
    assert all(len(n) >= 4 for n in names)
    assert "Dogecoin" in names


def test_load_articles_skips_short_and_duplicate_reuters(data_dir: Path) -> None:
    articles = list(load_articles("reuters", data_dir))
    texts = [a["text"] for a in articles]
    assert all(len(t) >= 300 for t in texts)
    assert len(set(texts)) == len(texts)
    assert {"id", "source", "title", "text"} <= set(articles[0])


def test_load_articles_rejects_unknown_corpus(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        list(load_articles("nope", tmp_path))
    with pytest.raises(FileNotFoundError):
        list(load_articles("bbc", tmp_path))


@pytest.mark.parametrize("corpus", ["reuters", "agnews", "bbc", "crypto"])
def test_offsets_on_real_corpora(data_dir: Path, corpus: str) -> None:
    from itertools import islice

    articles = list(islice(load_articles(corpus, data_dir), 300))
    samples = list(generate(articles, GeneratorConfig(seed=5), coins=coin_names(data_dir)))
    assert len(samples) == len(articles)
    for sample in samples:
        for ins in sample.insertions:
            assert field_text(sample, ins)[ins.start : ins.end] == ins.text


def test_cli_prints_jsonl(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", "bbc", "--n", "3", "--seed", "1", "--data-dir", str(data_dir)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert {"id", "source", "title", "text", "insertions"} <= set(row)
        for ins in row["insertions"]:
            text = row["title"] if ins["field"] == "title" else row["text"]
            assert text[ins["start"] : ins["end"]] == ins["text"]


def test_quoted_tweets_in_training_carry_their_tags_among_their_words() -> None:
    import random

    from training.augment import _prose_tweet, with_modern_embeds

    sentence = "Bitcoin fell sharply on Monday as traders sold off their holdings."
    tweet = _prose_tweet(random.Random(3), sentence, ["Bitcoin"], ["$BTC"])
    words = tweet.split()
    assert re.fullmatch(r"(pic\.twitter\.com|https://t\.co)/\w{10}", words[-1])
    assert [w for w in words if w[0] not in "#$@" and w.isascii()][: len(sentence.split())] == (
        sentence.split()
    )
    assert any(w[0] in "#$" for w in words[:-1])
    # The tweet remarks in the words of the article before, not its own (which would repeat them).
    before = {"id": "b", "text": f"{sentence}\n"}
    article = {"id": "a#crypto", "text": "Ether rose on the news as well, dealers said.\nMore.\n"}
    texts = [
        list(with_modern_embeds([before, article], 1.0, seed))[1]["text"] for seed in range(40)
    ]
    assert any(re.search(r"sharply .*(pic\.twitter\.com|t\.co)/", t) for t in texts)
    assert not any("dealers said." in t.split("\n")[-1] for t in texts)


def test_training_embeds_name_a_storys_organisation_by_its_bare_website() -> None:
    import random

    from training.augment import legit_embed

    rng = random.Random(5)
    embeds = [legit_embed(rng, ["Arsenal"], []) for _ in range(60)]
    sites = [m.group() for e in embeds for m in [re.search(r"(www\.)?arsenal\.[a-z.]+\w", e)] if m]
    assert sites and all("/" not in s for s in sites)
    assert any(s.startswith("www.") for s in sites)


def test_crypto_rewrites_name_mostly_the_market_cap_tables_coins() -> None:
    import random

    from training.augment import RANKED_SHARE, cryptoize

    story = {
        "id": "m",
        "text": "Gold rose as Acme Mining said output fell, and Acme Mining shares and oil gained.",
    }
    ranked, tail = [("Polkadot", "DOT")], [(f"Tail{i}", f"T{i}") for i in range(500)]
    rng = random.Random(0)
    texts = [cryptoize(story, rng, ranked + tail, ranked)["text"] for _ in range(400)]
    share = sum("Polkadot" in t for t in texts) / len(texts)
    assert abs(share - RANKED_SHARE) < 0.08
    # Without the ranked list, every coin is drawn alike.
    texts = [cryptoize(story, rng, ranked + tail)["text"] for _ in range(400)]
    assert sum("Polkadot" in t for t in texts) < 10


def test_ranked_coin_names_are_the_head_of_the_coin_names(data_dir: Path) -> None:
    from training.generate import ranked_coin_names

    ranked, coins = ranked_coin_names(data_dir), coin_names(data_dir)
    assert 100 < len(ranked) < 300
    assert ranked == coins[: len(ranked)]
    assert ranked[0] == ("Bitcoin", "BTC")
