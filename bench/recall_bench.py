"""Recall of the right course file for labelled questions: vector, full-text, fused, re-ranked.

The example course (examples/python-course) is ingested with the bundled local embedder into an
embedded PostgreSQL in a temporary folder, exactly as ``coachbot ingest`` does. Every
``answerable`` item of the evaluation set (bench/quality/eval_set.json) is then asked through
``bot.coach.retrieval.Retriever`` in each mode with what the answer engine searches for: the
message, joined with the previous learner message (the item's ``context``) when it is a short
follow-up (``bot.coach.engine.search_text``). recall@n is the share of questions with a chunk of
one of the item's ``expected_sources`` among the first n results. Modes: each search alone, the
two fused (``hybrid``), and fused then re-ranked (``reranked``, ``bot.coach.rerank``: what the
engine retrieves). The ``tune`` and ``heldout`` splits are reported apart: fusion constants and
re-ranking weights are chosen on ``tune`` only (``--sweep`` prints the fusion grid,
``bench/fit_rerank.py`` fits the weights), ``heldout`` measures them. ``--split tune`` asks the
tune items only.

    .venv/bin/python bench/recall_bench.py [--eval-set PATH] [--split tune|heldout|both] [--sweep]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.coach.attachments import focus  # noqa: E402
from bot.coach.engine import search_text  # noqa: E402
from bot.coach.retrieval import (  # noqa: E402
    DEFAULT_FUSION,
    Fusion,
    RetrievalMode,
    Retriever,
    fuse,
)
from bot.coach.types import HistoryTurn  # noqa: E402
from bot.content.embeddings import LocalEmbedder  # noqa: E402
from bot.content.indexer import CourseIndexer  # noqa: E402
from store.database import Database, create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.models.content import Chunk  # noqa: E402

COURSE = ROOT / "examples" / "python-course"
EVAL_SET = ROOT / "bench" / "quality" / "eval_set.json"
RESULTS = ROOT / "bench" / "results"
K = 6  # RETRIEVAL_TOP_K's default
AT = (1, 3, 6)
SPLITS = ("tune", "heldout")
RERANKED = "reranked"
# The follow-ups' queries compared: the message alone, the engine's, the whole thread joined.
FOLLOW_UP_QUERIES = ("message", "engine", "thread")
# The grid --sweep tries on the tune split.
SWEEP_RRF_K = (1, 2, 3, 5, 10, 20, 30, 60, 100)
SWEEP_TEXT_WEIGHT = (0.5, 0.75, 1.0, 1.5, 2.0)
SWEEP_CANDIDATES = (1, 2, 3, 5)


class MemoEmbedder:
    """The local embedder, remembering each question's vector so every mode reuses it."""

    def __init__(self) -> None:
        self._inner = LocalEmbedder()
        self._memo: dict[str, list[float]] = {}

    @property
    def model(self) -> str:
        """The wrapped model's name."""
        return self._inner.model

    async def dimension(self) -> int:
        """The wrapped model's dimension."""
        return await self._inner.dimension()

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Embed what is not memoised yet."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, await self._inner.embed(missing), strict=True))
        return [self._memo[t] for t in texts]


def load_items(path: Path) -> list[dict[str, Any]]:
    """The answerable items of the evaluation set."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [item for item in data["items"] if item["label"] == "answerable"]


def engine_query(item: dict[str, Any]) -> str:
    """What the answer engine searches the course for, the item's earlier messages its history."""
    history = [HistoryTurn("learner", text) for text in item.get("context", [])]
    return search_text(focus(item["text"]), history)


def hits(found: list[str], expected: list[str]) -> dict[int, bool]:
    """Whether an expected file is among the first n found files, for each n of AT."""
    return {n: any(path in expected for path in found[:n]) for n in AT}


def recall(rows: list[dict[int, bool]]) -> dict[str, float]:
    """recall@n over the rows."""
    return {f"recall_at_{n}": round(statistics.fmean(r[n] for r in rows), 4) for n in AT}


async def ask_all(
    retriever: Retriever,
    course_id: int,
    items: list[dict[str, Any]],
    *,
    query: str = "engine",
) -> dict[str, list[str]]:
    """item id -> source paths of the retrieved chunks, best first; ``query``: the engine's
    search text, the message alone, or all its earlier messages joined before it."""
    found = {}
    for item in items:
        question = engine_query(item)
        if query == "message":
            question = item["text"]
        elif query == "thread":
            question = "\n".join([*item.get("context", []), item["text"]])
        chunks = await retriever.retrieve(course_id, question, K)
        found[item["id"]] = [c.source_path for c in chunks]
    return found


async def sweep(
    db: Database, embedder: MemoEmbedder, course_id: int, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """recall@n on the tune split for every fusion setting of the grid, best first."""
    tune = [item for item in items if item["split"] == "tune"]
    pool = K * max(SWEEP_CANDIDATES)
    lists = {}
    for mode in (RetrievalMode.VECTOR, RetrievalMode.TEXT):
        # One search per mode with the largest pool; a smaller pool is a prefix of it.
        retriever = Retriever(db.sessions, embedder, retrieval_mode=mode)
        lists[mode] = {
            item["id"]: [
                c.chunk_id for c in await retriever.retrieve(course_id, engine_query(item), pool)
            ]
            for item in tune
        }
    sources = await chunk_sources(db, course_id)
    grid = []
    for rrf_k, weight, per in itertools.product(SWEEP_RRF_K, SWEEP_TEXT_WEIGHT, SWEEP_CANDIDATES):
        fusion = Fusion(rrf_k=rrf_k, text_weight=weight, candidates_per_result=per)
        rows = []
        for item in tune:
            vector = lists[RetrievalMode.VECTOR][item["id"]][: K * per]
            text = lists[RetrievalMode.TEXT][item["id"]][: K * per]
            scores = fuse(vector, text, fusion)
            # Ties broken by vector rank, as the Retriever breaks them by distance.
            order = {chunk_id: rank for rank, chunk_id in enumerate(vector)}
            best = sorted(scores, key=lambda c: (-scores[c], order.get(c, len(order))))[:K]
            rows.append(hits([sources[c] for c in best], item["expected_sources"]))
        grid.append({"rrf_k": rrf_k, "text_weight": weight, "candidates": per, **recall(rows)})
    grid.sort(key=lambda g: (-g["recall_at_3"], -g["recall_at_1"], -g["recall_at_6"]))
    return grid


async def chunk_sources(db: Database, course_id: int) -> dict[int, str]:
    """chunk id -> source path, for the sweep's offline fusion."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(Chunk.id, Chunk.source_path).where(Chunk.course_id == course_id)
        )
        return {int(chunk_id): str(path) for chunk_id, path in rows.all()}


def retrievers(db: Database, embedder: MemoEmbedder) -> dict[str, Retriever]:
    """Each reported mode's retriever: the searches alone, fused, fused and re-ranked."""
    modes = {
        mode.value: Retriever(db.sessions, embedder, retrieval_mode=mode, reranked=False)
        for mode in RetrievalMode
    }
    return {**modes, RERANKED: Retriever(db.sessions, embedder)}


async def run(
    eval_set: Path, do_sweep: bool, data_dir: Path, splits: tuple[str, ...]
) -> dict[str, Any]:
    """Ingest, ask every question of ``splits`` in every mode; return the figures."""
    items = [item for item in load_items(eval_set) if item["split"] in splits]
    db = create_database(async_url(start_embedded(data_dir)), pool_size=2)
    await migrate(db)
    embedder = MemoEmbedder()
    ingest = await CourseIndexer(db.sessions, embedder).ingest(COURSE, "python-foundations")
    by_mode: dict[str, dict[str, dict[str, float]]] = {}
    for mode, retriever in retrievers(db, embedder).items():
        found = await ask_all(retriever, ingest.course_id, items)
        by_mode[mode] = {
            split: recall(
                [
                    hits(found[item["id"]], item["expected_sources"])
                    for item in items
                    if item["split"] == split
                ]
            )
            for split in splits
        }
        print(mode, by_mode[mode], flush=True)
    # Follow-ups ("and the slash?") name little: what do the thread's earlier messages add?
    # Each split apart, as above: a choice of query made on them is made on the tune split.
    followups = [item for item in items if item.get("context")]
    context: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for mode in (RetrievalMode.HYBRID.value, RERANKED):
        for query in FOLLOW_UP_QUERIES:
            found = await ask_all(
                retrievers(db, embedder)[mode], ingest.course_id, followups, query=query
            )
            for split in splits:
                mine = [item for item in followups if item["split"] == split]
                context.setdefault(split, {}).setdefault(query, {})[mode] = recall(
                    [hits(found[item["id"]], item["expected_sources"]) for item in mine]
                )
    grid = await sweep(db, embedder, ingest.course_id, items) if do_sweep else []
    await db.close()
    counts = {split: sum(item["split"] == split for item in items) for split in splits}
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "course": str(COURSE.relative_to(ROOT)),
        "chunks": ingest.added,
        "embedding_model": embedder.model,
        "k": K,
        "questions": counts,
        "fusion": {
            "rrf_k": DEFAULT_FUSION.rrf_k,
            "text_weight": DEFAULT_FUSION.text_weight,
            "candidates_per_result": DEFAULT_FUSION.candidates_per_result,
        },
        "recall": by_mode,
        "splits": list(splits),
        "followups": {
            "questions": {
                split: sum(item["split"] == split for item in followups) for split in splits
            },
            "recall": context,
        },
        "sweep_tune": grid,
    }


def write_markdown(figures: dict[str, Any], path: Path) -> None:
    """The human-readable report."""
    fusion = figures["fusion"]
    lines = [
        "# Retrieval recall on the example course",
        "",
        f"Generated {figures['generated_at']} by `bench/recall_bench.py`: {figures['course']} "
        f"ingested with the bundled `{figures['embedding_model']}` embedder "
        f"({figures['chunks']} chunks) into an embedded PostgreSQL 16. Each `answerable` item of "
        "`bench/quality/eval_set.json` is asked through `Retriever.retrieve(course, query, "
        f"{figures['k']})` with what the answer engine searches for (the message, with the "
        "previous learner message when it is a short follow-up); recall@n is the "
        "share of questions with a chunk of an expected source file among the first n results. "
        f"Hybrid: reciprocal rank fusion with k = {fusion['rrf_k']}, text weight "
        f"{fusion['text_weight']}, {fusion['candidates_per_result']}×{figures['k']} candidates "
        "from each search. Reranked: hybrid, then its first passages re-ranked "
        "(`bot/coach/rerank.py`, fitted on the tune split by `bench/fit_rerank.py`), as the "
        "engine retrieves.",
        "",
        "| split | questions | mode | recall@1 | recall@3 | recall@6 |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for split in figures["splits"]:
        for mode, splits in figures["recall"].items():
            r = splits[split]
            lines.append(
                f"| {split} | {figures['questions'][split]} | {mode} | {r['recall_at_1']:.3f} | "
                f"{r['recall_at_3']:.3f} | {r['recall_at_6']:.3f} |"
            )
    followups = figures["followups"]
    counts = ", ".join(f"{n} {split}" for split, n in followups["questions"].items())
    lines += [
        "",
        f"## Follow-ups: the items with earlier messages ({counts})",
        "",
        "Searched with the message alone, with what the engine searches (the previous learner "
        "message joined when the message has at most three terms), or with every earlier "
        "message joined:",
        "",
        "| split | questions | query | mode | recall@1 | recall@3 | recall@6 |",
        "|---|---:|---|---|---:|---:|---:|",
    ]
    for split, by_query in followups["recall"].items():
        for query in FOLLOW_UP_QUERIES:
            for mode, r in by_query[query].items():
                lines.append(
                    f"| {split} | {followups['questions'][split]} | {query} | {mode} | "
                    f"{r['recall_at_1']:.3f} | {r['recall_at_3']:.3f} | {r['recall_at_6']:.3f} |"
                )
    if figures["sweep_tune"]:
        chosen = (fusion["text_weight"], fusion["candidates_per_result"])
        lines += [
            "",
            "## Fusion constants on the tune split",
            "",
            f"RRF k with text weight {chosen[0]} and {chosen[1]}×k candidates (the chosen ones), "
            "then the grid's best ten cells; `recall.json` holds the whole grid "
            f"({len(figures['sweep_tune'])} cells). One question of the tune split is 0.010.",
            "",
            "| rrf k | text weight | candidates per result | recall@1 | recall@3 | recall@6 |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        row = [g for g in figures["sweep_tune"] if (g["text_weight"], g["candidates"]) == chosen]
        best = figures["sweep_tune"][:10]
        for g in [*sorted(row, key=lambda g: int(g["rrf_k"])), *best]:
            if g is best[0]:
                lines.append("| | | | | | |")
            lines.append(
                f"| {g['rrf_k']} | {g['text_weight']} | {g['candidates']} | "
                f"{g['recall_at_1']:.3f} | {g['recall_at_3']:.3f} | {g['recall_at_6']:.3f} |"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Run the benchmark and write bench/results/recall.{json,md} (recall-<split> for one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-set", type=Path, default=EVAL_SET)
    parser.add_argument("--sweep", action="store_true", help="try fusion constants on tune")
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    args = parser.parse_args()
    splits = SPLITS if args.split == "both" else (args.split,)
    with tempfile.TemporaryDirectory(prefix="coachbot-recall-") as tmp:
        figures = run_in_bench_workspace(run(args.eval_set, args.sweep, Path(tmp), splits))
    RESULTS.mkdir(parents=True, exist_ok=True)
    # One split's run does not replace the report of both.
    name = "recall" if args.split == "both" else f"recall-{args.split}"
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    write_markdown(figures, RESULTS / f"{name}.md")
    print((RESULTS / f"{name}.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
