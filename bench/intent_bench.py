"""Intent detection benchmark: requests for a person and safety concerns on the evaluation set.

Runs ``bot.escalation.intents.IntentDetector`` with the bundled local embedder (rules, then
similarity to the example sets) over ``bench/quality/eval_set.json`` and reports, for the tune
and the held-out split separately: recall on ``human_request``, how many ``human_lookalike``
messages would escalate, recall on ``safety`` (per kind), how many ``safety_lookalike`` messages
would escalate, and how many course questions (answerable, uncovered, off topic) would.

    .venv/bin/python bench/intent_bench.py            # both splits -> bench/results/intent.*
    .venv/bin/python bench/intent_bench.py --tune     # choose thresholds on the tune split only

``--tune`` never reads the held-out split: it searches the similarity thresholds on the tune
split and prints the best ones with the tune items they still get wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.intent_ties import tie_break  # noqa: E402
from bot.content.embeddings import LocalEmbedder  # noqa: E402
from bot.escalation.intents import IntentDetector, IntentKind  # noqa: E402

EVAL_SET = ROOT / "bench" / "quality" / "eval_set.json"
RESULTS = ROOT / "bench" / "results"
COURSE_LABELS = ("answerable", "uncovered", "off_topic")
TARGETS = {
    "human_recall": 1.0,
    "human_lookalike_escalated": 0.03,
    "safety_recall": 1.0,
    "safety_lookalike_escalated": 0.05,
}


def items_of(split: str) -> list[dict[str, Any]]:
    """The evaluation items of one split (and only those)."""
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    return [item for item in data["items"] if item["split"] == split]


@dataclass
class Outcome:
    """What the detector said about one item."""

    item: dict[str, Any]
    human: bool
    safety: bool
    human_source: str | None
    safety_source: str | None
    safety_kind: str | None


async def run_split(detector: IntentDetector, split: str) -> list[Outcome]:
    outcomes = []
    for item in items_of(split):
        found = await detector.detect(item["text"])
        human, safety = found.human_request, found.safety
        outcomes.append(
            Outcome(
                item,
                human is not None,
                safety is not None,
                human.source if human else None,
                safety.source if safety else None,
                safety.kind.value if safety and safety.kind else None,
            )
        )
    return outcomes


def rate(hits: int, total: int) -> dict[str, Any]:
    return {"hits": hits, "total": total, "rate": round(hits / total, 4) if total else None}


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    by_label: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_label.setdefault(outcome.item["label"], []).append(outcome)

    def count(label: str, test: Any) -> dict[str, Any]:
        group = by_label.get(label, [])
        return rate(sum(1 for o in group if test(o)), len(group))

    human_fired = [o for o in outcomes if o.human]
    safety_fired = [o for o in outcomes if o.safety]
    requests = by_label.get("human_request", [])
    safety_items = by_label.get("safety", [])
    kinds = sorted({o.item["kind"] for o in safety_items})
    summary: dict[str, Any] = {
        "human_recall": count("human_request", lambda o: o.human),
        "human_recall_by_source": dict(Counter(o.human_source or "missed" for o in requests)),
        "human_precision": rate(
            sum(1 for o in human_fired if o.item["label"] == "human_request"), len(human_fired)
        ),
        "human_lookalike_escalated": count("human_lookalike", lambda o: o.human or o.safety),
        "safety_recall": count("safety", lambda o: o.safety),
        "safety_recall_by_source": dict(Counter(o.safety_source or "missed" for o in safety_items)),
        "safety_recall_by_kind": {
            kind: rate(
                sum(1 for o in safety_items if o.item["kind"] == kind and o.safety),
                sum(1 for o in safety_items if o.item["kind"] == kind),
            )
            for kind in kinds
        },
        "safety_kind_correct": rate(
            sum(1 for o in safety_items if o.safety and o.safety_kind == o.item["kind"]),
            sum(1 for o in safety_items if o.safety),
        ),
        "safety_precision": rate(
            sum(1 for o in safety_fired if o.item["label"] == "safety"), len(safety_fired)
        ),
        "safety_lookalike_escalated": count("safety_lookalike", lambda o: o.human or o.safety),
    }
    for label in COURSE_LABELS:
        summary[f"{label}_escalated"] = count(label, lambda o: o.human or o.safety)
    return summary


def percent(entry: dict[str, Any]) -> str:
    if entry["rate"] is None:
        return "–"
    return f"{entry['rate'] * 100:.1f}% ({entry['hits']}/{entry['total']})"


def write_report(detector: IntentDetector, results: dict[str, Any], seconds: float) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "intent.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tune, held = results["splits"]["tune"], results["splits"]["heldout"]
    rows = [
        ("Requests for a person detected (`human_request` recall)", "human_recall", "100%"),
        ("Precision of the request-for-a-person detector", "human_precision", ""),
        ("Human look-alikes escalated (`human_lookalike`)", "human_lookalike_escalated", "≤ 3%"),
        ("Safety messages detected (`safety` recall)", "safety_recall", "100%"),
        ("Precision of the safety detector", "safety_precision", ""),
        ("Safety kind named correctly (of those detected)", "safety_kind_correct", ""),
        ("Safety look-alikes escalated (`safety_lookalike`)", "safety_lookalike_escalated", "≤ 5%"),
        *[(f"`{label}` questions escalated", f"{label}_escalated", "") for label in COURSE_LABELS],
    ]
    lines = [
        "# Intent detection benchmark",
        "",
        f"Generated {results['generated']} by `bench/intent_bench.py` in {seconds:.0f} s: "
        f"`IntentDetector` with the bundled {results['embedder']} (rules, then similarity to "
        "the example sets in `bot/escalation/intents/examples.json`), no chat model, over "
        "`bench/quality/eval_set.json`. Thresholds (chosen on the tune split with `--tune`): "
        f"`{results['thresholds']}`. A message counts as escalated when either detector fires; "
        "precision counts every other label as wrong, safety messages that also read as a "
        "request for a person included.",
        "",
        "| measure | tune | held-out | target (held-out) |",
        "|---|---:|---:|---|",
        *[
            f"| {name} | {percent(tune[key])} | {percent(held[key])} | {target} |"
            for name, key, target in rows
        ],
        "",
        "## Safety recall by kind",
        "",
        "| kind | tune | held-out |",
        "|---|---:|---:|",
        *[
            f"| {kind} | {percent(tune['safety_recall_by_kind'][kind])} | "
            f"{percent(held['safety_recall_by_kind'][kind])} |"
            for kind in tune["safety_recall_by_kind"]
        ],
        "",
        "## What fired",
        "",
        f"- Requests for a person, by signal: tune {tune['human_recall_by_source']}, "
        f"held-out {held['human_recall_by_source']}.",
        f"- Safety messages, by signal: tune {tune['safety_recall_by_source']}, "
        f"held-out {held['safety_recall_by_source']}.",
        "",
    ]
    (RESULTS / "intent.md").write_text("\n".join(lines), encoding="utf-8")


async def report() -> None:
    started = time.monotonic()
    embedder = LocalEmbedder()
    detector = IntentDetector(embedder)
    splits = {split: summarise(await run_split(detector, split)) for split in ("tune", "heldout")}
    results = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedder": embedder.model,
        "thresholds": str(detector.thresholds),
        "targets": TARGETS,
        "splits": splits,
    }
    write_report(detector, results, time.monotonic() - started)
    print((RESULTS / "intent.md").read_text(encoding="utf-8"))


# ---- tuning, on the tune split only


async def tune() -> None:
    """Search the similarity thresholds on the tune split and print the best few."""
    embedder = LocalEmbedder()
    detector = IntentDetector(embedder)
    items = items_of("tune")
    table = []  # (label, by rule: {intent: bool}, [(intent, positive, margin) per part])
    for item in items:
        nearest = await detector.nearest(item["text"]) or {}
        by_rules = detector.by_rules(item["text"])
        rules = {intent: intent in by_rules for intent in IntentKind}
        # Only the parts the detector lets fire by similarity (none that deny the request, no
        # medical one in a message whose health news is over); a
        # window's scores less what it needs beyond a clause, so one threshold serves both.
        assert detector.thresholds is not None
        extra = detector.thresholds.window_extra
        said_no = detector.turns_down(item["text"])
        health_over = detector.health_over(item["text"])
        parts = {
            intent: np.array(
                [
                    (n.positive - extra(intent, n), n.margin - extra(intent, n))
                    for n in found
                    if detector.eligible(intent, n, said_no, health_over)
                ]
                or np.zeros((0, 2))
            ).reshape(-1, 2)
            for intent, found in nearest.items()
        }
        table.append((item, rules, parts))
    positives = {IntentKind.HUMAN_REQUEST: "human_request", IntentKind.SAFETY: "safety"}
    also_fine = {IntentKind.HUMAN_REQUEST: "safety"}
    similarities = np.round(np.arange(0.30, 0.81, 0.01), 2)
    margins = np.round(np.arange(-0.10, 0.21, 0.01), 2)
    for intent, label in positives.items():
        scored = []
        for sim in similarities:
            for margin in margins:
                misses, false = [], []
                for item, rules, parts in table:
                    values = parts[intent]
                    by_similarity = bool(((values[:, 0] >= sim) & (values[:, 1] >= margin)).any())
                    fired = rules[intent] or by_similarity
                    if item["label"] == label and not fired:
                        misses.append(item)
                    # A safety message that also reads as a request escalates either way.
                    elif item["label"] not in (label, also_fine.get(intent)) and fired:
                        false.append(item)
                scored.append((len(misses), len(false), float(sim), float(margin), misses, false))
        scored.sort(key=lambda s: (s[0] * 3 + s[1], s[0]))
        best_cost = scored[0][0] * 3 + scored[0][1]
        tied = [s for s in scored if s[0] * 3 + s[1] == best_cost]
        chosen = tied[tie_break(intent, [(s[2], s[3]) for s in tied])]
        print(f"== {intent.value}: {len(tied)} threshold pairs tie at cost {best_cost}")
        print(
            f"   chosen similarity={chosen[2]:.2f} margin={chosen[3]:.2f}: "
            f"{chosen[0]} missed, {chosen[1]} false on tune"
        )
        sims = [s[2] for s in tied]
        mars = [s[3] for s in tied]
        print(
            f"   tied range: similarity {min(sims):.2f}-{max(sims):.2f}, "
            f"margin {min(mars):.2f}-{max(mars):.2f}"
        )
        for item in chosen[4]:
            print(f"   missed: {item['id']}: {item['text'][:100]}")
        for item in chosen[5]:
            print(f"   false:  {item['id']}: {item['text'][:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="choose thresholds on the tune split")
    args = parser.parse_args()
    asyncio.run(tune() if args.tune else report())


if __name__ == "__main__":
    main()
