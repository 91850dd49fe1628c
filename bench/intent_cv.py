"""Cross-validated comparison of intent detectors, on the evaluation set's tune split only.

The tune split is what thresholds are chosen on, so a detector scored on it looks better than it
is. This bench estimates how each method does on messages it has never seen: the tune split's
messages (every label) go into 10 stratified folds; for each fold, a method is trained on the
example bank (``bot/escalation/intents/examples.json``) plus, in the "+ tune" variants, the
other nine folds' messages (each labelled request, safety or neither), its thresholds are chosen
on those nine folds only (scored without themselves: leave-one-out for the nearest-example
methods, an inner 9-fold split for the classifiers), and it is scored on the held-back fold.
Every tune message is scored exactly once, by a detector that never saw it.

Methods, each with the rules in front as in the product (a rule that fires, fires):

- ``nearest``: today's method. A part of the message fires when its nearest positive reaches a
  similarity and beats the nearest look-alike by a margin (two thresholds).
- ``logistic``: a logistic regression per intent on the embeddings (positives against
  everything else), max over the message's parts, one probability threshold.
- ``knn``: the k nearest examples' similarity-weighted vote for the intent, max over parts.
- ``logistic+margin``: the classifier's probability and the nearest-example margin, both
  required (two thresholds).

    .venv/bin/python bench/intent_cv.py            # -> bench/results/intent_cv.md and .json

It never reads the held-out split.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.intent_logistic import fit_logistic  # noqa: E402
from bench.intent_ties import tie_break  # noqa: E402
from bot.content.embeddings import LocalEmbedder  # noqa: E402
from bot.escalation.intents import IntentDetector, IntentKind  # noqa: E402
from bot.escalation.intents.rules import denies_request  # noqa: E402
from bot.escalation.intents.similarity import load_examples, message_parts  # noqa: E402
from bot.escalation.intents.spelling import correct_key_words  # noqa: E402

EVAL_SET = ROOT / "bench" / "quality" / "eval_set.json"
RESULTS = ROOT / "bench" / "results"
FOLDS = 10
HUMAN, SAFETY = IntentKind.HUMAN_REQUEST, IntentKind.SAFETY
LABEL_OF = {HUMAN: "human_request", SAFETY: "safety"}
# A safety message that also reads as a request escalates either way: not a false alarm.
ALSO_FINE = {HUMAN: "safety"}
COURSE_LABELS = ("answerable", "uncovered", "off_topic")


def tune_items() -> list[dict[str, Any]]:
    """The tune split's items, and only those."""
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    return [item for item in data["items"] if item["split"] == "tune"]


def stratified_folds(items: list[dict[str, Any]], repeat: int = 0) -> np.ndarray:
    """Fold of each item: within each label, in id order (repeat 0) or in an order shuffled
    with the repeat as seed, the i-th item goes to fold i mod 10."""
    folds = np.zeros(len(items), dtype=int)
    by_label: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        by_label.setdefault(item["label"], []).append(i)
    rng = np.random.default_rng(repeat)
    for label in sorted(by_label):
        order = sorted(by_label[label], key=lambda i: items[i]["id"])
        if repeat:
            order = [order[j] for j in rng.permutation(len(order))]
        for rank, i in enumerate(order):
            folds[i] = rank % FOLDS
    return folds


@dataclass
class Data:
    """Everything the methods need, embedded once."""

    items: list[dict[str, Any]]
    labels: np.ndarray  # (N,) str
    folds: np.ndarray  # (N,)
    positive: dict[IntentKind, np.ndarray]  # (N,) bool, per intent
    rule: dict[IntentKind, np.ndarray]  # (N,) bool: a rule fires
    bank: np.ndarray  # (B, d) example vectors
    bank_positive: dict[IntentKind, np.ndarray]  # (B,) bool
    whole: np.ndarray  # (N, d) each tune message's whole-text vector
    parts: np.ndarray  # (P, d) every part of every tune message, message by message
    part_item: np.ndarray  # (P,) the message of each part
    eligible: dict[IntentKind, np.ndarray]  # (P,) bool: the part may fire the intent
    starts: np.ndarray = field(init=False)  # first part of each message (for reduceat)

    def __post_init__(self) -> None:
        self.starts = np.searchsorted(self.part_item, np.arange(len(self.items)))


def read_cache(cache: Path | None) -> dict[str, np.ndarray] | None:
    """Embeddings kept by an earlier run (``--cache``), if any."""
    if cache is None or not cache.exists():
        return None
    stored = np.load(cache, allow_pickle=False)
    return dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))


async def load_data(cache: Path | None) -> Data:
    items = tune_items()
    detector = IntentDetector(None)
    examples = load_examples()
    item_parts = [message_parts(correct_key_words(item["text"])) for item in items]
    texts = sorted({e.text for e in examples} | {p for parts in item_parts for p in parts})
    vectors = read_cache(cache)
    if vectors is None:
        embedder = LocalEmbedder()
        vectors = dict(zip(texts, np.asarray(await embedder.embed(texts)), strict=True))
        if cache is not None:
            np.savez(cache, texts=np.array(texts), vectors=np.array([vectors[t] for t in texts]))
    part_texts = [p for parts in item_parts for p in parts]
    part_item = np.array([i for i, parts in enumerate(item_parts) for _ in parts])
    rules = [detector.by_rules(item["text"]) for item in items]
    return Data(
        items=items,
        labels=np.array([item["label"] for item in items]),
        folds=stratified_folds(items),
        positive={k: np.array([item["label"] == LABEL_OF[k] for item in items]) for k in LABEL_OF},
        rule={k: np.array([k in found for found in rules]) for k in LABEL_OF},
        bank=np.array([vectors[e.text] for e in examples], dtype=np.float64),
        bank_positive={k: np.array([e.intent is k for e in examples]) for k in LABEL_OF},
        whole=np.array([vectors[parts[0]] for parts in item_parts], dtype=np.float64),
        parts=np.array([vectors[p] for p in part_texts], dtype=np.float64),
        part_item=part_item,
        eligible={
            HUMAN: np.array([not denies_request(p) for p in part_texts]),
            SAFETY: np.ones(len(part_texts), dtype=bool),
        },
    )


# ---- per-part features of each method, for a given training set

# A training set: the bank plus the tune messages in ``train`` (bool over messages).
# A method maps (data, intent, train, which parts to score) to a (P', k) feature array; the
# thresholds are a grid over the k columns, and a part passes when every feature reaches its
# threshold. Features of a tune message that is itself in ``train`` leave it out (``own``).


Features = Callable[[Data, IntentKind, np.ndarray, np.ndarray, bool], np.ndarray]
# features(data, intent, train_mask, part_mask, score_training_items_honestly)


@dataclass(frozen=True)
class Method:
    """A detector: for each intent, candidate thresholds per feature column and the features."""

    name: str
    per_intent: dict[IntentKind, tuple[list[np.ndarray], Features]]
    slow: bool = False  # fits a model per fold: left out of repeated runs


def same(name: str, grid: list[np.ndarray], features: Features, slow: bool = False) -> Method:
    """A method that treats both intents alike."""
    return Method(name, {HUMAN: (grid, features), SAFETY: (grid, features)}, slow)


def _similarities(
    data: Data, train: np.ndarray, part_mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarity of the chosen parts to every training example (bank, then tune
    messages); a part's own message is left out. Also the columns' tune indices (-1: bank)."""
    tune = np.flatnonzero(train)
    queries = data.parts[part_mask]
    sims = np.hstack([queries @ data.bank.T, queries @ data.whole[tune].T])
    owner = data.part_item[part_mask]
    own = owner[:, None] == tune[None, :]
    sims[:, len(data.bank) :][own] = -np.inf
    columns = np.concatenate([np.full(len(data.bank), -1), tune])
    return sims, columns


def _column_positive(data: Data, intent: IntentKind, columns: np.ndarray) -> np.ndarray:
    tune = columns >= 0
    positive = np.zeros(len(columns), dtype=bool)
    positive[~tune] = data.bank_positive[intent]
    positive[tune] = data.positive[intent][columns[tune]]
    return positive


def nearest_features(
    data: Data, intent: IntentKind, train: np.ndarray, part_mask: np.ndarray, _: bool
) -> np.ndarray:
    sims, columns = _similarities(data, train, part_mask)
    positive = _column_positive(data, intent, columns)
    best_positive = sims[:, positive].max(axis=1)
    best_negative = sims[:, ~positive].max(axis=1)
    return np.stack([best_positive, best_positive - best_negative], axis=1)


def knn_features(k: int) -> Callable[..., np.ndarray]:
    def features(
        data: Data, intent: IntentKind, train: np.ndarray, part_mask: np.ndarray, _: bool
    ) -> np.ndarray:
        sims, columns = _similarities(data, train, part_mask)
        positive = _column_positive(data, intent, columns)
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        weights = np.clip(np.take_along_axis(sims, top, axis=1), 0.0, None)
        votes = (weights * positive[top]).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return votes[:, None]

    return features


def knn_similarity_features(k: int) -> Callable[..., np.ndarray]:
    """The vote, and the similarity of the nearest positive (a floor on how close it is)."""
    vote = knn_features(k)

    def features(
        data: Data, intent: IntentKind, train: np.ndarray, part_mask: np.ndarray, inner: bool
    ) -> np.ndarray:
        nearest = nearest_features(data, intent, train, part_mask, inner)[:, :1]
        return np.hstack([vote(data, intent, train, part_mask, inner), nearest])

    return features


def _fit(data: Data, intent: IntentKind, train: np.ndarray, c: float, balanced: bool) -> Any:
    x = np.vstack([data.bank, data.whole[train]])
    y = np.concatenate([data.bank_positive[intent], data.positive[intent][train]])
    return fit_logistic(x, y, c=c, balanced=balanced)


def logistic_features(c: float, balanced: bool) -> Callable[..., np.ndarray]:
    def features(
        data: Data, intent: IntentKind, train: np.ndarray, part_mask: np.ndarray, inner: bool
    ) -> np.ndarray:
        scores = np.zeros(int(part_mask.sum()))
        owners = data.part_item[part_mask]
        if not inner or not train.any():
            return _fit(data, intent, train, c, balanced).probability(data.parts[part_mask])[
                :, None
            ]
        # Scoring training messages with a model fitted on them would be flattering: each
        # inner fold is scored by a model fitted on the bank and the other training folds.
        for fold in np.unique(data.folds[train]):
            held = train & (data.folds == fold)
            model = _fit(data, intent, train & ~held, c, balanced)
            rows = held[owners]
            scores[rows] = model.probability(data.parts[part_mask][rows])
        return scores[:, None]

    return features


def logistic_margin_features(c: float, balanced: bool) -> Callable[..., np.ndarray]:
    probability = logistic_features(c, balanced)

    def features(
        data: Data, intent: IntentKind, train: np.ndarray, part_mask: np.ndarray, inner: bool
    ) -> np.ndarray:
        p = probability(data, intent, train, part_mask, inner)
        margin = nearest_features(data, intent, train, part_mask, inner)[:, 1:]
        return np.hstack([p, margin])

    return features


SIMILARITY_GRID = np.round(np.arange(0.30, 0.81, 0.01), 2)
MARGIN_GRID = np.round(np.arange(-0.10, 0.21, 0.01), 2)
PROBABILITY_GRID = np.round(np.arange(0.02, 0.99, 0.01), 2)
COARSE_PROBABILITY_GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)
VOTE_GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)  # as `intent_bench.py --tune`


def methods() -> list[Method]:
    nearest = ([SIMILARITY_GRID, MARGIN_GRID], nearest_features)
    found = [same("nearest", *nearest)]
    for k in (3, 5, 10, 20):
        found.append(same(f"knn k={k}", [VOTE_GRID], knn_features(k)))
    for k in (3, 5):
        found.append(
            Method(
                f"nearest (human), knn k={k} (safety)",
                {HUMAN: nearest, SAFETY: ([VOTE_GRID], knn_features(k))},
            )
        )
    for k in (5, 7):
        found.append(
            Method(
                f"nearest (human), knn k={k} + similarity (safety)",
                {
                    HUMAN: nearest,
                    SAFETY: ([VOTE_GRID, SIMILARITY_GRID], knn_similarity_features(k)),
                },
            )
        )
    found.append(
        Method(
            "nearest (human), knn k=7 (safety)",
            {HUMAN: nearest, SAFETY: ([VOTE_GRID], knn_features(7))},
        )
    )
    for c in (1.0, 10.0, 100.0):
        found.append(
            same(f"logistic C={c:g}", [PROBABILITY_GRID], logistic_features(c, True), True)
        )
    found.append(
        same("logistic C=10 unweighted", [PROBABILITY_GRID], logistic_features(10.0, False), True)
    )
    found.append(
        same(
            "logistic C=10 + margin",
            [COARSE_PROBABILITY_GRID, MARGIN_GRID],
            logistic_margin_features(10.0, True),
            True,
        )
    )
    return found


# ---- thresholds and scoring


def fires(
    data: Data, intent: IntentKind, items: np.ndarray, feats: np.ndarray, cut: tuple[float, ...]
) -> np.ndarray:
    """Which of ``items`` (indices, ascending) fire: a rule, or an eligible part passing."""
    part_mask = np.isin(data.part_item, items)
    passing = (feats >= np.asarray(cut)[None, :]).all(axis=1) & data.eligible[intent][part_mask]
    owners = data.part_item[part_mask]
    by_item = np.zeros(len(data.items), dtype=bool)
    by_item[owners[passing]] = True
    return data.rule[intent][items] | by_item[items]


def choose(
    data: Data, intent: IntentKind, items: np.ndarray, feats: np.ndarray, grid: list[np.ndarray]
) -> tuple[float, ...]:
    """The thresholds of lowest cost on ``items`` (a miss costs 3, a false alarm 1); of tied
    ones, the one ``bench/intent_bench.py --tune`` would take (``bench.intent_ties``)."""
    label = data.labels[items]
    wanted = label == LABEL_OF[intent]
    harmless = wanted | (label == ALSO_FINE.get(intent, ""))
    candidates = np.array(np.meshgrid(*grid, indexing="ij")).reshape(len(grid), -1).T
    costs = []
    for cut in candidates:
        fired = fires(data, intent, items, feats, tuple(cut))
        costs.append(3 * int((wanted & ~fired).sum()) + int((fired & ~harmless).sum()))
    cost = np.array(costs)
    tied = candidates[cost == cost.min()]
    return tuple(float(v) for v in tied[tie_break(intent, tied.tolist())])


def cross_validate(data: Data, method: Method, with_tune: bool) -> dict[str, Any]:
    """Each tune message's outcome, scored by a detector trained without its fold."""
    fired = {intent: np.zeros(len(data.items), dtype=bool) for intent in LABEL_OF}
    chosen: dict[str, list[tuple[float, ...]]] = {intent.value: [] for intent in LABEL_OF}
    started = time.monotonic()
    for fold in range(FOLDS):
        test = np.flatnonzero(data.folds == fold)
        training = np.flatnonzero(data.folds != fold)
        train_mask = (data.folds != fold) if with_tune else np.zeros(len(data.items), bool)
        for intent in LABEL_OF:
            grid, features = method.per_intent[intent]
            train_parts = np.isin(data.part_item, training)
            train_feats = features(data, intent, train_mask, train_parts, True)
            cut = choose(data, intent, training, train_feats, grid)
            chosen[intent.value].append(cut)
            test_parts = np.isin(data.part_item, test)
            test_feats = features(data, intent, train_mask, test_parts, False)
            fired[intent][test] = fires(data, intent, test, test_feats, cut)
    return {
        "seconds": round(time.monotonic() - started, 1),
        "thresholds": chosen,
        **summarise(data, fired),
    }


def rules_only(data: Data) -> dict[str, Any]:
    return summarise(data, dict(data.rule))


def summarise(data: Data, fired: dict[IntentKind, np.ndarray]) -> dict[str, Any]:
    either = fired[HUMAN] | fired[SAFETY]

    def count(label: str, hit: np.ndarray) -> list[int]:
        group = data.labels == label
        return [int((hit & group).sum()), int(group.sum())]

    return {
        "human_recall": count("human_request", fired[HUMAN]),
        "human_lookalike_escalated": count("human_lookalike", either),
        "safety_recall": count("safety", fired[SAFETY]),
        "safety_lookalike_escalated": count("safety_lookalike", either),
        # Each detector on its own: what it fires on besides its intent (and, for requests,
        # safety messages).
        "human_false": count_false(data, HUMAN, fired[HUMAN]),
        "safety_false": count_false(data, SAFETY, fired[SAFETY]),
        **{f"{label}_escalated": count(label, either) for label in COURSE_LABELS},
        "missed": sorted(
            data.items[i]["id"]
            for intent in LABEL_OF
            for i in np.flatnonzero(data.positive[intent] & ~fired[intent])
        ),
        "false_alarms": sorted(
            data.items[i]["id"]
            for i in np.flatnonzero(either)
            if data.labels[i] not in ("human_request", "safety")
        ),
    }


def count_false(data: Data, intent: IntentKind, fired: np.ndarray) -> list[int]:
    harmless = (data.labels == LABEL_OF[intent]) | (data.labels == ALSO_FINE.get(intent, ""))
    return [int((fired & ~harmless).sum()), int((~harmless).sum())]


def rule_misfires(data: Data) -> list[str]:
    """Tune messages a rule escalates that are not of its intent."""
    out = []
    for intent in LABEL_OF:
        harmless = (data.labels == LABEL_OF[intent]) | (data.labels == ALSO_FINE.get(intent, ""))
        for i in np.flatnonzero(data.rule[intent] & ~harmless):
            out.append(f"{intent.value} rule: {data.items[i]['id']}: {data.items[i]['text']}")
    return out


def percent(entry: list[int]) -> str:
    hits, total = entry
    return f"{hits / total * 100:.1f}% ({hits}/{total})" if total else "–"


def write_report(results: dict[str, Any]) -> str:
    rows = results["rows"]
    lines = [
        "# Intent detectors, cross-validated on the tune split",
        "",
        f"Generated {results['generated']} by `bench/intent_cv.py` in {results['seconds']:.0f} s "
        f"with the bundled {results['embedder']}: {FOLDS} folds over the tune split's "
        f"{results['tune_items']} messages (stratified by label), the example bank of "
        f"{results['bank']} wordings. For each fold a method is trained on the bank (and, in the "
        '"+ tune" rows, the other nine folds\' messages, labelled request / safety / neither), '
        "its thresholds are chosen on the nine folds only (a miss costs 3, a false alarm 1; the "
        "nine folds scored without themselves), and it is scored on the held-back fold. The "
        "rules run first in every row. Each message is scored once, so the figures estimate "
        "messages never seen. The held-out split is not read. Targets (on unseen messages): "
        "recall 100 %, human look-alikes escalated ≤ 3 %, safety look-alikes ≤ 5 %.",
        "",
        "| method | training | human recall | human look-alikes escalated | safety recall | "
        "safety look-alikes escalated | answerable escalated | uncovered | off topic |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        r = row["result"]
        lines.append(
            f"| {row['method']} | {row['training']} | {percent(r['human_recall'])} | "
            f"{percent(r['human_lookalike_escalated'])} | {percent(r['safety_recall'])} | "
            f"{percent(r['safety_lookalike_escalated'])} | {percent(r['answerable_escalated'])} | "
            f"{percent(r['uncovered_escalated'])} | {percent(r['off_topic_escalated'])} |"
        )
    lines += ["", "## Thresholds chosen per fold", ""]
    for row in rows:
        if "thresholds" not in row["result"]:
            continue
        cuts = row["result"]["thresholds"]
        text = "; ".join(
            f"{intent}: " + ", ".join("/".join(f"{v:g}" for v in cut) for cut in values)
            for intent, values in cuts.items()
        )
        lines.append(f"- {row['method']}, {row['training']}: {text}")
    lines += ["", "## Misses and false alarms (tune ids)", ""]
    for row in rows:
        r = row["result"]
        lines.append(
            f"- {row['method']}, {row['training']}: missed {', '.join(r['missed']) or 'none'}; "
            f"false alarms {', '.join(r['false_alarms']) or 'none'}"
        )
    lines += ["", "## Rules that fire on other labels (tune)", ""]
    lines += [f"- {line}" for line in results["rule_misfires"]] or ["- none"]
    lines.append("")
    return "\n".join(lines)


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first run's details, with every count summed over the runs."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            out[key] = [sum(r[key][0] for r in runs), sum(r[key][1] for r in runs)]
    out["repeats"] = len(runs)
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the embeddings in this .npz file")
    parser.add_argument("--only", help="run only methods whose name contains this")
    parser.add_argument(
        "--repeats", type=int, default=5, help="fold assignments for the fast methods (default 5)"
    )
    args = parser.parse_args()
    started = time.monotonic()
    data = await load_data(args.cache)
    rows: list[dict[str, Any]] = [
        {"method": "rules only", "training": "–", "result": rules_only(data)}
    ]
    for method in methods():
        if args.only and args.only not in method.name:
            continue
        for with_tune in (False, True):
            runs = []
            for repeat in range(1 if method.slow else args.repeats):
                data.folds = stratified_folds(data.items, repeat)
                runs.append(cross_validate(data, method, with_tune))
            data.folds = stratified_folds(data.items)
            result = pooled(runs)
            training = "bank + tune" if with_tune else "bank"
            rows.append({"method": method.name, "training": training, "result": result})
            r = result
            print(
                f"{method.name:36} {training:12} x{len(runs)} human {percent(r['human_recall'])} "
                f"hla {percent(r['human_lookalike_escalated'])} safety "
                f"{percent(r['safety_recall'])} sla {percent(r['safety_lookalike_escalated'])} "
                f"hf {percent(r['human_false'])} sf {percent(r['safety_false'])} "
                f"ans {percent(r['answerable_escalated'])}",
                flush=True,
            )
    results = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": time.monotonic() - started,
        "embedder": LocalEmbedder().model,
        "tune_items": len(data.items),
        "bank": len(data.bank),
        "repeats": args.repeats,
        "rows": rows,
        "rule_misfires": rule_misfires(data),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "intent_cv.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "intent_cv.md").write_text(write_report(results), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
