"""Fit the re-ranking weights of bot/coach/rerank.py on the tune split, cross-validated.

The example course is ingested as ``bench/recall_bench.py`` does. For every ``answerable`` item
of the **tune** split only (bench/quality/eval_set.json; the held-out split is never read), the
engine's search text (the message, with the learner's previous message for a short follow-up:
``bot.coach.engine.search_text``) is retrieved fused and not re-ranked, and the first
``rerank.CANDIDATES`` passages get their sentence similarity (``bot.coach.sentences``) and their
features (``rerank.features``). A conditional logit (a softmax over each question's candidates,
maximising the probability of the candidates from an expected file, with the L2 penalty of
``L2_GRID`` that cross-validates best) is fitted on standardised features.

Reported, as questions of the tune split whose first passage is from an expected file: fused,
re-ranked with the fitted weights under ten-fold cross-validation (three shuffles), the same with
each feature left out, and the weights fitted on the whole tune split in the raw features' scale,
to copy into bot/coach/rerank.py; a feature whose absence cross-validates better than the full
model is left out of that fit (weight 0), one feature at most.

    .venv/bin/python bench/fit_rerank.py
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.recall_bench import COURSE, EVAL_SET, MemoEmbedder, load_items  # noqa: E402
from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.coach import rerank  # noqa: E402
from bot.coach.attachments import focus  # noqa: E402
from bot.coach.engine import search_text  # noqa: E402
from bot.coach.retrieval import Retriever  # noqa: E402
from bot.coach.sentences import SentenceVectors  # noqa: E402
from bot.coach.types import HistoryTurn  # noqa: E402
from bot.content.indexer import CourseIndexer  # noqa: E402
from store.database import create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402

RESULTS = ROOT / "bench" / "results"
FOLDS = 10
SHUFFLES = (0, 1, 2)
STEPS = 300
# The L2 penalties cross-validation chooses from (on standardised features).
L2_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
RATE = 0.5
Matrix = npt.NDArray[np.float64]
Question = tuple[Matrix, Matrix]  # features of the candidates, 1.0 where from an expected file


async def questions(data_dir: Path) -> list[Question]:
    """Features and labels of each tune question's candidates, in fused order."""
    items = [item for item in load_items(EVAL_SET) if item["split"] == "tune"]
    db = create_database(async_url(start_embedded(data_dir)), pool_size=2)
    await migrate(db)
    embedder = MemoEmbedder()
    course = (
        await CourseIndexer(db.sessions, embedder).ingest(COURSE, "python-foundations")
    ).course_id
    retriever = Retriever(db.sessions, embedder, reranked=False)
    sentences = SentenceVectors(embedder)
    found = []
    for item in items:
        history = [HistoryTurn("learner", text) for text in item.get("context", [])]
        query = search_text(focus(item["text"]), history)
        fused = await retriever.retrieve(course, query, rerank.CANDIDATES)
        similarities = await sentences.per_passage(query, fused, passages=rerank.CANDIDATES)
        assert similarities is not None
        fused = [
            replace(chunk, sentence_similarity=similarity)
            for chunk, similarity in zip(fused, similarities, strict=True)
        ]
        labels = [chunk.source_path in item["expected_sources"] for chunk in fused]
        found.append((np.array(rerank.features(fused)), np.array(labels, dtype=float)))
    await db.close()
    return found


def fit(data: list[Question], l2: float) -> Matrix:
    """Conditional-logit weights by gradient descent on the mean log-likelihood plus
    ``l2 * |w|^2 / 2``; questions without a right candidate teach nothing and are left out."""
    usable = [(x, y) for x, y in data if y.any()]
    # Every question as rows of one padded array: a missing candidate has no probability.
    width = max(len(y) for _, y in usable)
    x = np.zeros((len(usable), width, usable[0][0].shape[1]))
    y = np.zeros((len(usable), width))
    present = np.zeros((len(usable), width), dtype=bool)
    for i, (features, labels) in enumerate(usable):
        x[i, : len(labels)], y[i, : len(labels)], present[i, : len(labels)] = features, labels, 1
    weights = np.zeros(x.shape[2])
    for _ in range(STEPS):
        z = np.where(present, x @ weights, -np.inf)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        wanted = p * y / (p * y).sum(axis=1, keepdims=True)
        gradient = l2 * weights - np.einsum("qc,qcf->f", wanted - p, x) / len(usable)
        weights -= RATE * gradient
    return weights


def standardised_fit(data: list[Question], columns: list[int], l2: float) -> Matrix:
    """Weights for the raw features of ``columns``, fitted on standardised ones."""
    stacked = np.vstack([x[:, columns] for x, _ in data])
    spread = stacked.std(axis=0) + 1e-9
    centre = stacked.mean(axis=0)
    scaled = [((x[:, columns] - centre) / spread, y) for x, y in data]
    # A softmax ignores the constant the centring adds to every candidate.
    return fit(scaled, l2) / spread


def first_right(x: Matrix, y: Matrix, weights: Matrix) -> bool:
    """Whether the best-scored candidate is from an expected file (ties: the fused order)."""
    scores = x @ weights
    return bool(y[int(np.argmax(scores))])


def cross_validated(data: list[Question], columns: list[int], l2: float, seed: int) -> int:
    """Questions with a right first passage, each scored by weights fitted without its fold."""
    order = np.random.RandomState(seed).permutation(len(data))
    right = 0
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS].tolist())
        weights = standardised_fit([q for i, q in enumerate(data) if i not in held], columns, l2)
        right += sum(first_right(data[i][0][:, columns], data[i][1], weights) for i in held)
    return right


def report(data: list[Question]) -> dict[str, Any]:
    """The figures: fused, cross-validated re-ranking for each L2 penalty of the grid, features
    left out at the best one, the weights fitted with it on the whole split."""
    everything = list(range(len(rerank.FEATURES)))
    by_l2 = {l2: [cross_validated(data, everything, l2, s) for s in SHUFFLES] for l2 in L2_GRID}
    # The strongest penalty among the best: the simplest model that does as well.
    l2 = max(by_l2, key=lambda value: (sum(by_l2[value]), value))
    left_out = {
        name: [cross_validated(data, [c for c in everything if c != i], l2, s) for s in SHUFFLES]
        for i, name in enumerate(rerank.FEATURES)
    }
    # One step of backward elimination: a feature whose absence cross-validates better goes.
    dropped = max(left_out, key=lambda name: sum(left_out[name]))
    if sum(left_out[dropped]) <= sum(by_l2[l2]):
        dropped = ""
    columns = [c for c in everything if rerank.FEATURES[c] != dropped]
    weights = np.zeros(len(everything))
    weights[columns] = standardised_fit(data, columns, l2)
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "split": "tune",
        "questions": len(data),
        "candidates": rerank.CANDIDATES,
        "l2": l2,
        "fused_first_right": int(sum(y[0] for _, y in data)),
        "candidates_hold_right": int(sum(y.any() for _, y in data)),
        "reranked_first_right_cv_by_l2": {str(k): v for k, v in by_l2.items()},
        "reranked_first_right_cv": by_l2[l2],
        "left_out_cv": left_out,
        "dropped": dropped,
        "in_code_first_right": int(
            sum(first_right(x, y, np.array(rerank.WEIGHTS)) for x, y in data)
        ),
        "weights": dict(zip(rerank.FEATURES, (round(float(w), 3) for w in weights), strict=True)),
    }


def write_markdown(figures: dict[str, Any], path: Path) -> None:
    """The human-readable report."""
    n = figures["questions"]
    lines = [
        "# Re-ranking the first fused passages: the fit on the tune split",
        "",
        f"Generated {figures['generated_at']} by `bench/fit_rerank.py` on the {n} answerable "
        "questions of the tune split (the held-out split is not read): the first "
        f"{figures['candidates']} fused passages of the engine's search text, with their "
        f"features (`bot/coach/rerank.py`); conditional logit, L2 {figures['l2']} (the best of "
        f"{', '.join(figures['reranked_first_right_cv_by_l2'])}), "
        f"{FOLDS}-fold cross-validation over {len(SHUFFLES)} shuffles. One question is "
        f"{1 / n:.3f}.",
        "",
        "| ranking | first passage from a right file | recall@1 |",
        "|---|---:|---:|",
        f"| fused | {figures['fused_first_right']} | {figures['fused_first_right'] / n:.3f} |",
    ]
    for name, right in [
        *(
            (f"re-ranked, L2 {k} (cross-validated)", v)
            for k, v in figures["reranked_first_right_cv_by_l2"].items()
        ),
        *((f"re-ranked without `{k}`", v) for k, v in figures["left_out_cv"].items()),
    ]:
        mean = sum(right) / len(right)
        lines.append(f"| {name} | {' / '.join(map(str, right))} | {mean / n:.3f} |")
    lines += [
        "| re-ranked with the weights in the code | "
        f"{figures['in_code_first_right']} | {figures['in_code_first_right'] / n:.3f} |",
        f"| best possible ({figures['candidates']} candidates) | "
        f"{figures['candidates_hold_right']} | {figures['candidates_hold_right'] / n:.3f} |",
        "",
        "Weights fitted on the whole tune split (raw feature scale)"
        + (
            f", without `{figures['dropped']}`, which cross-validates better left out:"
            if figures["dropped"]
            else ":"
        ),
        "",
        "| feature | weight |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in figures["weights"].items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Fit, cross-validate and write bench/results/rerank.{json,md}."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    with tempfile.TemporaryDirectory(prefix="coachbot-rerank-") as tmp:
        data = run_in_bench_workspace(questions(Path(tmp)))
    figures = report(data)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "rerank.json").write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    write_markdown(figures, RESULTS / "rerank.md")
    print((RESULTS / "rerank.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
