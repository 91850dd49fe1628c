"""Course-scoped retrieval benchmark: recall@10 and latency of per-course HNSW vs exact search,
and the latency of hybrid retrieval (vectors and full text, fused) beside vector-only retrieval.

100,000 synthetic chunks (unit vectors, dim 384, in topic clusters) across 20 courses of very
different sizes, on an embedded PostgreSQL in a temporary folder. Each chunk has a text of about
140 words drawn from the example course's vocabulary: common words, its topic's words and its
sub-topic's words, so the words of a question find the same cluster as its vector. For a sample
of courses, about 200 queries each (perturbed copies of stored vectors, as questions resemble the
content) go through ``store.vector_search.search_chunks``; exact top-10s come from numpy. The
same queries, each with a question made of its chunk's sub-topic and topic words, then go
through ``bot.coach.retrieval.Retriever.retrieve`` in vector mode and in hybrid mode. For
contrast, the vector queries run against one global HNSW index filtered by course afterwards.

    .venv/bin/python bench/retrieval_bench.py [--queries 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# One BLAS thread: idle BLAS workers spin and would compete with PostgreSQL for the 2 cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg.types.json import Jsonb
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic_chunks import (  # noqa: E402
    DIM,
    Vocabulary,
    chunk_texts,
    course_words,
    make_course,
    question_text,
)
from bench.workspace import BENCH_TEAM, run_in_bench_workspace  # noqa: E402
from bot.coach.retrieval import CANDIDATES_PER_RESULT, RRF_K, RetrievalMode, Retriever  # noqa: E402
from store.database import Database, create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.vector_search import (  # noqa: E402
    EF_SEARCH,
    HNSW_MIN_CHUNKS,
    ensure_course_index,
    search_chunks,
)

K = 10
# Sizes sum to 100,000; the smallest courses stay below HNSW_MIN_CHUNKS (exact search).
SIZES = [15000, 12000, 10000, 9000, 8000, 7000, 6000, 5500, 5000, 4500]
SIZES += [4000, 3500, 3000, 2500, 1500, 1200, 1000, 800, 300, 200]
SAMPLED = [0, 2, 8, 12, 14, 18]  # indexes into SIZES: large, medium and below-threshold courses
COPY_TYPES = ["int4", "varchar", "varchar", "int4", "jsonb", "text", "varchar", "int4"]
COPY_TYPES += ["vector", "varchar", "timestamptz", "varchar"]
WARM_UP = 5  # untimed queries per course, so the first one does not pay for cold pages
RETRIEVE_K = 6  # RETRIEVAL_TOP_K's default, for the Retriever-level timings
RESULTS = ROOT / "bench" / "results"


class PrimedEmbedder:
    """Returns the vector it was last given: the queries' vectors are known, not computed."""

    model = "synthetic"

    def __init__(self) -> None:
        self.vector: list[float] = []

    async def dimension(self) -> int:
        """The benchmark's dimension."""
        return DIM

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """The primed vector for each text."""
        return [self.vector for _ in texts]


def load(
    url: str, vectors: list[np.ndarray], texts: list[list[str]], course_ids: list[int]
) -> float:
    """Insert every chunk with binary COPY; returns seconds taken."""
    started = time.perf_counter()
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        register_vector(conn)
        now = datetime.now(UTC)
        columns = "course_id, source_path, anchor, ordinal, location, text, content_hash, "
        columns += "token_estimate, embedding, embedding_model, updated_at, team_id"
        with conn.cursor() as cur, cur.copy(f"COPY chunks ({columns}) FROM STDIN BINARY") as copy:
            copy.set_types(COPY_TYPES)
            for course_id, matrix, bodies in zip(course_ids, vectors, texts, strict=True):
                for i, (vector, body) in enumerate(zip(matrix, bodies, strict=True)):
                    copy.write_row(
                        (
                            course_id,
                            "bench.md",
                            f"s{i}",
                            i,
                            Jsonb({}),
                            body,
                            f"h{i}",
                            3,
                            vector,
                            "synthetic",
                            now,
                            BENCH_TEAM,
                        )
                    )
    # Outside a transaction: VACUUM sets the hint bits and the visibility map as autovacuum would
    # soon after an ingest, so queries meet the table in its steady state, not freshly copied.
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) chunks")
        conn.execute("ANALYZE course_lexemes")
    return time.perf_counter() - started


def exact_top(matrix: np.ndarray, ids: np.ndarray, queries: np.ndarray) -> list[list[int]]:
    """The true top-K chunk ids of each query by cosine distance."""
    scores = queries @ matrix.T
    return [[int(ids[i]) for i in np.argsort(-row, kind="stable")[:K]] for row in scores]


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(queries_per_course: int, seed: int, data_dir: Path) -> dict[str, Any]:
    """Load, index, query; return the figures."""
    rng = np.random.default_rng(seed)
    url = async_url(start_embedded(data_dir))
    db = create_database(url, pool_size=2)
    await migrate(db)
    # Raw SQL: the rows name the workspace the searches below run in.
    async with db.sessions.begin() as session:
        rows = await session.execute(
            text(
                "INSERT INTO courses (slug, title, embedding_model, embedding_dim, team_id) "
                f"SELECT 'bench-' || n, 'Bench ' || n, 'synthetic', {DIM}, :team "
                f"FROM generate_series(1, {len(SIZES)}) n RETURNING id"
            ),
            {"team": BENCH_TEAM},
        )
        course_ids = sorted(int(r) for r in rows.scalars())
    courses = [make_course(rng, size) for size in SIZES]
    vectors = [course.vectors for course in courses]
    vocabulary = Vocabulary(course_words(), {}, {})
    started = time.perf_counter()
    texts = [chunk_texts(rng, c, n, vocabulary) for n, c in enumerate(courses)]
    text_seconds = time.perf_counter() - started
    load_seconds = load(url, vectors, texts, course_ids)

    started = time.perf_counter()
    indexed = []
    for course_id in course_ids:
        async with db.sessions.begin() as session:
            await session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
            indexed.append(await ensure_course_index(session, course_id, DIM))
    index_seconds = time.perf_counter() - started

    async with db.sessions() as session:
        ids_by_course = {
            course_id: np.array(
                (
                    await session.execute(
                        text(
                            f"SELECT id FROM chunks WHERE course_id = {course_id} ORDER BY ordinal"
                        )
                    )
                )
                .scalars()
                .all()
            )
            for course_id in course_ids
        }

    per_course: list[dict[str, Any]] = []
    workload: list[tuple[int, np.ndarray, list[int]]] = []
    for index in SAMPLED:
        course_id, matrix = course_ids[index], vectors[index]
        picks = rng.integers(len(matrix), size=queries_per_course)
        queries = matrix[picks] + rng.normal(scale=0.04, size=(len(picks), DIM))
        queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
        # Exact answers first, all at once: BLAS threads spinning after a matrix product would
        # otherwise steal the CPU from PostgreSQL while the searches are timed.
        truths = exact_top(matrix, ids_by_course[course_id], queries)
        workload += [(course_id, q, t) for q, t in zip(queries, truths, strict=True)]
        for query in queries[:WARM_UP]:
            async with db.sessions.begin() as session:
                await search_chunks(session, course_id, query.tolist(), DIM, K)
        recalls, latencies = [], []
        for query, truth in zip(queries, truths, strict=True):
            started = time.perf_counter()
            async with db.sessions.begin() as session:
                found = await search_chunks(session, course_id, query.tolist(), DIM, K)
            latencies.append((time.perf_counter() - started) * 1000)
            recalls.append(len({c.id for c, _ in found} & set(truth)) / K)
        questions = [question_text(rng, courses[index], index, int(p), vocabulary) for p in picks]
        sources = [int(ids_by_course[course_id][p]) for p in picks]
        per_course.append(
            {
                "course_id": course_id,
                "chunks": SIZES[index],
                "share_of_table": round(SIZES[index] / sum(SIZES), 4),
                "path": "hnsw" if indexed[index] else "exact",
                "queries": len(recalls),
                "recall_at_10": round(statistics.fmean(recalls), 4),
                "p50_ms": round(percentile(latencies, 0.5), 2),
                "p99_ms": round(percentile(latencies, 0.99), 2),
                "retriever": await time_retrievers(db, course_id, queries, questions, sources),
            }
        )
        print(per_course[-1], flush=True)

    naive = await global_then_filter(db, workload)
    await db.close()
    hnsw = [c for c in per_course if c["path"] == "hnsw"]
    all_latencies = [c["p50_ms"] for c in hnsw]
    retrievers = [c["retriever"] for c in per_course]
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chunks": sum(SIZES),
        "courses": len(SIZES),
        "dim": DIM,
        "k": K,
        "ef_search": EF_SEARCH,
        "hnsw_min_chunks": HNSW_MIN_CHUNKS,
        "retrieve_k": RETRIEVE_K,
        "rrf_k": RRF_K,
        "candidates_per_result": CANDIDATES_PER_RESULT,
        "text_generation_seconds": round(text_seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "index_build_seconds": round(index_seconds, 1),
        "per_course": per_course,
        "vector_retriever_worst_p50_ms": max(r["vector"]["p50_ms"] for r in retrievers),
        "vector_retriever_worst_p99_ms": max(r["vector"]["p99_ms"] for r in retrievers),
        "hybrid_retriever_worst_p50_ms": max(r["hybrid"]["p50_ms"] for r in retrievers),
        "hybrid_retriever_worst_p99_ms": max(r["hybrid"]["p99_ms"] for r in retrievers),
        "scoped_hnsw_recall_at_10": round(statistics.fmean(c["recall_at_10"] for c in hnsw), 4),
        "scoped_hnsw_worst_p50_ms": max(all_latencies),
        "scoped_hnsw_worst_p99_ms": max(c["p99_ms"] for c in hnsw),
        "global_then_filter": naive,
    }


async def time_retrievers(
    db: Database,
    course_id: int,
    queries: np.ndarray,
    questions: list[str],
    sources: list[int],
) -> dict[str, Any]:
    """Latency of ``Retriever.retrieve`` in vector and hybrid mode on the same queries."""
    embedder = PrimedEmbedder()
    # The searches and their fusion: re-ranking (bot.coach.rerank) reads the sentences of its
    # candidates, which the primed embedder cannot tell apart.
    retrievers = {
        mode: Retriever(db.sessions, embedder, retrieval_mode=mode, reranked=False)
        for mode in (RetrievalMode.VECTOR, RetrievalMode.HYBRID)
    }
    latencies: dict[str, list[float]] = {mode: [] for mode in retrievers}
    found_source: dict[str, list[bool]] = {mode: [] for mode in retrievers}
    by_text: list[float] = []
    for n, (query, question, source) in enumerate(zip(queries, questions, sources, strict=True)):
        embedder.vector = query.tolist()
        # Alternate which mode goes first, so neither always meets the warmer cache.
        order = list(retrievers) if n % 2 == 0 else list(reversed(retrievers))
        for mode in order:
            started = time.perf_counter()
            found = await retrievers[mode].retrieve(course_id, question, RETRIEVE_K)
            elapsed = (time.perf_counter() - started) * 1000
            if n < WARM_UP:
                continue
            latencies[mode].append(elapsed)
            found_source[mode].append(source in {c.chunk_id for c in found})
            if mode is RetrievalMode.HYBRID:
                by_text.append(sum(c.text_rank is not None for c in found) / len(found))
    figures: dict[str, Any] = {
        mode.value: {
            "p50_ms": round(percentile(latencies[mode], 0.5), 2),
            "p99_ms": round(percentile(latencies[mode], 0.99), 2),
            "source_chunk_in_top_k": round(statistics.fmean(found_source[mode]), 4),
        }
        for mode in retrievers
    }
    figures["share_of_fused_results_found_by_text"] = round(statistics.fmean(by_text), 4)
    return figures


async def global_then_filter(
    db: Database, workload: list[tuple[int, np.ndarray, list[int]]]
) -> dict[str, Any]:
    """Recall of one global HNSW index with the course filter applied after the scan."""
    started = time.perf_counter()
    async with db.engine.connect() as conn:
        await conn.execute(text("SET maintenance_work_mem = '512MB'"))
        await conn.execute(
            text(
                "CREATE INDEX ix_bench_global ON chunks "
                f"USING hnsw ((embedding::vector({DIM})) vector_cosine_ops)"
            )
        )
        await conn.commit()
        build = time.perf_counter() - started
        by_course: dict[int, list[float]] = {}
        short = 0
        # Inside one transaction that is rolled back: the per-course indexes and the course_id
        # b-trees are dropped so that the planner can only use the global index.
        trans = await conn.begin()
        indexes = (
            (
                await conn.execute(
                    text(
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'chunks' "
                        "AND indexname <> 'ix_bench_global' AND indexname NOT LIKE 'pk_%' "
                        "AND indexname NOT LIKE 'uq_%'"
                    )
                )
            )
            .scalars()
            .all()
        )
        for name in indexes:
            await conn.execute(text(f"DROP INDEX {name}"))
        await conn.execute(text(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}"))
        await conn.execute(text("SET LOCAL enable_seqscan = off"))
        for course_id, query, truth in workload:
            literal = "[" + ",".join(f"{x:.6f}" for x in query) + "]"
            rows = await conn.execute(
                text(
                    f"SELECT id FROM chunks WHERE course_id = {course_id} ORDER BY "
                    f"embedding::vector({DIM}) <=> '{literal}'::vector({DIM}) LIMIT {K}"
                )
            )
            found = {int(r) for r in rows.scalars()}
            short += len(found) < K
            by_course.setdefault(course_id, []).append(len(found & set(truth)) / K)
        await trans.rollback()
        await conn.execute(text("DROP INDEX ix_bench_global"))
        await conn.commit()
    recalls = [r for values in by_course.values() for r in values]
    return {
        "index_build_seconds": round(build, 1),
        "recall_at_10": round(statistics.fmean(recalls), 4),
        "recall_by_course": {str(c): round(statistics.fmean(v), 4) for c, v in by_course.items()},
        "queries_with_fewer_than_k_results": short,
    }


def write_markdown(figures: dict[str, Any], path: Path) -> None:
    """The human-readable report."""
    naive = figures["global_then_filter"]
    lines = [
        "# Retrieval benchmark",
        "",
        f"Generated {figures['generated_at']} by `bench/retrieval_bench.py`: "
        f"{figures['chunks']:,} chunks (dim {figures['dim']}, clustered unit vectors) in "
        f"{figures['courses']} courses, embedded PostgreSQL 16 + pgvector 0.6, "
        f"`hnsw.ef_search` = {figures['ef_search']}, HNSW for courses above "
        f"{figures['hnsw_min_chunks']:,} chunks. Load (binary COPY) {figures['load_seconds']} s, "
        f"per-course index builds {figures['index_build_seconds']} s (texts generated in "
        f"{figures['text_generation_seconds']} s; the load includes computing their "
        "`search_vector`). Latency is measured "
        "around a whole `search_chunks` call in its own transaction (pool checkout, `SET LOCAL`, "
        f"query, commit) after {WARM_UP} untimed warm-up queries per course, with the server "
        "on the same machine.",
        "",
        "## Course-scoped search (`store.vector_search.search_chunks`, end to end)",
        "",
        "| course | chunks | share of table | path | queries | recall@10 | p50 ms | p99 ms |",
        "|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for c in figures["per_course"]:
        lines.append(
            f"| {c['course_id']} | {c['chunks']:,} | {c['share_of_table']:.1%} | {c['path']} | "
            f"{c['queries']} | {c['recall_at_10']:.3f} | {c['p50_ms']} | {c['p99_ms']} |"
        )
    lines += [
        "",
        f"Per-course HNSW: mean recall@10 **{figures['scoped_hnsw_recall_at_10']:.3f}** "
        "(target ≥ 0.95); worst course p50 "
        f"**{figures['scoped_hnsw_worst_p50_ms']} ms** (target < 10 ms), worst p99 "
        f"{figures['scoped_hnsw_worst_p99_ms']} ms.",
        "",
        "## Hybrid retrieval beside vector-only retrieval (`Retriever.retrieve`, end to end)",
        "",
        "The same queries, each with a chatty question made of three of its chunk's sub-topic "
        "words and two of its topic's words, through `bot.coach.retrieval.Retriever.retrieve("
        f"course, question, {figures['retrieve_k']})` with the query vector given (embedding "
        "the question is not timed), all in one transaction: the course lookup (which sizes "
        "the HNSW scan in the same statement), the FAQ lookup and, for vector, the vector "
        f"search of {figures['retrieve_k']}; for hybrid, the vector and the full-text search "
        f"of {figures['candidates_per_result']}×{figures['retrieve_k']} candidates each in one "
        "statement (`store.hybrid_search`, with every chunk's cosine distance) and reciprocal "
        f"rank fusion (k = {figures['rrf_k']}). Modes alternate query by "
        "query. Source found: the chunk the query was made from is among the results. Fused "
        "results found by text: the share of the results that full-text search returned (a "
        "question whose rarest word is in many chunks of a big course finds nothing by text).",
        "",
        "| course | chunks | vector p50 ms | vector p99 ms | hybrid p50 ms | hybrid p99 ms | "
        "source found, vector | source found, hybrid | fused results found by text |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in figures["per_course"]:
        r = c["retriever"]
        lines.append(
            f"| {c['course_id']} | {c['chunks']:,} | {r['vector']['p50_ms']} | "
            f"{r['vector']['p99_ms']} | {r['hybrid']['p50_ms']} | {r['hybrid']['p99_ms']} | "
            f"{r['vector']['source_chunk_in_top_k']:.3f} | "
            f"{r['hybrid']['source_chunk_in_top_k']:.3f} | "
            f"{r['share_of_fused_results_found_by_text']:.3f} |"
        )
    lines += [
        "",
        f"Worst course: hybrid p50 **{figures['hybrid_retriever_worst_p50_ms']} ms** (target "
        f"< 10 ms), p99 {figures['hybrid_retriever_worst_p99_ms']} ms; vector-only p50 "
        f"{figures['vector_retriever_worst_p50_ms']} ms, p99 "
        f"{figures['vector_retriever_worst_p99_ms']} ms.",
        "",
        "## For contrast: one global HNSW index, course filter applied after the scan",
        "",
        f"Same queries, same `ef_search`: mean recall@10 **{naive['recall_at_10']:.3f}**; "
        f"{naive['queries_with_fewer_than_k_results']} of "
        f"{sum(c['queries'] for c in figures['per_course'])} queries returned fewer than 10 "
        f"rows (global index build {naive['index_build_seconds']} s).",
        "",
        "| course | chunks | recall@10 |",
        "|---:|---:|---:|",
    ]
    sizes = {str(c["course_id"]): c["chunks"] for c in figures["per_course"]}
    for course, recall in naive["recall_by_course"].items():
        lines.append(f"| {course} | {sizes[course]:,} | {recall:.3f} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Run the benchmark and write bench/results/retrieval.{json,md}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200, help="queries per sampled course")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coachbot-bench-") as tmp:
        figures = run_in_bench_workspace(run(args.queries, args.seed, Path(tmp)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "retrieval.json").write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    write_markdown(figures, RESULTS / "retrieval.md")
    print((RESULTS / "retrieval.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
