"""Token features: the name-slot statistics, the sentence a token stands in, and which tokens
the first pass hands to the model."""

from __future__ import annotations

import numpy as np

from detector.detectors import RulesDetector
from detector.document import Document
from detector.model.features import DENSE_NAMES, doc_features


def _features(text: str) -> tuple[Document, dict[str, np.ndarray], np.ndarray]:
    doc = Document(text)
    feats = doc_features(doc, RulesDetector().detect(doc))
    columns = {name: feats.dense[:, i] for i, name in enumerate(DENSE_NAMES)}
    return doc, columns, feats.candidate


def _at(doc: Document, word: str) -> int:
    return list(doc.tokens.words).index(word)


def test_a_name_is_natural_after_minister_and_odd_after_their() -> None:
    doc, cols, _ = _features("Prime Minister Tymoshenko said, and their Quorvex currently fell.")
    name, intruder = _at(doc, "Tymoshenko"), _at(doc, "Quorvex")
    # Log scale: several times likelier next to the real name than next to the intruder.
    assert cols["prev_takes_name"][name] > cols["prev_takes_name"][intruder] + 1.0
    assert cols["next_takes_name"][name] > cols["next_takes_name"][intruder] + 1.0


def test_english_at_large_knows_names_news_never_printed_but_not_invented_ones() -> None:
    # Neither name is in the 1987 and 2004 news the statistics were counted on; English at large
    # has the Ukrainian prime minister's name, and nobody has the coin.
    doc, cols, _ = _features("Tymoshenko said the Dreanzor Labs fund and Abramovich would grow.")
    real, invented, labs = _at(doc, "Tymoshenko"), _at(doc, "Dreanzor"), _at(doc, "Labs")
    assert cols["unseen_in_news"][real] == 1 and cols["unseen_in_news"][invented] == 1
    assert cols["unseen_in_english"][real] == 0 and cols["zipf_english"][real] > 0
    assert cols["unseen_in_english"][invented] == 1 and cols["zipf_english"][invented] == 0
    # The whole capitalised run holds the invented word; the real names' runs do not.
    assert cols["run_unseen_in_english"][labs] == 1
    assert cols["run_unseen_in_english"][_at(doc, "Abramovich")] == 0
    assert cols["zipf_english"][_at(doc, "said")] > cols["zipf_english"][real]


def test_english_at_large_reads_words_as_wordfreq_spells_them() -> None:
    import wordfreq

    from detector.english import zipf_frequency

    # Hyphenated from its pieces, curly apostrophes straightened, a possessive by its stem.
    words = ["state-owned", "don’t", "abramovich’s", "u.s.", "straße", "renaissance-era"]
    for word, zipf in zip(words, zipf_frequency(words), strict=True):
        assert zipf > 0, word
    assert (
        abs(zipf_frequency(["rolls-royce"])[0] - wordfreq.zipf_frequency("rolls-royce", "en"))
        < 0.01
    )
    assert zipf_frequency(["dreanzor’s", "vexa-swap", "dreanzor-labs"]).tolist() == [0, 0, 0]
    doc, cols, _ = _features("Sales rose 12% in 2019 at Dreanzor’s state-owned unit.")
    assert cols["zipf_english"][_at(doc, "2019")] == 0  # numbers are not words English lacks
    assert cols["unseen_in_english"][_at(doc, "state-owned")] == 0
    assert cols["unseen_in_english"][_at(doc, "Dreanzor’s")] == 1


def test_a_name_alone_at_a_paragraph_end_is_a_short_unterminated_sentence() -> None:
    doc, cols, _ = _features(
        "Growth slowed to 0.3% in the quarter, the office said. Quiropay\n\nNext."
    )
    i, j = _at(doc, "Quiropay"), _at(doc, "Growth")
    assert cols["sentence_words"][i] < cols["sentence_words"][j]
    assert cols["sentence_terminated"][i] == 0 and cols["sentence_terminated"][j] == 1


def test_first_pass_judges_new_names_but_not_ordinary_words_or_emoji() -> None:
    doc, cols, candidate = _features(
        "Shares in the club were Vexorium Labs up 5% on Monday 🚀 today."
    )
    for word in ("Vexorium", "Labs"):
        assert candidate[_at(doc, word)], word
    # Emoji are evidence about their neighbours, never a finding alone: tweets are full of them.
    for word in ("Shares", "club", "Monday", "today", "🚀"):
        assert not candidate[_at(doc, word)], word
    assert cols["is_symbol"][_at(doc, "🚀")] == 1
    assert cols["symbol_near"][_at(doc, "Monday")] == 1


def test_first_pass_judges_every_word_of_an_unfinished_fragment_closing_a_paragraph() -> None:
    doc, _, candidate = _features(
        "Growth slowed in the quarter, the office said. payday loans approved in minutes\n\n"
        "The bank said on Monday that its rates would stay on hold for the rest of the year"
    )
    for word in ("payday", "loans", "approved", "minutes"):
        assert candidate[_at(doc, word)], word
    for word in ("slowed", "quarter", "office", "said"):  # a finished sentence
        assert not candidate[_at(doc, word)], word
    for word in ("bank", "rates", "hold", "year"):  # unfinished, but more than a dozen words
        assert not candidate[_at(doc, word)], word
    title = Document("Bank holds rates in a quiet week", field="title")
    judged = doc_features(title, []).candidate  # headlines never end with a stop
    assert not judged[list(title.tokens.words).index("holds") :].any()


def test_a_dollar_sign_inside_a_word_is_a_stylised_word_not_a_ticker() -> None:
    text = "Ke$ha and Johnny Ca$h paid US$5m, steady$VEXA, detected$vexa and $BTC."
    words = list(Document(text).tokens.words)
    assert "Ke$ha" in words and "Ca$h" in words
    assert {"$5m", "$VEXA", "$vexa", "$BTC"} <= set(words)


def test_a_tag_or_handle_is_never_an_amount_but_a_dollar_sum_is() -> None:
    # `#1000x` is a pitch the first pass once took for an amount, like `1000x` or `$5K`.
    doc, _, candidate = _features("Analysts said the gains #1000x were $5K and 1000x in total.")
    assert candidate[_at(doc, "#1000x")]
    assert not candidate[_at(doc, "$5K")] and not candidate[_at(doc, "1000x")]


def test_the_word_after_a_datelines_dash_is_judged() -> None:
    doc, cols, candidate = _features(
        "SEATTLE, Sept 22 (Reuters) - Aqua Labs Angolan families said."
    )
    assert cols["after_dateline_dash"][_at(doc, "Aqua")] == 1 and candidate[_at(doc, "Aqua")]
    assert not candidate[_at(doc, "families")]


def test_tags_before_a_quoted_tweets_link_are_marked_as_the_tweets_own() -> None:
    doc, cols, _ = _features(
        "Prices rose. Happy #ProofOfKeys day, keep your keys. pic.twitter.com/abc123 Analysts "
        "said #BTC fell.\nA new paragraph with #Other https://t.co/xyz"
    )
    ahead = cols["social_link_ahead"]
    assert ahead[_at(doc, "#ProofOfKeys")] == 1 and ahead[_at(doc, "Prices")] == 1
    assert ahead[_at(doc, "#BTC")] == 0  # after the link, before none in its paragraph
    assert ahead[_at(doc, "#Other")] == 1
    far = Document(" ".join(["word"] * 60) + " #Far " + " ".join(["word"] * 50) + " t.co/x1")
    far_cols = doc_features(far, []).dense[:, DENSE_NAMES.index("social_link_ahead")]
    assert far_cols[list(far.tokens.words).index("#Far")] == 0  # over 40 tokens before it


def test_only_the_hosts_of_tweet_pictures_and_short_links_close_a_tweet() -> None:
    doc, cols, _ = _features(
        "Buy at presale-mint.co/claim now. A remark https://pic.twitter.com/ab x"
    )
    ahead = cols["social_link_ahead"]
    assert ahead[_at(doc, "remark")] == 1 and ahead[_at(doc, "https://pic.twitter.com/ab")] == 1
    assert ahead[_at(doc, "x")] == 0
    doc, cols, _ = _features("Buy at presale-mint.co/claim or sport.co/x now.")
    assert not cols["social_link_ahead"].any()
    # A link an insertion was glued into is no tweet's link (the shipped model was trained so).
    doc, cols, _ = _features("It fell. httpsgrandvegas.top/presale://t.co/J4ZTYj The end.")
    assert not cols["social_link_ahead"].any()


def test_token_arrays_cost_each_token_its_own_length() -> None:
    # A fixed-width array is as wide as its longest token in every row: one 3,000-character
    # token among 400,000 once took 11 GB. A lone surrogate (JSON input) still has its place.
    text = "Prices rose. " * 5_000 + "https://example.com/" + "a" * 3_000
    doc = Document(text)
    longest = max(len(word) for word in doc.tokens.words)
    assert longest > 2_500 and doc.word_array.nbytes < 1_000_000
    features = doc_features(doc, RulesDetector().detect(doc))
    assert features.dense.shape == (len(doc.tokens.words), len(DENSE_NAMES))
    lone = Document("Prices rose \ud800 on Monday.")
    assert list(lone.word_array) == ["Prices", "rose", "\ud800", "on", "Monday", "."]
    assert doc_features(lone, []).dense.shape[0] == 6


def test_a_new_name_glued_to_an_everyday_word_is_split_and_an_ordinary_word_is_not() -> None:
    doc, cols, _ = _features(
        "The Mexarahousing market and the marketsTXSwap rally met FumaraWashington, while the "
        "outperforming Tymoshenko, a Zorvathwood native, said so to Zorvathbulls."
    )
    tail, head = cols["split_tail_common"], cols["split_head_common"]
    assert tail[_at(doc, "Mexarahousing")] > 0  # `housing`
    assert tail[_at(doc, "FumaraWashington")] > 0  # `Washington`, after a lowercase letter
    assert head[_at(doc, "marketsTXSwap")] > 0  # `markets`
    # A lowercase word (`outper|forming`), a known one, a name ending in a short word
    # (`Zorvath|wood`) or in a word news has printed under 20 times (`bulls`): none.
    for word in ("outperforming", "Tymoshenko", "Zorvathwood", "Zorvathbulls", "market"):
        assert tail[_at(doc, word)] == 0 and head[_at(doc, word)] == 0
