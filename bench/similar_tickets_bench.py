"""Similar resolved tickets on the card: the similarity floor, chosen from labelled pairs.

```
.venv/bin/python bench/similar_tickets_bench.py
```

1. **Floor.** ``bench/similar/question_pairs.json`` holds labelled pairs of learner questions of
   the example course: the same question in other words, or a different question on the same
   course (mostly a neighbouring topic). Each pair's cosine similarity comes from the bot's
   default embedder (all-MiniLM-L6-v2, local). Floors are swept on the tune half; the one with
   the best F1 (ties: the higher floor, fewer wrong tickets on cards) is reported with its
   precision and recall on the held-out half, which played no part in choosing it.
2. **Replay.** The 90 uncovered questions of ``bench/quality/eval_set.json`` escalate one by one
   in id order, into an embedded PostgreSQL, one course; each card's similar tickets come from
   ``bot.escalation.similar.find_similar`` (the task's code: the question embedded and stored,
   course-scoped vector search, the floor, at most three), and the first question of each
   same-question pair of the set is resolved after its card. Reported: the share of escalations
   whose card showed a similar resolved ticket, how many second questions of a pair showed
   their pair, and how many listed tickets were not the same question.

Writes ``bench/results/similar_tickets.md`` and ``.json``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "similar"))

from write_pairs import SAME_IN_SET  # noqa: E402

from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.content.embeddings import LocalEmbedder  # noqa: E402
from bot.escalation.similar import TicketQuestion, find_similar  # noqa: E402
from bot.escalation.summary import similarity_text  # noqa: E402
from bot.runtime import build_deps  # noqa: E402
from bot.settings import Settings  # noqa: E402
from store.database import create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.models import Conversation, Course, Escalation  # noqa: E402

PAIRS = ROOT / "bench" / "similar" / "question_pairs.json"
EVAL_SET = ROOT / "bench" / "quality" / "eval_set.json"
RESULTS = ROOT / "bench" / "results"
FLOORS = [round(0.30 + 0.025 * i, 3) for i in range(27)]


def scores(similarities: np.ndarray, same: np.ndarray, floor: float) -> dict[str, float]:
    """Precision, recall and F1 of "similar" = similarity at or above the floor."""
    shown = similarities >= floor
    tp = int(np.sum(shown & same))
    fp = int(np.sum(shown & ~same))
    fn = int(np.sum(~shown & same))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "floor": floor,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


async def pair_figures(embedder: LocalEmbedder) -> dict[str, Any]:
    """Similarity of every labelled pair, the sweep on tune and the floor's held-out scores."""
    pairs = json.loads(PAIRS.read_text())["pairs"]
    # Compared as the task compares them (``similarity_text``: no greetings, code or files).
    vectors_a = np.array(await embedder.embed([similarity_text(p["a"]) for p in pairs]))
    vectors_b = np.array(await embedder.embed([similarity_text(p["b"]) for p in pairs]))
    sims = np.sum(vectors_a * vectors_b, axis=1)
    same = np.array([p["same"] for p in pairs])
    tune = np.array([p["split"] == "tune" for p in pairs])
    sweep = [scores(sims[tune], same[tune], f) for f in FLOORS]
    best = max(sweep, key=lambda s: (round(s["f1"], 6), s["floor"]))
    heldout = scores(sims[~tune], same[~tune], best["floor"])
    misses = [
        {"a": p["a"], "b": p["b"], "same": p["same"], "similarity": round(float(s), 3)}
        for p, s in zip(pairs, sims, strict=True)
        if p["split"] == "heldout" and (s >= best["floor"]) != p["same"]
    ]
    return {
        "pairs": {
            "tune": int(tune.sum()),
            "heldout": int((~tune).sum()),
            "same": int(same.sum()),
            "different": int((~same).sum()),
        },
        "sweep_tune": sweep,
        "floor": best["floor"],
        "tune": best,
        "heldout": heldout,
        "heldout_errors": misses,
    }


async def replay(floor: float) -> dict[str, Any]:
    """The uncovered questions as escalations; the first of each same pair resolved."""
    items = [i for i in json.loads(EVAL_SET.read_text())["items"] if i["label"] == "uncovered"]
    items.sort(key=lambda i: i["id"])
    partner = dict(SAME_IN_SET) | {b: a for a, b in SAME_IN_SET}
    first_of_pair = {min(a, b) for a, b in SAME_IN_SET}
    with tempfile.TemporaryDirectory(prefix="coachbot-similar-") as tmp:
        url = async_url(start_embedded(Path(tmp)))
        db = create_database(url, pool_size=4)
        await migrate(db)
        settings = Settings(_env_file=None, data_dir=Path(tmp), similar_ticket_floor=floor)
        deps = build_deps(settings, db)
        cards: list[dict[str, Any]] = []
        try:
            async with db.sessions.begin() as session:
                course = Course(slug="python-foundations", title="Python foundations")
                session.add(course)
                await session.flush()
                course_id = course.id
            ids: dict[int, str] = {}
            for n, item in enumerate(items):
                async with db.sessions.begin() as session:
                    conversation = Conversation(
                        channel_id=f"D{n}",
                        thread_ts=f"{n}.0",
                        learner_id=f"U{n}",
                        course_id=course_id,
                    )
                    session.add(conversation)
                    await session.flush()
                    row = Escalation(
                        conversation_id=conversation.id,
                        learner_id=f"U{n}",
                        course_id=course_id,
                        status="pending",
                        question=item["text"],
                    )
                    session.add(row)
                    await session.flush()
                    escalation_id = row.id
                ids[escalation_id] = item["id"]
                found = await find_similar(
                    deps, TicketQuestion(escalation_id, course_id, item["text"])
                )
                shown = [ids[int(s["escalation_id"])] for s in found]
                cards.append(
                    {
                        "id": item["id"],
                        "shown": shown,
                        "similarity": [s["similarity"] for s in found],
                    }
                )
                if item["id"] in first_of_pair:
                    async with db.sessions.begin() as session:
                        resolved = await session.get(Escalation, escalation_id)
                        assert resolved is not None
                        resolved.status = "resolved"
                        resolved.resolution_notes = f"answered {item['id']}"
        finally:
            await db.close()
    seconds = [c for c in cards if c["id"] in partner and c["id"] not in first_of_pair]
    wrong = sum(1 for c in cards for s in c["shown"] if partner.get(c["id"]) != s)
    return {
        "escalations": len(cards),
        "resolved": len(first_of_pair),
        "cards_with_similar": sum(1 for c in cards if c["shown"]),
        "second_of_pair": len(seconds),
        "second_showed_pair": sum(1 for c in seconds if partner[c["id"]] in c["shown"]),
        "listed_not_same": wrong,
        "cards": cards,
    }


def report(figures: dict[str, Any]) -> str:
    """The Markdown report."""
    pairs, tune, held, rep = (
        figures["pairs"],
        figures["tune"],
        figures["heldout"],
        figures["replay"],
    )
    lines = [
        "# Similar resolved tickets on the card",
        "",
        f"Run {figures['date']} with `{figures['model']}` (the default local embedder), by "
        "`bench/similar_tickets_bench.py`.",
        "",
        "## The similarity floor",
        "",
        f"{pairs['same'] + pairs['different']} labelled question pairs of the example course "
        f"(`bench/similar/question_pairs.json`): {pairs['same']} the same question in other "
        f"words, {pairs['different']} a different question on the same course; "
        f"{pairs['tune']} tune, {pairs['heldout']} held out.",
        "",
        f"**Floor {figures['floor']:.3f}** (best F1 on the tune half; `SIMILAR_TICKET_FLOOR`).",
        "",
        "| Split | Precision | Recall | F1 | same shown | different shown | same missed |",
        "|---|---|---|---|---|---|---|",
        f"| tune | {tune['precision']:.2f} | {tune['recall']:.2f} | {tune['f1']:.2f} | "
        f"{tune['tp']} | {tune['fp']} | {tune['fn']} |",
        f"| **held out** | **{held['precision']:.2f}** | **{held['recall']:.2f}** | "
        f"{held['f1']:.2f} | {held['tp']} | {held['fp']} | {held['fn']} |",
        "",
        "Sweep on the tune half:",
        "",
        "| Floor | Precision | Recall | F1 |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {s['floor']:.3f} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} |"
        for s in figures["sweep_tune"]
    ]
    lines += ["", "Held-out pairs on the wrong side of the floor:", ""]
    lines += [
        f"- {'same' if e['same'] else 'different'}, {e['similarity']:.3f}: “{e['a']}” / “{e['b']}”"
        for e in figures["heldout_errors"]
    ] or ["- none"]
    share = rep["cards_with_similar"] / rep["escalations"]
    lines += [
        "",
        "## Replay: the uncovered questions as escalations",
        "",
        f"The {rep['escalations']} uncovered questions of `bench/quality/eval_set.json` escalated "
        f"in id order on one course, each card's similar tickets from "
        f"`bot.escalation.similar.find_similar` at the floor; the first question of each of the "
        f"{rep['resolved']} same-question pairs in the set was resolved after its card.",
        "",
        f"- **Escalations whose card showed a similar resolved ticket: "
        f"{rep['cards_with_similar']} of {rep['escalations']} ({share:.0%})**.",
        f"- Second questions of a pair whose card listed their pair: "
        f"{rep['second_showed_pair']} of {rep['second_of_pair']}.",
        f"- Tickets listed that were not the same question: {rep['listed_not_same']}.",
        "",
        "Only 21 of the 90 questions have a resolved twin, so the share is bounded by the set: "
        "it measures how often a trainer is pointed at an earlier resolution when one exists, "
        "and how often at one that is not the same question.",
    ]
    return "\n".join(lines) + "\n"


async def main() -> None:
    """Run both parts and write the reports."""
    embedder = LocalEmbedder()
    figures = await pair_figures(embedder)
    figures["replay"] = await replay(figures["floor"])
    figures["model"] = embedder.model
    figures["date"] = datetime.now(UTC).strftime("%Y-%m-%d")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "similar_tickets.json").write_text(json.dumps(figures, indent=1) + "\n")
    (RESULTS / "similar_tickets.md").write_text(report(figures))
    print(report(figures))


if __name__ == "__main__":
    run_in_bench_workspace(main())
