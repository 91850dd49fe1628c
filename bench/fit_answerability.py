"""Fit the answerability weights (``bot.coach.answerability``) on the tuning split only.

Reads the per-item signals a quality run stored (``bench/results/quality.json``, from
``bench/quality_bench.py --split tune`` or ``both``), keeps the course questions of the tune
split that reached the answerer, and fits a logistic regression of "answerable, and the answer
cites the right chapter or lab" on the signals. Prints the weights to copy into
``bot/coach/answerability.py`` and the threshold sweep the fitted model gives on the tune split.

    .venv/bin/python bench/fit_answerability.py [--results bench/results/quality.json] [--cv]

``--cv`` also prints, for every feature left out in turn, the ten-fold cross-validated log loss
and what the cross-validated probabilities post at the default threshold of 0.40 (the tune split
only, folds by item order).
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
    "ranking_margin",
)
FOLDS = 10
THRESHOLD = 0.40
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


def probabilities(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w))))


def cross_validate(x: np.ndarray, y: np.ndarray, columns: list[int]) -> tuple[float, int, int]:
    """Ten-fold log loss, and right and wrong answers posted at the threshold, of a feature set."""
    folds = np.arange(len(y)) % FOLDS
    p = np.zeros(len(y))
    for fold in range(FOLDS):
        train, held = folds != fold, folds == fold
        w = fit(x[train][:, columns], y[train], steps=40000)
        p[held] = probabilities(w, x[held][:, columns])
    p = np.clip(p, 1e-6, 1 - 1e-6)
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    posted = p >= THRESHOLD
    return loss, int((posted & (y == 1)).sum()), int((posted & (y == 0)).sum())


def print_cross_validation(x: np.ndarray, y: np.ndarray) -> None:
    everything = list(range(len(FEATURES)))
    print(f"ten-fold cross-validation, posting at {THRESHOLD:.2f} ({int(y.sum())} right to post)")
    for name, columns in [("all", everything)] + [
        (f"without {FEATURES[i]}", [c for c in everything if c != i]) for i in everything
    ]:
        loss, right, wrong = cross_validate(x, y, columns)
        print(f"  {name:28} log loss {loss:.3f}  posted right {right}  posted wrong {wrong}")


def main() -> None:
    """Fit and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("bench/results/quality.json"))
    parser.add_argument("--cv", action="store_true", help="also cross-validate each feature")
    args = parser.parse_args()
    x, y = load(args.results)
    if args.cv:
        print_cross_validation(x, y)
    w = fit(x, y)
    print(f"{len(y)} tune items, {int(y.sum())} answerable and cited right")
    print(f"BIAS = {w[0]:.2f}")
    for name, value in zip(FEATURES, w[1:], strict=True):
        print(f"W_{name.upper()} = {value:.2f}")
    p = probabilities(w, x)
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
