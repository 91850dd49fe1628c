"""Draft acceptance from the stored drafts of a scenario run: sent unchanged, edited, discarded.

The real app runs as in the scenario tests (signed HTTP in, fake Slack, embedded PostgreSQL,
the example course indexed). Twelve learners each ask a trainer for help with a different
question, so each gets a ticket; a trainer of the course presses *Draft reply* on every card and,
following a fixed script, sends the draft as written, edits it, turns it into an internal note
or closes the modal. The run is made twice: with a model (the fake OpenAI-compatible server,
whose draft names the first passage it was given) and offline (the closest course passage).
Acceptance is then read back from ``reply_drafts`` through the same query and the same line as
``/coach stats``. The trainer's choices are scripted, so the figures check that every outcome is
recorded and measured end to end, not how good the drafts are.

    .venv/bin/python bench/drafts_bench.py
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.workspace import run_in_bench_workspace  # noqa: E402
from bot.blocks.payloads import EscalationRef  # noqa: E402
from bot.blocks.stats import draft_acceptance_text  # noqa: E402
from bot.content.indexer import CourseIndexer  # noqa: E402
from bot.people.trainers import add_trainer  # noqa: E402
from store.database import Database, create_database, migrate  # noqa: E402
from store.embedded import async_url, start_embedded  # noqa: E402
from store.repositories.copilot import DraftRepository  # noqa: E402
from tests.fakes.llm import FakeLLM  # noqa: E402
from tests.fakes.llm_replies import ChatRequest  # noqa: E402
from tests.harness import BotHarness, reset_database, running_bot  # noqa: E402
from tests.scenario.test_commands import run  # noqa: E402
from tests.scenario.test_copilot_drafts import close, draft_input, drafts, open_draft, send  # noqa: E402
from tests.scenario.test_escalation_flow import escalations  # noqa: E402

RESULTS = ROOT / "bench" / "results"
COURSE = ROOT / "examples" / "python-course"
TRAINER = "U0BENCHTR"
TOPICS = [
    "slicing a list",
    "default arguments of a function",
    "reading a file line by line",
    "the difference between a tuple and a list",
    "what range() returns",
    "catching an exception",
    "list comprehensions",
    "dictionary keys",
    "string formatting with f-strings",
    "importing my own module",
    "while loops that never stop",
    "the break statement",
]
# What the trainer does with each ticket's draft, in turn.
SCRIPT = ["send", "send", "edit", "send", "discard", "edit", "send", "note", "send", "discard"]
_LABEL = re.compile(r"^\[(Day [^\]]+)\]$", re.MULTILINE)


def model_draft(request: ChatRequest) -> str:
    """The fake model: a draft that names the first passage it was given."""
    if "draft a reply that a human trainer" not in request.system:
        return json.dumps(
            {"answer": "See the course.", "used_chunk_ids": [], "intent": "course_content"}
        )
    found = _LABEL.search(request.prompt)
    where = found.group(1) if found else "the course"
    return f"Good question! This is explained in {where}: have a look and tell me if it helps."


async def scenario(bot: BotHarness) -> list[dict[str, Any]]:
    """Tickets, drafts and the scripted trainer; returns one row per draft."""
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    bot.slack.add_user(TRAINER, display_name="Trainer")
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    learners = [f"U0BENCH{i:02d}" for i in range(len(TOPICS))]
    await run(bot, "UADMIN", "enroll " + " ".join(f"<@{u}>" for u in learners) + " python")
    for learner, topic in zip(learners, TOPICS, strict=True):
        await bot.dm(learner, f"I want to talk to a trainer about {topic}")
    await bot.drain()
    rows: list[dict[str, Any]] = []
    for n, ticket in enumerate(await escalations(bot)):
        action = SCRIPT[n % len(SCRIPT)]
        ref = EscalationRef(escalation_id=ticket.id)
        _, view = await open_draft(bot, TRAINER, ref)
        text = str(draft_input(view).get("initial_value") or "")
        if action == "send":
            await send(bot, TRAINER, view, text)
        elif action == "edit":
            await send(bot, TRAINER, view, text + "\n\nShall we look at your code together?")
        elif action == "note":
            await send(bot, TRAINER, view, "note: the learner needs the lab first")
        else:
            await close(bot, TRAINER, view)
        rows.append({"ticket": ticket.ticket, "script": action, "draft_chars": len(text)})
    for row, stored in zip(rows, await drafts(bot), strict=True):
        row |= {"source": stored.source, "outcome": stored.outcome}
    return rows


async def one_run(db: Database, *, offline: bool) -> dict[str, Any]:
    await reset_database(db)
    async with FakeLLM() as llm:
        overrides: dict[str, Any] = (
            {
                "openai_api_key": None,
                "openai_base_url": None,
                "embedding_base_url": llm.base_url,
                "embedding_api_key": "test",
            }
            if offline
            else {}
        )
        llm.reply_with(model_draft)
        async with running_bot(db, llm=llm, **overrides) as bot:
            rows = await scenario(bot)
            async with bot.deps.sessions() as session:
                outcomes = await DraftRepository(session).outcomes()
    return {
        "mode": "offline" if offline else "model",
        "drafts": rows,
        "outcomes": outcomes,
        "line": draft_acceptance_text(tuple(sorted(outcomes.items()))),
        "sources": dict(Counter(str(r["source"]) for r in rows)),
    }


async def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="coachbot-draftbench-") as tmp:
        db = create_database(async_url(start_embedded(Path(tmp))), pool_size=10)
        try:
            await migrate(db)
            runs = [await one_run(db, offline=False), await one_run(db, offline=True)]
        finally:
            await db.close()
    return {"run_at": datetime.now(UTC).isoformat(timespec="seconds"), "runs": runs}


def write(results: dict[str, Any]) -> None:
    """Write drafts.json and drafts.md under bench/results."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "drafts.json").write_text(json.dumps(results, indent=2) + "\n")
    sections = []
    for result in results["runs"]:
        counts = result["outcomes"]
        total = sum(counts.values())
        sent = counts.get("sent_unchanged", 0) + counts.get("edited", 0)
        table = "\n".join(
            f"| ESC-{r['ticket']} | {r['source']} | {r['draft_chars']} | {r['script']} "
            f"| {r['outcome']} |"
            for r in result["drafts"]
        )
        sections.append(
            f"""## {result["mode"].capitalize()} drafts

{total} drafts: {counts.get("sent_unchanged", 0)} sent unchanged, {counts.get("edited", 0)}
edited, {counts.get("discarded", 0)} discarded; acceptance (sent, edited or not)
**{sent / total:.0%}**, as drafted {counts.get("sent_unchanged", 0) / total:.0%}. `/coach stats`
shows: {result["line"]}

| ticket | source | draft chars | trainer | stored outcome |
|---|---|---|---|---|
{table}
"""
        )
    body = "\n".join(sections)
    (RESULTS / "drafts.md").write_text(
        f"""# Draft acceptance

Run {results["run_at"]} with `bench/drafts_bench.py`: twelve tickets, each drafted once by a
trainer of the course, who follows the script {", ".join(SCRIPT)} (an internal `note:` counts as
edited: the trainer replaced the draft). The outcomes are read back from `reply_drafts`. The
script fixes what the trainer does, so these figures show that every outcome is stored and
measured through the card, the modal and `view_closed`, not how good the drafts are; run it on
real tickets' drafts (`/coach stats`) for that.

{body}"""
    )


if __name__ == "__main__":
    outcome = run_in_bench_workspace(main())
    write(outcome)
    print(
        json.dumps(
            [{k: v for k, v in r.items() if k != "drafts"} for r in outcome["runs"]], indent=2
        )
    )
