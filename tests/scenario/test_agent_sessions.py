"""The learner's agent session follows the answer and the ticket, has a title, and can be stopped.

Status: ``processing`` while the coach answers, ``active`` after; ``suspended`` when a trainer
claims the thread, ``closed`` when the ticket is resolved, ``active`` again when it reopens.
Every status call is best effort: when Slack refuses it, the "eyes" reaction is the sign of life
and the failure is logged once per process. Slack's stop button cancels the model call, and
nothing more is posted for that message, even when its task runs again.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from bot.blocks.agent_session import MAX_TITLE, RENAME, SET_STATUS
from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EscalationRef
from bot.content.indexer import CourseIndexer
from bot.people.enrolment import enrol_learners
from store.models import Course, Escalation, Query, Response, SessionStop
from tests.fakes.llm import ChatRequest
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import TRAINER, TRAINERS, escalated_thread, escalations

LEARNER = "U0LEARN01"
LAB = (
    "# Lab 2.1 — FizzBuzz\n\n## Exercise 1\n\n"
    "Write `fizzbuzz(n)` that prints the numbers 1 to n, Fizz for multiples of three, Buzz for "
    "multiples of five and FizzBuzz for multiples of both.\n"
)
CHAPTER = (
    "# Lists\n\nA list holds items in order. `append` adds an item to the end of a list, and "
    "`len` counts its items.\n"
)
_PASSAGE_ID = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


async def seed_course(bot: BotHarness, tmp_path: Path) -> None:
    """A small course with one chapter and one lab, the learner enrolled in it."""
    course = tmp_path / "course"
    folder = course / "day-2-control-flow"
    folder.mkdir(parents=True)
    (folder / "01-lists.md").write_text(CHAPTER, encoding="utf-8")
    (folder / "lab-1-fizzbuzz.md").write_text(LAB, encoding="utf-8")
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(
        course, "python", title="Python Foundations"
    )
    async with bot.deps.sessions.begin() as session:
        await enrol_learners(session, [LEARNER], "python", by="UADMIN")
        # A tiny course: its answers are confident enough to post, whatever the fake embeddings.
        await session.execute(update(Course).values(confidence_threshold=0.0))


def cite_lab(request: ChatRequest) -> str:
    """A confident model answer citing the lab's passage (or the first one it was shown)."""
    passages = {
        int(found.group(1)): request.prompt[found.end() : found.end() + 200]
        for found in _PASSAGE_ID.finditer(request.prompt)
    }
    lab = [pid for pid, body in passages.items() if "FizzBuzz" in body or "Lab 2.1" in body]
    return json.dumps(
        {
            "answer": "Check `n % 15` first, then three, then five.",
            "used_chunk_ids": (lab or list(passages))[:1],
            "intent": "course_content",
            "grounded": True,
            "grounding_score": 0.97,
            "lab_id": None,
        }
    )


def statuses(bot: BotHarness, thread_ts: str) -> list[str]:
    """The session statuses Slack accepted for the learner's thread, in order."""
    return [c.args["status"] for c in status_calls(bot, thread_ts)]


def status_calls(bot: BotHarness, thread_ts: str) -> list[RecordedCall]:
    channel = bot.slack.dm_channel_id(LEARNER)
    return bot.slack.calls_to(
        SET_STATUS,
        lambda c: c.args["channel_id"] == channel and c.args["thread_ts"] == thread_ts,
    )


def answers(bot: BotHarness, thread_ts: str) -> list[RecordedCall]:
    """Answer messages (with the feedback buttons) posted in the learner's thread."""
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("thread_ts") == thread_ts and ActionId.FEEDBACK_HELPFUL in str(c.args),
    )


def posts_in(bot: BotHarness, thread_ts: str) -> list[RecordedCall]:
    """Everything the bot posted in the learner's thread."""
    channel = bot.slack.dm_channel_id(LEARNER)
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == channel and c.args.get("thread_ts") == thread_ts,
    )


def stopped_event(bot: BotHarness, thread_ts: str, **fields: object) -> dict[str, object]:
    """``agent_session_stopped`` shaped as Slack's reference page for the event shows it."""
    return {
        "type": "agent_session_stopped",
        "channel": bot.slack.dm_channel_id(LEARNER),
        "thread_ts": thread_ts,
        "user": LEARNER,
        "streaming_message_ts": [],
        "event_ts": bot.next_ts(),
        **fields,
    }


async def test_an_answer_shows_processing_then_active_and_titles_the_thread_once(
    bot: BotHarness, tmp_path: Path
) -> None:
    await seed_course(bot, tmp_path)
    bot.llm.reply_with(cite_lab)

    root = await bot.dm(LEARNER, "How should I start the FizzBuzz lab?")
    await bot.drain()
    await bot.dm(LEARNER, "And what does n % 15 check in FizzBuzz?", thread_ts=root)
    await bot.drain()

    assert statuses(bot, root) == ["processing", "active", "processing", "active"]
    [first, _second] = answers(bot, root)
    processing, active = status_calls(bot, root)[:2]
    [chat] = bot.llm.chat_calls[:1]
    assert processing.at <= chat.at <= active.at <= first.at
    [rename] = bot.slack.calls_to(RENAME)
    assert rename.args["thread_ts"] == root
    assert rename.args["title"] == "Lab 2.1 · FizzBuzz"
    assert first.at <= rename.at
    session = bot.slack.workspace.agent_sessions[(bot.slack.dm_channel_id(LEARNER), root)]
    assert (session["status"], session["title"]) == ("active", "Lab 2.1 · FizzBuzz")
    # The reaction the DM got on arrival was cleared once it was answered.
    assert bot.slack.reactions(bot.slack.dm_channel_id(LEARNER), root) == []
    assert bot.slack.errors == []


async def test_a_question_outside_any_lab_is_titled_from_its_words(
    bot: BotHarness, tmp_path: Path
) -> None:
    await seed_course(bot, tmp_path)
    # A model answer that cites no passage: the thread is named after the question.
    bot.llm.reply_with(
        json.dumps(
            {
                "answer": "They differ in what they hold.",
                "used_chunk_ids": [],
                "intent": "course_content",
                "grounded": True,
                "grounding_score": 0.9,
                "lab_id": None,
            }
        )
    )

    question = "what is the difference between " + "a very long question " * 20
    root = await bot.dm(LEARNER, question)
    await bot.drain()

    [rename] = bot.slack.calls_to(RENAME)
    title = rename.args["title"]
    assert title.startswith("what is the difference between")
    assert title.endswith("…")
    assert len(title) <= min(MAX_TITLE, 60)
    assert rename.args["thread_ts"] == root


async def test_when_slack_refuses_the_status_the_reaction_shows_instead_and_one_warning(
    bot: BotHarness, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await seed_course(bot, tmp_path)
    bot.llm.reply_with(cite_lab)
    caplog.set_level(logging.INFO)
    channel = bot.slack.dm_channel_id(LEARNER)
    # The first thread's status calls get a 429, the second's a workspace without the feature.
    bot.slack.inject(SET_STATUS, status=429, retry_after=30, times=1)

    first = await bot.dm(LEARNER, "How should I start the FizzBuzz lab?")
    await bot.drain()
    bot.slack.inject(SET_STATUS, error="feature_disabled", times=10)
    second = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()

    for root in (first, second):
        assert len(answers(bot, root)) == 1  # answered all the same
        added = bot.slack.calls_to("reactions.add", lambda c, r=root: c.args["timestamp"] == r)
        removed = bot.slack.calls_to("reactions.remove", lambda c, r=root: c.args["timestamp"] == r)
        assert [c.args["name"] for c in added] == ["eyes"]
        assert [c.args["name"] for c in removed] == ["eyes"]
        assert added[0].at <= answers(bot, root)[0].at
    assert bot.slack.reactions(channel, first) == []
    warnings = [
        r for r in caplog.records if r.levelno == logging.WARNING and SET_STATUS in r.getMessage()
    ]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "429" in warnings[0].getMessage() or "ratelimited" in warnings[0].getMessage()
    # The title could not be set either (no session): dropped, not failed, and no admin alerted.
    async with bot.deps.db.engine.connect() as conn:
        failed = (
            await conn.execute(text("SELECT count(*) FROM tasks WHERE status = 'failed'"))
        ).scalar_one()
    assert failed == 0
    assert bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == "UADMIN") == []


async def test_the_session_follows_the_ticket_claim_resolve_reopen(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    ref = EscalationRef(escalation_id=escalation.id).pack()
    assert statuses(bot, root) == []  # escalated before any answer: nothing to show yet

    await bot.click(TRAINER, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts)
    await bot.drain()
    assert statuses(bot, root) == ["suspended"]

    notes = {"value": "Explained it on a call."}
    await bot.submit_view(
        TRAINER,
        CallbackId.RESOLVE,
        {BlockId.RESOLUTION_NOTES: {BlockId.RESOLUTION_NOTES: notes}},
        private_metadata=ref,
    )
    await bot.drain()
    assert statuses(bot, root) == ["suspended", "closed"]

    await bot.dm(LEARNER, "Sorry, it broke again", thread_ts=root)
    await bot.drain()
    [reopened] = await escalations(bot)
    assert reopened.status == "reopened"
    assert statuses(bot, root) == ["suspended", "closed", "active"]
    session = bot.slack.workspace.agent_sessions[(bot.slack.dm_channel_id(LEARNER), root)]
    assert session["history"] == ["suspended", "closed", "active"]
    # Each status went out after the learner's notice of the same change was enqueued, in the
    # thread's order: the claimed notice and the suspended status are both in the thread.
    texts = [c.args["text"] for c in posts_in(bot, root)]
    assert any("is looking at" in t for t in texts)
    assert bot.slack.errors == []


async def test_stop_cancels_the_model_call_and_nothing_is_posted_even_on_a_rerun(
    bot: BotHarness, tmp_path: Path
) -> None:
    await seed_course(bot, tmp_path)
    bot.llm.reply_with(cite_lab)
    bot.llm.latency = 30.0  # a slow model: the stop arrives while it is still thinking

    root = await bot.dm(LEARNER, "How should I start the FizzBuzz lab?")
    await bot.llm.wait_for_chat()
    await bot.slack.wait_for(SET_STATUS, lambda c: c.args["status"] == "processing")
    status, _ = await bot.send_event(stopped_event(bot, root))
    assert status == 200
    [abandoned] = await bot.llm.wait_for_abandoned()
    await bot.drain()

    assert "FizzBuzz" in abandoned.last_user_message
    assert posts_in(bot, root) == []  # no answer, no escalation notice, no apology
    assert await escalations(bot) == []
    assert statuses(bot, root) == ["processing", "active"]
    async with bot.deps.sessions() as session:
        [stop] = (await session.scalars(select(SessionStop))).all()
        assert stop.message_id is not None
        assert (await session.scalars(select(Query))).all() == []
        assert (await session.scalars(select(Response))).all() == []
        result = (
            await session.execute(
                text("SELECT result FROM tasks WHERE kind = 'learner.message' AND status = 'done'")
            )
        ).scalar_one()
    assert result == {"stopped": True}

    # The task runs again (a crash, a retry): the stopped message is still not answered.
    bot.llm.latency = 0.0
    async with bot.deps.sessions.begin() as session:
        await session.execute(
            text(
                "UPDATE tasks SET status = 'pending', run_at = now(), finished_at = NULL, "
                "locked_by = NULL, locked_until = NULL WHERE kind = 'learner.message'"
            )
        )
    await bot.drain()
    assert len(bot.llm.chat_calls) == 1
    assert posts_in(bot, root) == []

    # The learner asks again: a new question is answered as usual.
    await bot.dm(LEARNER, "How should I start the FizzBuzz lab, then?", thread_ts=root)
    await bot.drain()
    assert len(answers(bot, root)) == 1
    assert bot.slack.errors == []


async def test_stops_for_other_threads_people_or_channels_and_idle_stops_are_harmless(
    bot: BotHarness, tmp_path: Path
) -> None:
    await seed_course(bot, tmp_path)
    bot.llm.reply_with(cite_lab)
    earlier = await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()
    # A stop with nothing running (the answer is already in) does nothing.
    await bot.send_event(stopped_event(bot, earlier))
    bot.llm.latency = 1.0

    root = await bot.dm(LEARNER, "How should I start the FizzBuzz lab?")
    await bot.llm.wait_for_chat(lambda c: "FizzBuzz" in c.last_user_message)
    for forged in (
        stopped_event(bot, earlier),  # another thread of the same learner
        stopped_event(bot, "1799999999.000100"),  # a thread the bot never saw
        stopped_event(bot, root, channel="D0UNKNOWN1"),  # a channel the bot is not in
        stopped_event(bot, root, user="U0SOMEONE"),  # somebody else
        {**stopped_event(bot, root), "thread_ts": None},  # a session channel: no thread
    ):
        status, _ = await bot.send_event({k: v for k, v in forged.items() if v is not None})
        assert status == 200
    await bot.drain()

    assert len(answers(bot, root)) == 1
    assert len(answers(bot, earlier)) == 1
    assert bot.llm.abandoned_calls == []
    async with bot.deps.sessions() as session:
        stops = (await session.scalars(select(SessionStop))).all()
        escalated = (await session.scalars(select(Escalation))).all()
    # Only the two stops of the learner's own known thread were kept, and they stopped nothing.
    assert len(stops) == 2
    assert all(stop.message_id is None for stop in stops)
    assert escalated == []
    assert bot.slack.errors == []


async def test_a_ticket_status_slack_keeps_refusing_is_dropped_without_failing_or_alerting(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    root, escalation = await escalated_thread(bot)
    ref = EscalationRef(escalation_id=escalation.id).pack()
    caplog.set_level(logging.INFO)
    bot.slack.inject(SET_STATUS, status=500, times=10)

    await bot.click(TRAINER, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts)
    await bot.drain()
    bot.slack.clear_faults()
    bot.slack.inject(SET_STATUS, status=429, retry_after=60, times=1)
    notes = {"value": "Explained it on a call."}
    await bot.submit_view(
        TRAINER,
        CallbackId.RESOLVE,
        {BlockId.RESOLUTION_NOTES: {BlockId.RESOLUTION_NOTES: notes}},
        private_metadata=ref,
    )
    await bot.drain()

    async with bot.deps.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT status, attempts, result FROM tasks "
                    "WHERE payload->>'method' = :method ORDER BY id"
                ),
                {"method": SET_STATUS},
            )
        ).all()
    # A server error is retried briefly, then dropped; a long Retry-After is not waited out.
    assert [(r.status, r.attempts) for r in rows] == [("done", 3), ("done", 1)]
    assert all("dropped" in r.result for r in rows)
    assert statuses(bot, root) == []
    # The learner still heard about both, in order; nobody was alerted about a status.
    texts = [c.args["text"] for c in posts_in(bot, root)]
    assert any("is looking at" in t for t in texts)
    assert any("as resolved" in t for t in texts)
    assert bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == "UADMIN") == []
    warnings = [
        r for r in caplog.records if r.levelno >= logging.WARNING and SET_STATUS in r.getMessage()
    ]
    assert len(warnings) == 1
