"""Answer and escalation quality on the labelled evaluation set, through the real pipeline.

The example course is ingested into an embedded PostgreSQL in a temporary folder with the
configured embedder (the bundled local model by default). Every item of
``bench/quality/eval_set.json`` then goes through what a learner's DM goes through: the
pre-answer triggers (a request for a person, a safety concern), retrieval, the answerer (offline,
or the configured OpenAI-compatible model when ``OPENAI_BASE_URL`` is set) and the decision
(``bot.learner.decision.decide``: post, decline or escalate). Items with ``context`` send the
earlier messages as the thread's history.

    .venv/bin/python bench/quality_bench.py [--split tune|heldout|both] [--limit N]

Writes ``bench/results/quality.md``, ``quality.json`` and ``quality-reliability.png``
(``--out`` changes the name, e.g. to keep an LLM run beside the offline one). Thresholds and
weights are tuned on the tune split only; the held-out split is reported, never tuned on.

``--faq`` runs the set a second time with the course FAQ entries of
``bench/quality/faq_entries.json`` published, and writes ``bench/results/faq.md`` and
``faq.json`` instead (``bench/quality_faq.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import quality_faq  # noqa: E402
from quality_report import ItemResult, always_sure_changes, summarise, write_reports  # noqa: E402

from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.coach.coaching import Coaching  # noqa: E402
from bot.coach.engine import AnswerEngine  # noqa: E402
from bot.coach.types import Answer, HistoryTurn, Intent, Reference, RetrievedChunk  # noqa: E402
from bot.content.indexer import CourseIndexer  # noqa: E402
from bot.escalation.intents import IntentDetector, detector_for  # noqa: E402
from bot.escalation.triggers import pre_answer_triggers  # noqa: E402
from bot.learner.decision import Outcome, decide  # noqa: E402
from bot.runtime import build_deps  # noqa: E402
from bot.settings import Settings  # noqa: E402
from store.database import create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.repositories.content import CourseRepository  # noqa: E402

EVAL_SET = ROOT / "bench" / "quality" / "eval_set.json"
COURSE = ROOT / "examples" / "python-course"
RESULTS = ROOT / "bench" / "results"


def bench_settings(data_dir: Path) -> Settings:
    """Default settings, with a model only when the environment configures one."""
    values: dict[str, Any] = {"_env_file": None, "data_dir": data_dir}
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CHAT_MODEL", "EMBEDDING_BACKEND"):
        if os.environ.get(name):
            values[name.lower()] = os.environ[name]
    return Settings(**values)


class AlwaysSure:
    """An answerer that claims full grounding whatever it is asked, citing the first passage:
    the worst a model (or a learner telling it what to say) can do to the confidence."""

    async def answer(
        self,
        question: str,
        history: list[HistoryTurn],
        retrieved: list[RetrievedChunk],
        *,
        coaching: Coaching | None = None,
    ) -> Answer:
        """A confident answer from the first passage, whatever the coaching mode."""
        first = retrieved[0]
        return Answer(
            text="Yes, the course explains exactly this.",
            references=[Reference(first.chunk_id, first.location, first.source_path)],
            confidence=1.0,
            confidence_signals={},
            grounded=True,
            intent=Intent.COURSE_CONTENT,
            model="always-sure",
            retrieved=retrieved,
            self_report=1.0,
        )


async def run_item(
    engine: AnswerEngine,
    detector: IntentDetector,
    settings: Settings,
    course_id: int,
    item: dict[str, Any],
) -> ItemResult:
    """One labelled message through the pipeline."""
    context = [str(text) for text in item.get("context", [])]
    history = [HistoryTurn("learner", text) for text in context]
    started = time.monotonic()
    pre = await pre_answer_triggers(
        item["text"],
        detector=detector,
        learner_turns=len(context) + 1,
        max_turns=settings.escalation_max_turns,
    )
    if pre:
        return ItemResult.of(item, Outcome.ESCALATE, pre, None, time.monotonic() - started)
    answer = await engine.answer(course_id, item["text"], history)
    decision = decide(
        answer,
        threshold=settings.escalation_confidence_threshold,
        lab_struggles=0,
        struggle_threshold=settings.lab_struggle_threshold,
    )
    elapsed = time.monotonic() - started
    return ItemResult.of(item, decision.outcome, decision.triggers, answer, elapsed)


async def run(split: str, limit: int | None, out: str, faq: bool = False) -> dict[str, Any]:
    """Ingest the course, run the items, write the reports; returns the summary."""
    items = json.loads(EVAL_SET.read_text())["items"]
    if split != "both":
        items = [item for item in items if item["split"] == split]
    if limit:
        items = items[:limit]
    with tempfile.TemporaryDirectory(prefix="coachbot-quality-") as tmp:
        url = async_url(start_embedded(Path(tmp)))
        db = create_database(url, pool_size=4)
        await migrate(db)
        settings = bench_settings(Path(tmp))
        deps = build_deps(settings, db)
        try:
            indexer = CourseIndexer(db.sessions, deps.embedder)
            await indexer.ingest(COURSE, "python-foundations")
            async with db.sessions() as session:
                course = await CourseRepository(session).by_slug("python-foundations")
                assert course is not None
                course_id = course.id
            engine = AnswerEngine(deps)
            detector = detector_for(deps.embedder)
            results = [
                await run_item(engine, detector, settings, course_id, item) for item in items
            ]
            if faq:
                return await run_faq(deps, settings, course_id, items, results)
            # The same off-topic and uncovered questions, with a model that always claims
            # full grounding: none of their outcomes may change.
            sure = AnswerEngine(deps, answerer=AlwaysSure())
            probes = [i for i in items if i["label"] in ("off_topic", "uncovered")]
            sure_results = [
                await run_item(sure, detector, settings, course_id, item) for item in probes
            ]
        finally:
            if deps.llm is not None:
                await deps.llm.close()
            await db.close()
    mode = f"model {settings.chat_model}" if settings.llm_enabled else "offline"
    summary = summarise(results, threshold=settings.escalation_confidence_threshold, mode=mode)
    summary["always_sure"] = always_sure_changes(results, sure_results)
    write_reports(summary, results, RESULTS, out)
    return summary


async def run_faq(
    deps: Any, settings: Settings, course_id: int, items: list[dict[str, Any]], before: list[Any]
) -> dict[str, Any]:
    """Publish the FAQ entries, run the items again, write faq.md; returns its summary."""
    entries = quality_faq.load_entries()
    role = quality_faq.roles(entries)
    nearest = await quality_faq.nearest_entries(deps, items, entries)
    await quality_faq.publish_entries(deps, course_id, entries)
    engine = AnswerEngine(deps)
    detector = detector_for(deps.embedder)
    after = [await run_item(engine, detector, settings, course_id, item) for item in items]
    threshold = settings.escalation_confidence_threshold
    summary = {
        "mode": f"model {settings.chat_model}" if settings.llm_enabled else "offline",
        "threshold": threshold,
        "floor": quality_faq.FAQ_MATCH_FLOOR,
        "entries": len(entries),
        "splits": quality_faq.compare(before, after, role, threshold),
        "floor_sweep": {
            split: quality_faq.floor_sweep(items, nearest, role, split)
            for split in ("tune", "heldout")
            if any(i["split"] == split for i in items)
        },
        "nearest": {item_id: [faq_id, round(sim, 4)] for item_id, (faq_id, sim) in nearest.items()},
    }
    quality_faq.write_faq_report(summary, RESULTS)
    return {"splits": {}}


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "heldout", "both"], default="both")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", default="quality")
    parser.add_argument("--faq", action="store_true", help="measure course FAQ entries instead")
    args = parser.parse_args()
    summary = run_in_bench_workspace(run(args.split, args.limit, args.out, args.faq))
    for split, figures in summary["splits"].items():
        print(split, json.dumps(figures["targets"], indent=1))


if __name__ == "__main__":
    main()
