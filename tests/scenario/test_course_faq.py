"""A resolved ticket becomes a course FAQ entry the coach answers from, end to end in Slack.

Learner A asks what the course does not cover, and it escalates; the trainer claims, replies in
the card's thread and resolves with "Save as course FAQ" (question and answer prefilled from the
thread). Learner B then asks the same in other words and is answered from the entry, cited
"FAQ · answered by Jane", with no new ticket. A re-ingest keeps the entry; `/coach faq remove`
takes it away (so the next such question escalates again); a trainer of another course may not.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import select

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EscalationRef
from bot.content.indexer import CourseIndexer
from bot.people.trainers import add_trainer
from store.models import AuditEvent, Chunk, Course, FaqEntry
from tests.harness import BotHarness
from tests.scenario.test_answerability import always_sure
from tests.scenario.test_answers import answers_in
from tests.scenario.test_commands import run, shown
from tests.scenario.test_escalation_flow import COURSE, TRAINERS, escalations

LEARNER_A = "U0LEARNA1"
LEARNER_B = "U0LEARNB1"
JANE = "U0JANE001"
BOB = "U0BOB0001"
QUESTION_A = "How do I cancel an asyncio task that hangs forever?"
QUESTION_B = "how can I cancel my asyncio task when it hangs forever"
REPLY = (
    "Wrap it in asyncio.wait_for(task, timeout=5): after 5 seconds the task is cancelled and "
    "you get a TimeoutError to handle."
)


def view_inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block_id -> element of each input block of a modal."""
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def faq_values(question: str, answer: str, *, ticked: bool = True) -> dict[str, Any]:
    """The Resolve modal's state as Slack sends it."""
    option = {"text": {"type": "plain_text", "text": "Save as course FAQ"}, "value": "save"}
    return {
        BlockId.RESOLUTION_NOTES: {
            BlockId.RESOLUTION_NOTES: {"type": "plain_text_input", "value": "Explained wait_for"}
        },
        BlockId.FAQ_SAVE: {
            BlockId.FAQ_SAVE: {"type": "checkboxes", "selected_options": [option] if ticked else []}
        },
        BlockId.FAQ_QUESTION: {
            BlockId.FAQ_QUESTION: {"type": "plain_text_input", "value": question}
        },
        BlockId.FAQ_ANSWER: {BlockId.FAQ_ANSWER: {"type": "plain_text_input", "value": answer}},
    }


async def setup(bot: BotHarness) -> None:
    """The example course (and a second one for Bob), Jane its trainer, a model that always
    claims full grounding: only the course's signals decide what is posted."""
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    async with bot.deps.sessions.begin() as session:
        session.add(Course(slug="other", title="Another course"))
    bot.slack.add_user(JANE, display_name="Jane")
    bot.slack.add_user(BOB, display_name="Bob")
    await add_trainer(bot.deps, JANE, "python", actor="UADMIN")
    await add_trainer(bot.deps, BOB, "other", actor="UADMIN")
    await run(bot, "UADMIN", f"enroll <@{LEARNER_A}> <@{LEARNER_B}> python")
    bot.llm.reply_with(always_sure)


async def open_resolve_modal(bot: BotHarness, ref: str) -> dict[str, Any]:
    before = len(bot.slack.calls_to("views.open"))
    status, _ = await bot.click(JANE, ActionId.RESOLVE, ref, channel=TRAINERS)
    assert status == 200
    opened = await bot.slack.wait_for("views.open", count=before + 1)
    view = opened[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


async def save_faq_from_a_ticket(bot: BotHarness) -> int:
    """Learner A's uncovered question escalates; Jane answers it and saves it as an FAQ."""
    await bot.dm(LEARNER_A, QUESTION_A)
    await bot.drain()
    [ticket] = await escalations(bot)
    assert [t["kind"] for t in ticket.triggers] == ["low_confidence"]
    ref = EscalationRef(escalation_id=ticket.id).pack()
    await bot.click(JANE, ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.channel_reply(JANE, TRAINERS, str(ticket.card_ts), REPLY)
    await bot.drain()

    view = await open_resolve_modal(bot, ref)
    inputs = view_inputs(view)
    assert inputs[BlockId.FAQ_SAVE]["type"] == "checkboxes"
    assert inputs[BlockId.FAQ_QUESTION]["initial_value"] == QUESTION_A
    assert inputs[BlockId.FAQ_ANSWER]["initial_value"] == REPLY
    status, body = await bot.submit_view(
        JANE,
        CallbackId.RESOLVE,
        faq_values(QUESTION_A, REPLY),
        private_metadata=view["private_metadata"],
    )
    assert status == 200
    assert "errors" not in body
    await bot.drain()
    [ticket] = await escalations(bot)
    assert ticket.status == "resolved"
    async with bot.deps.sessions() as session:
        [entry] = (await session.scalars(select(FaqEntry))).all()
    assert (entry.question, entry.answer, entry.answered_by) == (QUESTION_A, REPLY, JANE)
    assert entry.published_at is not None
    return entry.id


async def ask_b(bot: BotHarness) -> tuple[int, list[Any]]:
    """Learner B asks A's question in other words: the tickets and B's answers afterwards."""
    channel = bot.slack.dm_channel_id(LEARNER_B)
    await bot.dm(LEARNER_B, QUESTION_B)
    await bot.drain()
    return len(await escalations(bot)), answers_in(bot, channel)


async def audit(bot: BotHarness) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with bot.deps.sessions() as session:
        rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.actor_id, e.details) for e in rows]


async def test_a_saved_faq_answers_the_same_question_asked_in_other_words(
    bot: BotHarness,
) -> None:
    await setup(bot)
    entry_id = await save_faq_from_a_ticket(bot)

    tickets, answers = await ask_b(bot)
    assert tickets == 1  # no new escalation
    [answer] = answers
    assert "FAQ · answered by Jane" in shown(answer.args)
    [prompt] = [c.prompt for c in bot.llm.chat_calls if QUESTION_B in c.prompt]
    assert "FAQ · answered by Jane" in prompt
    assert "wait_for" in prompt
    saved = [(a, who) for a, who, d in await audit(bot) if d.get("faq_id") == entry_id]
    assert saved == [("faq_saved", JANE)]

    listed = await run(bot, JANE, "faq python")
    assert f"#{entry_id}" in shown(listed)
    assert "asyncio task" in shown(listed)
    assert "answered by Jane" in shown(listed)

    # Re-ingesting the course folder (which has no such file) keeps the entry's chunk.
    result = await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
    assert result.removed == 0
    async with bot.deps.sessions() as session:
        faq_chunks = (await session.scalars(select(Chunk).where(Chunk.source_path == "faq"))).all()
    assert [c.anchor for c in faq_chunks] == [f"faq-{entry_id}"]
    assert bot.slack.errors == []


async def test_removing_the_faq_makes_the_question_escalate_again_and_only_its_trainers_may(
    bot: BotHarness,
) -> None:
    await setup(bot)
    entry_id = await save_faq_from_a_ticket(bot)

    hidden = await run(bot, BOB, "faq python")
    assert "not allocated to" in shown(hidden)
    assert "asyncio" not in shown(hidden)
    refused = await run(bot, BOB, f"faq remove {entry_id}")
    assert "only *python*'s trainers or an admin" in shown(refused)
    refusals = [(who, d) for a, who, d in await audit(bot) if a == "refused"]
    assert refusals == [(BOB, {"attempted": "remove FAQ entry", "faq_id": entry_id})]

    removed = await run(bot, JANE, f"faq remove #{entry_id}")
    assert f"Removed FAQ #{entry_id}" in shown(removed)
    assert ("faq_removed", JANE) in [(a, who) for a, who, _ in await audit(bot)]
    async with bot.deps.sessions() as session:
        assert (await session.scalars(select(Chunk).where(Chunk.source_path == "faq"))).all() == []

    tickets, answers = await ask_b(bot)
    assert tickets == 2
    assert answers == []
    empty = await run(bot, JANE, "faq python")
    assert "no FAQ entries yet" in shown(empty)
    assert bot.slack.errors == []


async def test_a_ticked_box_without_an_answer_gets_an_inline_error(bot: BotHarness) -> None:
    await setup(bot)
    await bot.dm(LEARNER_A, QUESTION_A)
    await bot.drain()
    [ticket] = await escalations(bot)
    ref = EscalationRef(escalation_id=ticket.id).pack()
    view = await open_resolve_modal(bot, ref)
    # No trainer reply in the thread yet: the answer starts empty.
    assert "initial_value" not in view_inputs(view)[BlockId.FAQ_ANSWER]

    status, body = await bot.submit_view(
        JANE,
        CallbackId.RESOLVE,
        faq_values(QUESTION_A, ""),
        private_metadata=view["private_metadata"],
    )
    assert status == 200
    reply = json.loads(body)
    assert reply["response_action"] == "errors"
    assert "no answer yet" in reply["errors"][BlockId.FAQ_ANSWER]
    [ticket] = await escalations(bot)
    assert ticket.status == "pending"  # nothing happened: the modal stays open
    async with bot.deps.sessions() as session:
        assert (await session.scalars(select(FaqEntry))).all() == []
    assert bot.slack.errors == []


async def test_a_form_submitted_twice_at_once_saves_one_entry(bot: BotHarness) -> None:
    await setup(bot)
    await bot.dm(LEARNER_A, QUESTION_A)
    await bot.drain()
    [ticket] = await escalations(bot)
    ref = EscalationRef(escalation_id=ticket.id).pack()
    await bot.click(JANE, ActionId.CLAIM, ref, channel=TRAINERS)
    view = await open_resolve_modal(bot, ref)
    # A double click on Submit, or two tabs: both submissions arrive before either resolves.
    submissions = [
        bot.submit_view(
            JANE,
            CallbackId.RESOLVE,
            faq_values(QUESTION_A, REPLY),
            private_metadata=view["private_metadata"],
        )
        for _ in range(2)
    ]
    for status, _ in await asyncio.gather(*submissions):
        assert status == 200
    await bot.drain()
    async with bot.deps.sessions() as session:
        entries = (await session.scalars(select(FaqEntry))).all()
        faq_chunks = (await session.scalars(select(Chunk).where(Chunk.source_path == "faq"))).all()
    assert len(entries) == 1
    assert len(faq_chunks) == 1
    saved = [a for a, _, _ in await audit(bot) if a == "faq_saved"]
    assert saved == ["faq_saved"]
