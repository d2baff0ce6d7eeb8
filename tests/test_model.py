"""The trained model: the pipeline trains on a tiny fixture, artifacts are verified before they
load, a bad artifact falls back to the rules, and the shipped model holds its floor."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from detector.errors import ModelError
from detector.model.artifact import CARD_FILE, MODEL_FILE, PINNED, artifact_path, load, save
from detector.model.classifier import TokenClassifier
from detector.scanner import Scanner
from tests.conftest import FOUNDING, fixed_model
from training.train import train

# Short articles written for these tests, in wire style.
FIXTURE = [
    {"id": f"fx-{i}", "title": title, "text": text}
    for i, (title, text) in enumerate(
        [
            (
                "Port strike ends",
                "ROTTERDAM, Netherlands (AP) — Dock workers ended a four-day strike on Tuesday after the port authority agreed to review shift rules.\nShipping companies said delays would ease by the weekend.",
            ),
            (
                "Wheat prices climb",
                "CHICAGO, March 3 (Reuters) - Wheat futures rose for a third session on Monday as dry weather in the southern plains threatened the crop.\nTraders said export demand was also firm.",
            ),
            (
                "Council approves budget",
                "The city council approved a budget of 2.1 billion dollars late on Wednesday after a long debate about library funding.\nThe mayor said the plan protected essential services.",
            ),
            (
                "Rail link delayed",
                "LYON, France (AFP) - The opening of a new rail tunnel under the Alps has been pushed back by two years, the operator said on Friday.\nCost overruns and geological problems were blamed.",
            ),
            (
                "Central bank holds rates",
                "OTTAWA (Reuters) - The central bank left its key interest rate unchanged on Wednesday, saying inflation was slowing as expected.\nEconomists had forecast the decision.",
            ),
            (
                "Museum reopens",
                "FLORENCE, Italy (AP) — A museum damaged by floods reopened to visitors on Sunday after two years of restoration work.\nCurators said most of the collection had been saved.",
            ),
        ]
        * 6
    )
]
COINS = [("Zentrix Token", "ZTX"), ("Quorvex", "QVX"), ("Mirabit", "MRB")]


def _train_tiny(members: int) -> tuple[object, dict]:  # type: ignore[type-arg]
    return train(
        source_articles=FIXTURE,
        fixture_coins=COINS,
        classifier=TokenClassifier(max_iter=30, calibration_share=0.3, random_state=0),
        seed=3,
        members=members,
    )


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model, card = _train_tiny(members=1)
    out = tmp_path_factory.mktemp("model")
    save(model, out, card)
    return out


def test_tiny_model_trains_saves_and_scans(tiny_model: Path) -> None:
    card = json.loads((tiny_model / CARD_FILE).read_text())
    assert card["training"]["total_positive_tokens"] > 0 and card["sha256"]
    scanner = Scanner(model=tiny_model)
    assert scanner.model_status.startswith("model ")
    report = scanner.scan_text("PARIS (AFP) - Buy $ZTX at https://zentrix-presale.io/claim now.")
    assert all(0.0 <= f.score <= 1.0 for f in report.findings)


def test_members_train_on_their_own_seeds_and_average_their_probabilities() -> None:
    from detector.detectors import RulesDetector
    from detector.document import Document
    from detector.model.classifier import TokenEnsemble
    from detector.model.features import doc_features

    model, card = _train_tiny(members=2)
    assert isinstance(model, TokenEnsemble) and len(model.members) == 2
    assert [m.random_state for m in model.members] == [3, 4]
    assert [m["seed"] for m in card["training"]["members"]] == [3, 4]
    assert card["training"]["total_positive_tokens"] == sum(
        m["positive_tokens"] for m in card["training"]["members"]
    )
    doc = Document("PARIS (AFP) - Buy $ZTX at https://zentrix-presale.io/claim now, said Quorvex.")
    features = doc_features(doc, RulesDetector().detect(doc))
    each = [m.predict_doc(features) for m in model.members]
    assert not np.allclose(each[0], each[1])  # other insertions, another model
    assert np.allclose(model.predict_doc(features), (each[0] + each[1]) / 2)
    with pytest.raises(ValueError, match="members"):
        train(source_articles=FIXTURE, fixture_coins=COINS, members=0)


def test_corrupted_model_is_refused_and_scan_falls_back(tiny_model: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / CARD_FILE).write_text((tiny_model / CARD_FILE).read_text())
    data = bytearray((tiny_model / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (broken / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="hash"):
        load(broken)
    with pytest.raises(ModelError):
        Scanner(model=broken)


@pytest.mark.parametrize("library", ["scikit-learn", "wordfreq"])
def test_card_with_other_library_versions_is_refused(
    tiny_model: Path, tmp_path: Path, library: str
) -> None:
    # wordfreq is no pickle, but the features read its word frequencies.
    other = tmp_path / "other"
    other.mkdir()
    (other / MODEL_FILE).write_bytes((tiny_model / MODEL_FILE).read_bytes())
    card = json.loads((tiny_model / CARD_FILE).read_text())
    card["libraries"][library] = "0.1.0"
    (other / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match=library):
        load(other)


@pytest.mark.parametrize("library", PINNED)
def test_the_install_pins_each_library_to_the_minor_version_the_shipped_model_needs(
    library: str,
) -> None:
    # A fresh `pip install .` must get versions the shipped model loads under, and no other.
    import tomllib

    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    requirements = {r.name: r for r in map(Requirement, project["project"]["dependencies"])}
    card = json.loads(artifact_path(CARD_FILE).read_text(encoding="utf-8"))
    built = Version(card["libraries"][library])
    allowed = requirements[library].specifier
    major, minor = built.release[0], built.release[1]
    assert allowed.contains(built)
    assert allowed.contains(f"{major}.{minor}.99")
    assert not allowed.contains(f"{major}.{minor + 1}.0")
    if minor:
        assert not allowed.contains(f"{major}.{minor - 1}.99")


def test_a_missing_or_broken_wordfreq_falls_back_to_the_rules_with_a_reason(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import metadata

    from detector import english
    from detector.model import artifact

    def no_word_list() -> None:
        raise FileNotFoundError("large_en.msgpack.gz")

    monkeypatch.setattr(english, "_table", no_word_list)  # installed, its data gone
    scanner = Scanner(model="auto")
    assert scanner.model_status.startswith("unavailable: cannot read wordfreq's English word list")
    assert scanner.scan_text("THE HAGUE,LibertyCoin Netherlands (AP) — The court said.").flagged
    with pytest.raises(ModelError, match="word list"):
        load(tiny_model)

    real_version = metadata.version

    def version(name: str) -> str:
        if name == "wordfreq":
            raise metadata.PackageNotFoundError(name)
        return real_version(name)

    monkeypatch.setattr(metadata, "version", version)  # not installed at all
    assert artifact.library_versions()["wordfreq"] == "not installed"
    with pytest.raises(ModelError, match="wordfreq 3.*this environment has not installed it"):
        load(tiny_model)


def test_missing_model_falls_back_with_a_reason(tmp_path: Path) -> None:
    from detector.scanner import _choose_detectors

    with pytest.raises(ModelError, match="no model file"):
        _choose_detectors(tmp_path)
    assert Scanner(model="rules").model_status == "rules-only"


def test_a_card_that_is_not_an_object_is_refused(tiny_model: Path, tmp_path: Path) -> None:
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(tiny_model, bad)
    (bad / CARD_FILE).write_text("[]", encoding="utf-8")
    with pytest.raises(ModelError, match="not a JSON object"):
        load(bad)
    card = json.loads((tiny_model / CARD_FILE).read_text(encoding="utf-8"))
    (bad / CARD_FILE).write_text(json.dumps({**card, "libraries": []}), encoding="utf-8")
    with pytest.raises(ModelError, match="model built with"):
        load(bad)


shipped = pytest.mark.skipif(
    not artifact_path(MODEL_FILE).is_file(), reason="no shipped model in artifacts/"
)


@shipped
def test_shipped_model_loads_and_verifies() -> None:
    loaded = load()
    assert loaded.card["evaluation"]["spans"]["f1"] > 0
    assert loaded.card["evaluation_shifted"]["development_set"]["shifted"]
    assert Scanner().model_status.startswith("model ")
    # The card's figures were measured with the corroboration a scan uses.
    (model,) = Scanner().detectors
    for key in ("evaluation", "evaluation_shifted"):
        assert loaded.card[key]["corroboration"] == model.corroboration  # type: ignore[attr-defined]


@shipped
def test_founding_document_with_the_model() -> None:
    report = Scanner(model="require").scan_text(FOUNDING.read_text(encoding="utf-8"))
    injections = [(f.text, f.start, f.end) for f in report.findings if f.kind == "injection"]
    assert report.flagged and injections == [("LibertyCoin", 10, 21)]


@shipped
def test_shipped_model_meets_its_floor_on_a_development_sample(data_dir: Path) -> None:
    from training.pipeline import evaluation_report

    report = evaluation_report(Scanner(model="require"), data_dir=data_dir, limit=150)
    # Floors well under the measured figures (README): a regression trips them, noise does not.
    assert report["spans"]["f1"] >= 0.6
    assert report["false_alarms"]["clean:bbc"]["rate"] <= 0.05


@pytest.fixture
def corrupted_shipped_model(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped model's place holds a card and a file that does not match it."""
    import detector.artifacts
    import detector.model.artifact

    broken = tmp_path / "shipped"
    broken.mkdir()
    (broken / CARD_FILE).write_text((tiny_model / CARD_FILE).read_text())
    (broken / MODEL_FILE).write_bytes(b"not a model")
    for module in (detector.artifacts, detector.model.artifact):
        monkeypatch.setattr(module, "artifact_path", lambda name: broken / name)


@pytest.mark.usefixtures("corrupted_shipped_model")
def test_auto_mode_falls_back_to_rules_on_a_corrupted_shipped_model() -> None:
    scanner = Scanner()
    assert scanner.model_status.startswith("unavailable:") and "hash" in scanner.model_status
    report = scanner.scan_text("THE HAGUE,LibertyCoin Netherlands (AP) — The court said.")
    assert report.flagged


def test_predicting_many_documents_at_once_gives_each_its_own_probabilities() -> None:
    from detector.detectors import RulesDetector
    from detector.document import Document
    from detector.model.features import doc_features

    classifier = load().classifier
    texts = [
        FOUNDING.read_text(encoding="utf-8"),
        "Buy $LBC now.",
        "",
        *(d["text"] for d in FIXTURE),
    ]
    features = []
    for text in texts:
        doc = Document(text)
        features.append(doc_features(doc, RulesDetector().detect(doc)))
    together = classifier.predict_docs(features)
    alone = [classifier.predict_doc(f) for f in features]
    assert [p.tolist() for p in together] == [p.tolist() for p in alone]
    assert max(together[0]) >= 0.5  # LibertyCoin


def test_more_evidence_never_lowers_a_probability(tiny_model: Path) -> None:
    from dataclasses import replace

    from detector.detectors import RulesDetector
    from detector.document import Document
    from detector.model.features import DENSE_NAMES, MONOTONE, doc_features

    classifier = load(tiny_model).classifier
    doc = Document("PARIS (AFP) - Buy $ZTX at https://zentrix-presale.io/claim now, Quorvex said.")
    features = doc_features(doc, RulesDetector().detect(doc))
    before = classifier.predict_docs([features])[0]
    for name, direction in MONOTONE.items():
        dense = features.dense.copy()
        dense[:, DENSE_NAMES.index(name)] += direction * 2.0  # more of the evidence
        after = classifier.predict_docs([replace(features, dense=dense)])[0]
        assert (after >= before - 1e-9).all(), name


@pytest.mark.parametrize(
    ("text", "probs", "span"),
    [
        # A weak neighbour joins a strong token of its own name...
        ("likely to Lyra Labs rise", {"Lyra": 0.9, "Labs": 0.4}, "Lyra Labs"),
        # ...but not when its name holds an ordinary word: `BMW X5` stays out of `$VC`.
        ("such as the BMW X5 $VCand its sibling", {"X5": 0.4, "$VCand": 0.9}, "$VCand"),
        # Lowercase words of a phrase are not names: they join as before.
        (
            "Claim your free spins today",
            {"Claim": 0.9, "your": 0.4, "free": 0.6},
            "Claim your free",
        ),
        # Up to two lowercase words between two likely tokens go with them: one pitch, one span.
        (
            "Join the MoonInu presale now at mooninu-presale.io before it ends",
            {"Join": 0.9, "the": 0.4, "MoonInu": 0.9, "presale": 0.8, "mooninu-presale.io": 0.9},
            "Join the MoonInu presale now at mooninu-presale.io",
        ),
    ],
)
def test_spans_take_a_name_whole_and_a_pitch_as_one(text: str, probs: dict, span: str) -> None:
    from detector.document import Document
    from detector.model.runtime import ModelDetector

    doc = Document(text)
    p = np.array([probs.get(w, 0.0) for w in doc.tokens.words])
    ((first, last),) = ModelDetector(classifier=None).spans(doc, p)
    assert text[int(doc.tokens.starts[first]) : int(doc.tokens.ends[last])] == span


def test_spans_do_not_bridge_words_to_a_token_under_even_odds() -> None:
    from detector.document import Document
    from detector.model.runtime import ModelDetector

    text = "shares of Vexoria rose on Monday"
    doc = Document(text)
    probs = {"Vexoria": 0.9, "Monday": 0.4}
    p = np.array([probs.get(w, 0.0) for w in doc.tokens.words])
    spans = ModelDetector(classifier=None).spans(doc, p)
    found = [text[int(doc.tokens.starts[a]) : int(doc.tokens.ends[b])] for a, b in spans]
    assert found == ["Vexoria", "Monday"]


def _corroborated(text: str, probs: dict[str, float], factor: float = 10, outside: float = 0.0):
    """The spans of `text` as `(words, score)` when the model gives each word its `probs`."""
    from detector.document import Document
    from detector.model.runtime import ModelDetector

    doc = Document(text)
    p = np.array([probs.get(w, 0.0) for w in doc.tokens.words])
    detector = ModelDetector(classifier=None, corroboration=factor)
    spans = detector.corroborate(doc, p, detector.spans(doc, p), outside)
    starts, ends = doc.tokens.starts, doc.tokens.ends
    return [(text[int(starts[a]) : int(ends[b])], pytest.approx(s)) for a, b, s in spans]


def _raised(p: float, factor: float = 10) -> float:
    return p / (1 - p) * factor / (1 + p / (1 - p) * factor)


def test_a_suspect_span_corroborates_the_others_of_its_article_but_never_outscores_them() -> None:
    text = "Shares of Vexoria rose sharply in early trade on Monday, said Kraxa Token analyst Tom Hill."
    probs = {"Vexoria": 0.9, "Kraxa": 0.1, "Token": 0.08, "Monday": 0.01}
    # Odds x 10: `Kraxa Token` (0.1 -> 0.53) becomes a span; `Monday` (0.01 -> 0.09) stays
    # under the 0.35 floor; the suspect span is unmoved and words never judged stay out.
    assert _corroborated(text, probs) == [("Vexoria", 0.9), ("Kraxa Token", _raised(0.1))]
    # Never beyond the score of the span elsewhere that corroborates it; of two spans, each
    # corroborates the other.
    assert _corroborated(text, {**probs, "Vexoria": 0.5}) == [
        ("Vexoria", 0.5), ("Kraxa Token", 0.5)
    ]  # fmt: skip
    two = {"Vexoria": 0.4, "Kraxa": 0.9}
    assert _corroborated(text, two) == [("Vexoria", _raised(0.4)), ("Kraxa", 0.9)]
    assert _corroborated(text, {**two, "Vexoria": 0.36}) == [
        ("Vexoria", _raised(0.36)),
        ("Kraxa", 0.9),
    ]
    # The other field's best span corroborates too (the title's, for the text).
    assert _corroborated(text, {"Kraxa": 0.1}, outside=0.8) == [("Kraxa", _raised(0.1))]
    # Nothing corroborates a text's only suspect span.
    assert _corroborated(text, {"Vexoria": 0.9, "rose": 0.2}) == [("Vexoria", 0.9)]
    # Off at 1.
    assert _corroborated(text, probs, factor=1) == [("Vexoria", 0.9)]


def test_corroboration_never_stretches_a_span_over_ordinary_words() -> None:
    # A span keeps its shape: the weak `kraxa`, raised over 0.5, does not bridge `now at` to
    # `Vexoria` (as two tokens at even odds would).
    text = "Traders sold kraxa now at Vexoria today, said Tom Hill of the Lyra Bank in London."
    assert _corroborated(text, {"kraxa": 0.4, "Vexoria": 0.9}) == [
        ("kraxa", _raised(0.4)), ("Vexoria", 0.9)
    ]  # fmt: skip
    # A token within three of a span is not raised into a span of its own, nor into that one
    # (`today`, `said`); one further away is (`Lyra`).
    probs = {"Vexoria": 0.9, "today": 0.2, "said": 0.2, "Lyra": 0.2}
    assert _corroborated(text, probs) == [("Vexoria", 0.9), ("Lyra", _raised(0.2))]


def test_the_card_records_development_and_shifted_figures_with_their_commands(
    tmp_path: Path,
) -> None:
    from training.pipeline import record_evaluation

    card_path = tmp_path / CARD_FILE
    card_path.write_text(json.dumps({"name": "tiny"}))
    figures = {
        "threshold": 0.5, "spans": {"f1": 0.5}, "false_alarms": {}, "recall_by_evasion": {},
        "recall_by_payload": {}, "recall_by_position": {}, "corroboration": 10.0,
    }  # fmt: skip
    for shifted, seed in ((False, 101), (True, 202)):
        dev = {"corpora": ["bbc", "crypto"], "seed": seed, "limit": None, "shifted": shifted}
        record_evaluation(card_path, {**figures, "development_set": dev})
    card = json.loads(card_path.read_text())
    assert card["name"] == "tiny"
    assert card["evaluation"]["command"] == f"detector evaluate --model {tmp_path}"
    assert card["evaluation"]["corroboration"] == 10.0
    assert card["evaluation_shifted"]["command"] == (
        f"detector evaluate --model {tmp_path} --shifted --seed 202"
    )


def _scan(title: str, text: str, probs: dict[str, float]) -> dict[str, list]:
    """The findings of an article, per field, with `probs` for the model and no rules."""
    report = Scanner(detectors=[fixed_model(probs)]).scan_text(text, title)
    found: dict[str, list] = {"title": [], "text": []}
    for f in report.findings:
        found[f.field].append((f.text, pytest.approx(f.score), f.extra["model_probability"]))
    return found


def test_a_suspect_span_in_the_text_corroborates_the_title_and_back() -> None:
    from detector.document import article_documents

    title, text = "Zorvex rally lifts markets", "Shares of Vexoria rose on Monday."
    # Odds x 10: 0.2 -> 0.71, flagged in the title; its model probability is still its own.
    assert _scan(title, text, {"Vexoria": 0.9, "Zorvex": 0.2}) == {
        "title": [("Zorvex", 2.5 / 3.5, 0.2)], "text": [("Vexoria", 0.9, 0.9)]
    }  # fmt: skip
    assert _scan(title, text, {"Vexoria": 0.2, "Zorvex": 0.9}) == {
        "title": [("Zorvex", 0.9, 0.9)], "text": [("Vexoria", 2.5 / 3.5, 0.2)]
    }  # fmt: skip
    # What corroborates is a span: `Eon` (0.45) of `Eon Labs` is no span while `Labs` is under
    # the floor, so it raises nothing.
    assert _scan("Eon Labs shares rise", text, {"Eon": 0.45, "Labs": 0.1, "Vexoria": 0.1}) == {
        "title": [], "text": []
    }  # fmt: skip
    # A field detected alone is detected with its other field, as in a scan.
    detector = fixed_model({"Vexoria": 0.9, "Zorvex": 0.2}, rules=True)
    docs = article_documents({"title": title, "text": text})
    assert [f.text for f in detector.detect(docs[0]) if f.kind == "injection"] == ["Zorvex"]
    (alone,) = detector.detect_prepared([detector.prepare(docs[0])])
    assert [f for f in alone if f.kind == "injection"] == []


def test_a_model_span_grows_over_the_rule_hits_it_overlaps_but_not_their_edge_punctuation() -> None:
    from detector.document import Document
    from detector.findings import Finding
    from detector.model.runtime import _cover

    detector = fixed_model({"moon": 0.9}, rules=True)
    doc = Document("Stocks rose. 🚀🚀 SafeMoon to the moon 🚀🚀 Bonds fell.")
    found = [f for f in detector.detect(doc) if f.kind == "injection"]
    assert [(f.text, f.rules) for f in found] == [("to the moon", ("model", "promo-phrase"))]
    text = "It said.Vexa Coin, then"
    hit = Finding(kind="injection", start=7, end=18, score=0.9, rules=("r",), reason="r", text="")
    assert text[slice(*_cover(text, 8, 12, [hit]))] == "Vexa Coin"
    assert _cover(text, 8, 12, []) == (8, 12)


@pytest.mark.usefixtures("corrupted_shipped_model")
def test_the_cli_says_on_stderr_when_the_model_is_unavailable(tmp_path: Path) -> None:
    # A fresh install under other library versions must not quietly become a rules-only gate.
    from typer.testing import CliRunner

    from detector.cli import app

    site = tmp_path / "site"
    site.mkdir()
    (site / "page.md").write_text("THE HAGUE,LibertyCoin Netherlands (AP) — The court said.\n")
    runner = CliRunner()
    warning = "warning: the model is unavailable (model file hash"
    for args in (["scan", str(site / "page.md")], ["check", str(site)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert warning in result.stderr
    required = runner.invoke(app, ["check", str(site), "--require-model"])
    assert required.exit_code == 2 and "hash" in required.stderr
    chosen = runner.invoke(app, ["check", str(site), "--rules-only"])
    assert chosen.exit_code == 1 and "warning" not in chosen.stderr
