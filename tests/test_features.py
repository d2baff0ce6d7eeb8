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
