"""The training pipeline: clean training news (Reuters-21578, AG News) with synthetic insertions
from `training.generate`, token features and labels, the fitted classifier, and its card."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import clone

from detector.detectors import RulesDetector
from detector.document import article_documents, article_fields
from detector.english import TERMS as ENGLISH_TERMS
from detector.model.classifier import TokenClassifier, TokenEnsemble
from detector.model.features import DocFeatures, doc_features
from training.augment import RANKED_SHARE, with_crypto_stories, with_modern_embeds
from training.generate import (
    GeneratorConfig,
    Sample,
    coin_names,
    generate,
    load_articles,
    ranked_coin_names,
)

TRAIN_CORPORA = ("reuters", "agnews")
# Classifiers the model averages, member k trained on insertions generated from seed + k.
MEMBERS = 3
EVAL_CORPORA = ("bbc", "crypto")
TERMS = {
    "reuters": "Reuters-21578 Distribution 1.0: research use only",
    "agnews": "AG News: research / non-commercial use",
    "bbc": "BBC News (Greene & Cunningham 2006): copyright BBC, research use",
    "crypto": "crypto news full text: publishers' copyright, research use",
    "coingecko": "CoinGecko coin lists: Data provided by CoinGecko",
}

Progress = Callable[[str, int, int | None], None]


def _silent(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True)
class Labeled:
    features: DocFeatures
    labels: np.ndarray


def label_fields(
    sample: Sample, rules: RulesDetector, *, leave_out: bool = True
) -> Iterator[Labeled]:
    """Featurise each field of a sample and label each token 1 when it overlaps an insertion."""
    for doc in article_documents(article_fields(sample.text, sample.title)):
        name = doc.field
        features = doc_features(doc, rules.detect(doc), leave_out=leave_out)
        starts, ends = doc.norm.spans_to_original(doc.tokens.starts, doc.tokens.ends)
        labels = np.zeros(len(doc.tokens), dtype=np.int8)
        for ins in sample.insertions:
            if ins.field == name:
                labels[(starts < ins.end) & (ends > ins.start)] = 1
        yield Labeled(features, labels)


def corpus_hash(data_dir: Path | None, corpora: Sequence[str]) -> dict[str, str]:
    """SHA-256 of each corpus file the model saw, for the card."""
    from training.generate import corpus_path

    out = {}
    for name in corpora:
        path = corpus_path(name, data_dir)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
        out[name] = digest
    return out


def articles(
    corpora: Iterable[str], data_dir: Path | None, limit: int | None, seed: int
) -> list[dict]:
    """Up to `limit` articles from `corpora`, shuffled deterministically and interleaved."""
    rng = np.random.default_rng(seed)
    pools = [list(load_articles(c, data_dir)) for c in corpora]
    for pool in pools:
        order = rng.permutation(len(pool))
        pool[:] = [pool[i] for i in order]
    mixed = [a for group in zip(*pools, strict=False) for a in group]
    longest = max(pools, key=len)
    mixed += longest[len(min(pools, key=len)) :]
    return mixed[:limit] if limit else mixed


def train(
    *,
    data_dir: Path | None = None,
    corpora: Sequence[str] = TRAIN_CORPORA,
    limit: int | None = 12_000,
    seed: int = 13,
    members: int = MEMBERS,
    crypto_share: float = 0.6,
    embed_share: float = 0.35,
    config: GeneratorConfig | None = None,
    classifier: TokenClassifier | None = None,
    progress: Progress = _silent,
    source_articles: Sequence[dict] | None = None,
    fixture_coins: Sequence[tuple[str, str]] = (),
) -> tuple[TokenClassifier | TokenEnsemble, dict[str, Any]]:
    """Generate, featurise and fit. Returns the classifier and the training part of its card.

    `members` classifiers are fitted, member k on the same articles with insertions, crypto
    rewrites and embeds generated from seed `seed + k` (the generator's from `config.seed + k`)
    and with `random_state` `seed + k`; more than one is returned as a `TokenEnsemble`.
    `classifier` is the template of every member (its `random_state` is replaced).
    `source_articles` (with `fixture_coins`) replaces the corpora, for tests on small fixtures.
    """
    if members < 1:
        raise ValueError(f"members must be at least 1, got {members}")
    started = time.perf_counter()
    config = config or GeneratorConfig(seed=seed)
    source = (
        list(source_articles)
        if source_articles is not None
        else articles(corpora, data_dir, limit, seed)
    )
    coins = coin_names(data_dir) if source_articles is None else list(fixture_coins)
    ranked = ranked_coin_names(data_dir) if source_articles is None else []
    rules = RulesDetector()
    fitted: list[TokenClassifier] = []
    sizes: list[dict[str, int]] = []
    for k in range(members):
        member_seed = seed + k
        stories = list(
            with_modern_embeds(
                with_crypto_stories(source, crypto_share, member_seed, coins, ranked),
                embed_share,
                member_seed,
            )
        )
        stage = "featurise" if members == 1 else f"featurise {k + 1}/{members}"
        docs: list[DocFeatures] = []
        labels: list[np.ndarray] = []
        member_config = replace(config, seed=config.seed + k)
        for i, sample in enumerate(generate(stories, member_config, coins=coins)):
            for item in label_fields(sample, rules):
                docs.append(item.features)
                labels.append(item.labels)
            progress(stage, i + 1, len(source))
        progress("fit" if members == 1 else f"fit {k + 1}/{members}", 0, None)
        model = clone(classifier or TokenClassifier()).set_params(random_state=member_seed)
        fitted.append(model.fit(docs, labels))
        sizes.append(
            {
                "seed": member_seed,
                "generator_seed": member_config.seed,
                "random_state": member_seed,
                "crypto_stories": sum(a["id"].endswith("#crypto") for a in stories),
                "fields": len(docs),
                "tokens": int(sum(len(y) for y in labels)),
                "positive_tokens": int(sum(int(y.sum()) for y in labels)),
            }
        )
    card = {
        "training": {
            "corpora": {c: TERMS[c] for c in corpora}
            if source_articles is None
            else {"fixture": "test"},
            "lexicon": TERMS["coingecko"],
            "english_frequencies": ENGLISH_TERMS,
            "data_sha256": corpus_hash(data_dir, corpora) if source_articles is None else {},
            "articles": len(source),
            "seed": seed,
            "members": sizes,
            **{f"total_{key}": sum(size[key] for size in sizes) for key in _TOTALS},
            "generator": _config_dict(config),
            "augment": {
                "crypto_share": crypto_share,
                "crypto_coins_ranked_share": RANKED_SHARE if ranked else 0.0,
                "ranked_coins": len(ranked),
                "embed_share": embed_share,
            },
            "seconds": round(time.perf_counter() - started, 1),
        },
        "classifier": {**fitted[0].get_params(), "random_state": "seed of each member"},
    }
    return (fitted[0] if members == 1 else TokenEnsemble(fitted)), card


_TOTALS = ("fields", "tokens", "positive_tokens")  # summed over the members in the card


def _config_dict(config: GeneratorConfig) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()}
