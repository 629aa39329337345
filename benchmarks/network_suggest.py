"""Evaluation: theme suggestions against invented compiled discussions.

Each file in ``benchmarks/network_suggest/`` is one question of a learning-network round,
written for this project: 40+ passages and quotes from six local networks, grouped under the
sub-headings a compiler would choose, by argument rather than by word choice. Files marked
``"split": "tune"`` were used while choosing the method's settings; ``"held-out"`` files were
not looked at until the settings were fixed.

For every file it runs the product's code (``kretsen.network.suggest.run``, the same function
the command ``python -m kretsen.network.suggest`` and the compile page use) and prints:

- the first suggestion: number of themes against the compiler's, adjusted Rand index (ARI);
- "sort the rest like these" with one and with two example passages per theme (prose, drawn
  with five fixed seeds): accuracy over the remaining passages, share marked sure, and the
  share of wrong proposals among the sure ones;
- the same without the thesaurus (``CONCEPT_WEIGHT = 0``: TF-IDF only), as a baseline;
- the time for one first suggestion.

    .venv/bin/python -m benchmarks.network_suggest
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from kretsen.network import suggest  # noqa: E402

DATA = ROOT / "benchmarks" / "network_suggest"
SEEDS = range(5)


def _payload(data: dict[str, Any], per_theme: int, seed: int) -> tuple[dict[str, Any], set[int]]:
    rng = random.Random(seed)  # noqa: S311
    themes = []
    for theme_index, theme in enumerate(data["themes"]):
        prose = [
            i
            for i, item in enumerate(data["passages"])
            if item["theme"] == theme_index and not item["is_quote"]
        ]
        themes.append({"title": theme["title"], "examples": sorted(rng.sample(prose, per_theme))})
    held = {i for theme in themes for i in theme["examples"]}
    return {"passages": data["passages"], "themes": themes}, held


def evaluate(data: dict[str, Any]) -> dict[str, Any]:
    gold = [item["theme"] for item in data["passages"]]
    started = time.perf_counter()
    first = suggest.run({"passages": data["passages"]}, use_examples=False)
    seconds = time.perf_counter() - started
    figures: dict[str, Any] = {
        "passages": len(gold),
        "themes": len(data["themes"]),
        "proposed": len(set(first.labels)),
        "ari": adjusted_rand_score(gold, first.labels),
        "seconds": seconds,
        "names": first.names,
    }
    for per_theme in (1, 2):
        right = total = sure = sure_wrong = 0
        for seed in SEEDS:
            payload, held = _payload(data, per_theme, seed)
            result = suggest.run(payload, use_examples=True)
            for index, label in enumerate(result.labels):
                if index in held:
                    continue
                total += 1
                right += label == gold[index]
                if result.sure[index]:
                    sure += 1
                    sure_wrong += label != gold[index]
        figures[f"accuracy_{per_theme}"] = right / total
        figures[f"sure_share_{per_theme}"] = sure / total
        figures[f"sure_wrong_{per_theme}"] = sure_wrong / sure if sure else 0.0
    return figures


def table(title: str, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
    print(f"\n{title}")
    print(
        "| question | split | passages | themes: compiler / proposed | ARI | "
        "sort, 1 example: right / sure / wrong among sure | 2 examples: right / sure / wrong |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, split, f in rows:
        print(
            f"| {name} | {split} | {f['passages']} | {f['themes']} / {f['proposed']} | "
            f"{f['ari']:.2f} | {f['accuracy_1']:.0%} / {f['sure_share_1']:.0%} / "
            f"{f['sure_wrong_1']:.0%} | {f['accuracy_2']:.0%} / {f['sure_share_2']:.0%} / "
            f"{f['sure_wrong_2']:.0%} |"
        )
    for split in ("tune", "held-out"):
        chosen = [f for _n, s, f in rows if s == split]
        if chosen:
            print(
                f"| mean, {split} | | | | {statistics.mean(f['ari'] for f in chosen):.2f} | "
                f"{statistics.mean(f['accuracy_1'] for f in chosen):.0%} / "
                f"{statistics.mean(f['sure_share_1'] for f in chosen):.0%} / "
                f"{statistics.mean(f['sure_wrong_1'] for f in chosen):.0%} | "
                f"{statistics.mean(f['accuracy_2'] for f in chosen):.0%} / "
                f"{statistics.mean(f['sure_share_2'] for f in chosen):.0%} / "
                f"{statistics.mean(f['sure_wrong_2'] for f in chosen):.0%} |"
            )


def main() -> int:
    files = sorted(DATA.glob("*.json"))
    loaded = [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in files]
    rows = [(name, data["split"], evaluate(data)) for name, data in loaded]
    table("With the thesaurus (the product's settings)", rows)
    for name, _split, figures in rows:
        print(f"- {name}: {' | '.join(figures['names'])} ({figures['seconds'] * 1000:.0f} ms)")
    weight = suggest.CONCEPT_WEIGHT
    suggest.CONCEPT_WEIGHT = 0.0
    try:
        baseline = [(name, data["split"], evaluate(data)) for name, data in loaded]
    finally:
        suggest.CONCEPT_WEIGHT = weight
    table(
        "Baseline: the same code without the thesaurus (TF-IDF and character n-grams only)",
        baseline,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
