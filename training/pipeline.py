"""What `detector train` and `detector evaluate` run: train, save with a card, score on the
development set, and write the report files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from detector.artifacts import artifact_path
from detector.model.artifact import CARD_FILE, save
from detector.scanner import Scanner
from training.evaluate import development_set, evaluate_scanner
from training.report import pr_curve_svg
from training.train import MEMBERS, Progress, _silent, train

DEV_SEED = 101
SHIFTED_SEED = 202


def shifted_config(seed: int):  # type: ignore[no-untyped-def]
    """A generator set away from the defaults everything was tuned on: other seed, payloads
    leaning to real coins and phrases, including spam of families training never saw
    (`other_spam`), positions to mid-sentence and paragraph ends, twice the evasion, always two
    or three insertions."""
    from training.generate import GeneratorConfig

    return GeneratorConfig(
        seed=seed,
        clean_rate=0.2,
        insertions=(2, 3),
        evasion_rate=0.6,
        payload_mix={"invented_coin": 0.15, "real_coin": 0.3, "ticker": 0.05, "hashtag": 0.05,
                     "url": 0.1, "handle": 0.05, "promo_phrase": 0.2, "other_spam": 0.15},
        position_mix={"mid_sentence": 0.3, "paragraph_end": 0.2, "article_end": 0.15, "lede": 0.1,
                      "glued_word": 0.1, "headline": 0.05, "dateline_comma": 0.05,
                      "dateline_after_dash": 0.05},
    )  # fmt: skip


def evaluation_report(
    scanner: Scanner,
    *,
    data_dir: Path | None = None,
    seed: int = DEV_SEED,
    limit: int | None = None,
    threshold: float = 0.5,
    shifted: bool = False,
    progress: Progress = _silent,
) -> dict[str, Any]:
    """The scoring report of `scanner` on the development set (BBC and crypto news); `shifted`
    uses `shifted_config` instead of the generator defaults."""
    config = shifted_config(seed) if shifted else None
    injected, clean = development_set(data_dir, seed=seed, limit=limit, config=config)
    total = len(injected) + len(clean)
    done = 0

    def counted(items, tick):  # type: ignore[no-untyped-def]
        nonlocal done
        for item in items:
            yield item
            done += 1
            if done % 25 == 0 or done == total:
                tick("evaluate", done, total)

    evaluation = evaluate_scanner(scanner, counted(injected, progress), counted(clean, progress))
    report = evaluation.report(threshold, scanner.model_status)
    # The runtime setting the figures depend on besides the model file (1: off; None: no model).
    report["corroboration"] = scanner.corroboration
    report["development_set"] = {
        "corpora": ["bbc", "crypto"], "seed": seed, "limit": limit, "shifted": shifted,
    }  # fmt: skip
    return report


def evaluate_and_save(
    scanner: Scanner, *, output: Path, curve: Path, **kwargs: Any
) -> dict[str, Any]:
    report = evaluation_report(scanner, **kwargs)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    points = [(row["threshold"], row["precision"], row["recall"]) for row in report["sweep"]]
    curve.parent.mkdir(parents=True, exist_ok=True)
    curve.write_text(
        pr_curve_svg(points, f"precision-recall ({report['model']})"), encoding="utf-8"
    )
    return report


def train_and_save(
    output: Path,
    *,
    corpora: tuple[str, ...],
    data_dir: Path | None,
    limit: int | None,
    seed: int,
    members: int = MEMBERS,
    evaluate: bool = True,
    progress: Progress = _silent,
) -> Path:
    """Train, save the model and its card, and (by default) record development figures in it."""
    model, card = train(
        data_dir=data_dir,
        corpora=corpora,
        limit=limit,
        seed=seed,
        members=members,
        progress=progress,
    )
    card_path = save(model, output, card)
    if evaluate:
        scanner = Scanner(model=output)
        for shifted, seed in ((False, DEV_SEED), (True, SHIFTED_SEED)):
            report = evaluation_report(
                scanner, data_dir=data_dir, seed=seed, shifted=shifted, progress=progress
            )
            record_evaluation(card_path, report)
    return card_path


def record_evaluation(card_path: Path, report: dict[str, Any]) -> None:
    """Put the headline figures of a development report into the model card: `evaluation`, or
    `evaluation_shifted` for the shifted generator."""
    card = json.loads(card_path.read_text(encoding="utf-8"))
    dev = report["development_set"]
    command = "detector evaluate"
    if card_path.parent.resolve() != artifact_path(CARD_FILE).parent.resolve():
        command += f" --model {card_path.parent}"
    if dev["shifted"]:
        command += f" --shifted --seed {dev['seed']}"
    card["evaluation_shifted" if dev["shifted"] else "evaluation"] = {
        "development_set": dev,
        "threshold": report["threshold"],
        "corroboration": report.get("corroboration"),
        "spans": report["spans"],
        "false_alarms": report["false_alarms"],
        "recall_by_evasion": report["recall_by_evasion"],
        "recall_by_payload": report["recall_by_payload"],
        "recall_by_position": report["recall_by_position"],
        "command": command,
    }
    card_path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


__all__ = ["CARD_FILE", "evaluate_and_save", "evaluation_report", "train_and_save"]
