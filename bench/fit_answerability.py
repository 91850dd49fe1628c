"""Fit the answerability weights (``bot.coach.answerability``) on the tuning split only.

Reads the per-item signals a quality run stored (``bench/results/quality.json``, from
``bench/quality_bench.py --split tune`` or ``both``), keeps the course questions of the tune
split that reached the answerer, and fits a logistic regression of "answerable, and the answer
cites the right chapter or lab" on the signals. Prints the weights to copy into
``bot/coach/answerability.py`` and the threshold sweep the fitted model gives on the tune split.

    .venv/bin/python bench/fit_answerability.py [--results bench/results/quality.json]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

FEATURES = (
    "similarity",
    "sentence_similarity",
    "course_coverage",
    "passage_coverage",
    "unknown_term",
)
COURSE_LABELS = ("answerable", "uncovered", "off_topic")


def load(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the tune split's course questions."""
    items = json.loads(path.read_text())["items"]
    rows, labels = [], []
    for item in items:
        if item["split"] != "tune" or item["label"] not in COURSE_LABELS or not item["signals"]:
            continue
        rows.append([item["signals"].get(name, 0.0) for name in FEATURES])
        labels.append(1.0 if item["label"] == "answerable" and item["right_place"] else 0.0)
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = 0.01, steps: int = 200000) -> np.ndarray:
    """Logistic regression by gradient descent; returns [bias, *weights]."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        grad = design.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]]
        w -= 1.0 * grad
    return w


def main() -> None:
    """Fit and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("bench/results/quality.json"))
    args = parser.parse_args()
    x, y = load(args.results)
    w = fit(x, y)
    print(f"{len(y)} tune items, {int(y.sum())} answerable and cited right")
    print(f"BIAS = {w[0]:.2f}")
    for name, value in zip(FEATURES, w[1:], strict=True):
        print(f"W_{name.upper()} = {value:.2f}")
    p = 1.0 / (1.0 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w)))
    print("threshold  answered-right  wrong-among-posted")
    for t in np.arange(0.2, 0.75, 0.05):
        posted = p >= t
        right = int((posted & (y == 1)).sum())
        wrong = int((posted & (y == 0)).sum())
        total_right = int(y.sum())
        share = right / total_right if total_right else math.nan
        print(f"{t:.2f}       {share:.1%}           {wrong / max(1, right + wrong):.1%}")


if __name__ == "__main__":
    main()
