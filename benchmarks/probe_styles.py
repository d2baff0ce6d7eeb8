"""Recall by insertion style on a probe the generator never wrote, and false alarms on its clean
articles.

    python benchmarks/probe_styles.py               # the shipped model
    python benchmarks/probe_styles.py --rules-only
    python benchmarks/probe_styles.py --model my-model/

`benchmarks/probe/articles.jsonl` holds 60 short news articles written for this project by a
helper session (original text, fictional details): 25 clean, 5 of them crypto-market stories
that name coins legitimately, and 35 with 68 insertions in 20 styles, most of which
`training/generate.py` never produces (whole promotional sentences, company-like invented
brands, fake endorsement quotes, phone numbers, affiliate links, coupon codes, a fake
"Related:" line...), plus the generator's own styles as a control. `ground_truth.jsonl` gives
each insertion's article, field, style, text and offsets. A few examples per style: read the
figures as directions, not rates. The rules were changed after reading the probe's misses, so
it is a development set now, not a held-out one.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from detector.readers import iter_records
from detector.scanner import Scanner

HERE = Path(__file__).parent / "probe"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules-only", action="store_true", help="the rules without the model")
    parser.add_argument("--model", help="a model folder (default: the shipped model)")
    args = parser.parse_args()
    scanner = Scanner(model="rules" if args.rules_only else args.model or "require")
    reports = {r.id: r for r in scanner.scan_records(iter_records(str(HERE / "articles.jsonl")))}
    truth = [json.loads(line) for line in (HERE / "ground_truth.jsonl").open(encoding="utf-8")]
    injected = {t["id"] for t in truth}

    def strong(doc: str) -> list:  # type: ignore[type-arg]
        return [
            f
            for f in reports[doc].findings
            if f.kind == "injection" and f.score >= scanner.threshold
        ]

    def hits(t: dict) -> bool:  # type: ignore[type-arg]
        return any(f.field == t["field"] and f.start < t["end"] and t["start"] < f.end
                   for f in strong(t["id"]))  # fmt: skip

    styles: Counter[str] = Counter(t["style"] for t in truth)
    found: Counter[str] = Counter(t["style"] for t in truth if hits(t))
    print(f"model: {scanner.model_status}")
    print("| style | found |\n|---|---|")
    for style in sorted(styles, key=lambda s: (found[s] / styles[s], s)):
        print(f"| {style} | {found[style]}/{styles[style]} |")
    print(f"| all | {sum(found.values())}/{len(truth)} |")
    clean = [doc for doc in reports if doc not in injected]
    for doc in clean:
        for f in strong(doc):
            print(f"false alarm in clean {doc}: {f.text!r} ({f.score:.2f})")
    for doc in sorted(injected):
        ours = [t for t in truth if t["id"] == doc]
        for f in strong(doc):
            if not any(f.field == t["field"] and f.start < t["end"] and t["start"] < f.end
                       for t in ours):  # fmt: skip
                print(f"false alarm in injected {doc}: {f.text!r} ({f.score:.2f})")
    flagged = sum(reports[doc].flagged for doc in clean)
    print(f"clean articles flagged: {flagged}/{len(clean)}")


if __name__ == "__main__":
    main()
