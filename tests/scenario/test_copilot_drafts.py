"""Draft reply on a card, end to end in Slack: the trainer gets an editable draft at once.

A learner's uncovered question escalates. Kim, a trainer of the course who does not own the
ticket, presses "Draft reply": a "Drafting…" modal opens at once, she claims the ticket by
drafting, and a task fills the modal (views.update) with the model's draft written from the
thread and the course passages. Send relays it as her own reply, like a reply in the card's
thread: same audit, same ``note:`` rule. Every draft is stored with its outcome (sent unchanged,
edited, discarded by closing the modal), which `/coach stats` turns into draft acceptance.
Offline the draft is the closest course passage, marked as such.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import select

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import DraftForm, EscalationRef
from bot.content.indexer import CourseIndexer
from bot.people.trainers import add_trainer
from store.database import Database
from store.models import AuditEvent, Chunk, Course, ReplyDraft
from tests.fakes.llm import FakeLLM
from tests.fakes.llm_replies import ChatRequest
from tests.harness import TEAM_ID, BotHarness, reset_database, running_bot
from tests.scenario.test_answerability import always_sure
from tests.scenario.test_commands import run, shown
from tests.scenario.test_escalation_claims import ephemerals
from tests.scenario.test_escalation_flow import COURSE, TRAINERS, escalations

LEARNER = "U0LEARNA1"
JANE = "U0JANE001"
KIM = "U0KIM0001"
BOB = "U0BOB0001"
QUESTION = "How do I cancel an asyncio task that hangs forever?"
DRAFT = "Use asyncio.wait_for(task, timeout=5): it cancels the task after 5 seconds."


def drafting(request: ChatRequest) -> str:
    """The model: a fixed draft for draft requests, full grounding for learner answers."""
    if "draft a reply that a human trainer" in request.system:
        return DRAFT
    return always_sure(request)


async def setup(bot: BotHarness) -> EscalationRef:
    """The example course with Jane and Kim its trainers, Bob another course's; the learner's
    uncovered question escalates. Returns the card's button value."""
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    async with bot.deps.sessions.begin() as session:
        session.add(Course(slug="other", title="Another course"))
    for user, name in ((JANE, "Jane"), (KIM, "Kim"), (BOB, "Bob")):
        bot.slack.add_user(user, display_name=name)
    await add_trainer(bot.deps, JANE, "python", actor="UADMIN")
    await add_trainer(bot.deps, KIM, "python", actor="UADMIN")
    await add_trainer(bot.deps, BOB, "other", actor="UADMIN")
    await run(bot, "UADMIN", f"enroll <@{LEARNER}> python")
    await bot.dm(LEARNER, QUESTION)
    await bot.drain()
    [ticket] = await escalations(bot)
    return EscalationRef(escalation_id=ticket.id)


def as_dict(view: Any) -> dict[str, Any]:
    return json.loads(view) if isinstance(view, str) else dict(view)


async def open_draft(bot: BotHarness, user: str, ref: EscalationRef) -> tuple[str, dict[str, Any]]:
    """Press Draft reply: the modal opened at once and the draft shown in it (view id, view)."""
    opens = len(bot.slack.calls_to("views.open"))
    updates = len(bot.slack.calls_to("views.update"))
    status, _ = await bot.click(user, ActionId.DRAFT_REPLY, ref.pack(), channel=TRAINERS)
    assert status == 200
    [*_, opened] = await bot.slack.wait_for("views.open", count=opens + 1)
    first = as_dict(opened.args["view"])
    assert "Drafting a reply" in json.dumps(first)
    assert first["notify_on_close"] is True
    await bot.drain()
    [*_, updated] = await bot.slack.wait_for("views.update", count=updates + 1)
    view = as_dict(updated.args["view"])
    return str(updated.args["view_id"]), view


def draft_input(view: dict[str, Any]) -> dict[str, Any]:
    [element] = [b["element"] for b in view["blocks"] if b.get("block_id") == BlockId.DRAFT_TEXT]
    return dict(element)


async def send(bot: BotHarness, user: str, view: dict[str, Any], text: str) -> None:
    values = {BlockId.DRAFT_TEXT: {BlockId.DRAFT_TEXT: {"type": "plain_text_input", "value": text}}}
    status, body = await bot.submit_view(
        user, CallbackId.DRAFT_REPLY, values, private_metadata=view["private_metadata"]
    )
    assert status == 200
    assert "errors" not in body
    await bot.drain()


async def close(bot: BotHarness, user: str, view: dict[str, Any]) -> None:
    """The trainer closes the modal (Slack sends view_closed: notify_on_close is set)."""
    status, _ = await bot.interact(
        {
            "type": "view_closed",
            "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
            "view": {
                "id": "V0CLOSED",
                "type": "modal",
                "callback_id": CallbackId.DRAFT_REPLY,
                "private_metadata": view["private_metadata"],
                "hash": "1",
            },
            "is_cleared": False,
        }
    )
    assert status == 200
    await bot.drain()


async def drafts(bot: BotHarness) -> list[ReplyDraft]:
    async with bot.deps.sessions() as session:
        return list((await session.scalars(select(ReplyDraft).order_by(ReplyDraft.id))).all())


async def audit(bot: BotHarness) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with bot.deps.sessions() as session:
        rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.actor_id, e.details) for e in rows]


def learner_replies(bot: BotHarness) -> list[dict[str, Any]]:
    channel = bot.slack.dm_channel_id(LEARNER)
    return [
        c.args
        for c in bot.slack.calls_to("chat.postMessage")
        if c.args.get("channel") == channel and "(trainer)" in str(c.args.get("username"))
    ]


async def test_a_trainer_who_does_not_own_the_ticket_claims_it_by_drafting_and_sends_the_draft(
    bot: BotHarness,
) -> None:
    bot.llm.reply_with(drafting)
    ref = await setup(bot)

    view_id, view = await open_draft(bot, KIM, ref)
    [ticket] = await escalations(bot)
    assert (ticket.status, ticket.assignee_id) == ("in_progress", KIM)
    assert draft_input(view)["initial_value"] == DRAFT
    assert "AI draft" in json.dumps(view)
    assert view["private_metadata"] == DraftForm(draft_id=(await drafts(bot))[0].id).pack()
    [request] = [c for c in bot.llm.chat_calls if "human trainer" in c.system]
    assert QUESTION in request.prompt  # the thread and question
    assert "Day " in request.prompt  # course passages, by their location

    # Jane may not draft on Kim's ticket; Bob's course is another one.
    for user, refusal in ((JANE, f"claimed by <@{KIM}>"), (BOB, "not allocated to")):
        status, _ = await bot.click(user, ActionId.DRAFT_REPLY, ref.pack(), channel=TRAINERS)
        assert status == 200
        assert refusal in ephemerals(bot)[-1]
    assert sorted(who for a, who, _ in await audit(bot) if a == "refused") == sorted([JANE, BOB])

    await send(bot, KIM, view, DRAFT)
    [reply] = learner_replies(bot)
    assert DRAFT in reply["text"] + json.dumps(reply.get("blocks"))
    assert reply["username"] == "Kim (trainer)"
    [draft] = await drafts(bot)
    assert (draft.trainer_id, draft.outcome, draft.sent_text) == (KIM, "sent_unchanged", DRAFT)
    assert (draft.source, draft.view_id) == ("llm", view_id)
    actions = [(a, who) for a, who, _ in await audit(bot)]
    for step in ("draft_started", "claimed", "draft_written", "draft_sent", "relayed_to_learner"):
        assert (step, KIM) in actions
    card_thread = [m["text"] for m in bot.slack.messages(TRAINERS) if m.get("thread_ts")]
    assert any("sent a drafted reply" in text and "wait_for" in text for text in card_thread)
    assert bot.slack.errors == []


async def test_edited_internal_and_discarded_drafts_are_recorded_and_measured(
    bot: BotHarness,
) -> None:
    bot.llm.reply_with(drafting)
    ref = await setup(bot)
    await bot.click(JANE, ActionId.CLAIM, ref.pack(), channel=TRAINERS)

    _, view = await open_draft(bot, JANE, ref)
    await send(bot, JANE, view, DRAFT)
    _, view = await open_draft(bot, JANE, ref)
    edited = DRAFT + " Then handle the TimeoutError."
    await send(bot, JANE, view, edited)
    _, view = await open_draft(bot, JANE, ref)
    await send(bot, JANE, view, "note: checked the lab, it needs wait_for")
    _, view = await open_draft(bot, JANE, ref)
    await close(bot, JANE, view)
    await close(bot, JANE, view)  # a second close changes nothing

    outcomes = [(d.outcome, d.sent_text) for d in await drafts(bot)]
    assert outcomes == [
        ("sent_unchanged", DRAFT),
        ("edited", edited),
        ("edited", "note: checked the lab, it needs wait_for"),
        ("discarded", None),
    ]
    texts = [r["text"] for r in learner_replies(bot)]
    assert len(texts) == 2
    assert "TimeoutError" in texts[1]
    assert not any("checked the lab" in t for t in texts)  # the note stayed internal
    events = await audit(bot)
    assert [d["text"] for a, _, d in events if a == "internal_note"] == [
        "note: checked the lab, it needs wait_for"
    ]
    assert [a for a, _, _ in events].count("draft_discarded") == 1

    stats = shown(await run(bot, "UADMIN", "stats"))
    assert "Draft replies:* 4" in stats
    assert "1 sent unchanged, 2 edited, 1 discarded" in stats
    assert "75% sent, 25% as drafted" in stats
    assert bot.slack.errors == []


async def test_the_same_draft_sent_twice_at_once_is_relayed_once(bot: BotHarness) -> None:
    bot.llm.reply_with(drafting)
    ref = await setup(bot)
    _, view = await open_draft(bot, KIM, ref)
    values = {
        BlockId.DRAFT_TEXT: {BlockId.DRAFT_TEXT: {"type": "plain_text_input", "value": DRAFT}}
    }
    await asyncio.gather(
        *(
            bot.submit_view(
                KIM, CallbackId.DRAFT_REPLY, values, private_metadata=view["private_metadata"]
            )
            for _ in range(3)
        )
    )
    await bot.drain()
    assert len(learner_replies(bot)) == 1
    assert [d.outcome for d in await drafts(bot)] == ["sent_unchanged"]


async def test_offline_the_draft_is_the_closest_course_passage_marked_as_such(
    database: Database,
) -> None:
    await reset_database(database)
    async with (
        FakeLLM() as llm,
        running_bot(
            database,
            llm=llm,
            openai_api_key=None,
            openai_base_url=None,
            embedding_base_url=llm.base_url,
            embedding_api_key="test",
        ) as bot,
    ):
        assert bot.deps.llm is None
        ref = await setup(bot)
        _, view = await open_draft(bot, JANE, ref)
        assert "Offline draft: the closest course passage" in json.dumps(view)
        text = draft_input(view)["initial_value"]
        async with bot.deps.sessions() as session:
            passages = [c.text.strip() for c in (await session.scalars(select(Chunk))).all()]
        assert any(text.startswith(p[:200]) for p in passages)
        assert "(From Day" in text
        [draft] = await drafts(bot)
        assert draft.source == "offline"
        assert llm.chat_calls == []
        await send(bot, JANE, view, text)
        assert [d.outcome for d in await drafts(bot)] == ["sent_unchanged"]
        assert bot.slack.errors == []
