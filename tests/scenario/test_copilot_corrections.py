"""Correct the AI, end to end in Slack: a corrected answer teaches the coach for that question.

A learner's question gets an AI answer that escalates. Jane, a trainer of the course, presses
"Correct the AI" on the card and writes the right answer: it is stored against the AI response
with the passages that answer cited, shown on the card and audited. Resolving the ticket with
"Save as course FAQ" starts from the correction, and for a question matching that FAQ entry the
wrong answer's passage is no longer the first passage after the FAQ. A trainer of another
course may not correct.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EscalationRef
from bot.coach.retrieval import Retriever
from bot.coach.types import RetrievedChunk
from store.models import AiCorrection, FaqEntry
from tests.harness import BotHarness
from tests.scenario.test_copilot_drafts import as_dict, audit
from tests.scenario.test_course_faq import (
    BOB,
    JANE,
    LEARNER_A,
    LEARNER_B,
    QUESTION_A,
    QUESTION_B,
    faq_values,
    open_resolve_modal,
    setup,
    view_inputs,
)
from tests.scenario.test_escalation_claims import ephemerals
from tests.scenario.test_escalation_flow import TRAINERS, escalations

CORRECTION = (
    "Use asyncio.wait_for(task, timeout=5): the task is cancelled after 5 seconds and you get "
    "a TimeoutError to handle."
)


def correction_values(text: str, note: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        BlockId.CORRECTION_TEXT: {
            BlockId.CORRECTION_TEXT: {"type": "plain_text_input", "value": text}
        },
    }
    if note is not None:
        values[BlockId.CORRECTION_NOTE] = {
            BlockId.CORRECTION_NOTE: {"type": "plain_text_input", "value": note}
        }
    return values


async def retrieve(bot: BotHarness, course_id: int, question: str) -> list[RetrievedChunk]:
    return await Retriever(bot.deps.sessions, bot.deps.embedder).retrieve(
        course_id, question, bot.deps.settings.retrieval_top_k
    )


def latest_card(bot: BotHarness) -> str:
    updates = bot.slack.calls_to("chat.update", lambda c: c.args.get("channel") == TRAINERS)
    return json.dumps(updates[-1].args.get("blocks"))


async def test_a_correction_is_shown_prefills_the_faq_and_demotes_the_wrong_passage(
    bot: BotHarness,
) -> None:
    await setup(bot)
    await bot.dm(LEARNER_A, QUESTION_A)
    await bot.drain()
    [ticket] = await escalations(bot)
    assert ticket.ai_answer
    assert ticket.response_id is not None
    assert ticket.course_id is not None
    wrong = [int(r["chunk_id"]) for r in ticket.references]
    assert wrong
    ref = EscalationRef(escalation_id=ticket.id).pack()
    card = bot.slack.messages(TRAINERS)[0]
    assert ActionId.CORRECT_AI in json.dumps(card["blocks"])
    # Before any correction, the passage the wrong answer cited is what the question finds first.
    before = await retrieve(bot, ticket.course_id, QUESTION_A)
    assert before[0].chunk_id in wrong

    # A trainer of another course may not correct it.
    status, _ = await bot.click(BOB, ActionId.CORRECT_AI, ref, channel=TRAINERS)
    assert status == 200
    assert "not allocated to" in ephemerals(bot)[-1]

    opens = len(bot.slack.calls_to("views.open"))
    await bot.click(JANE, ActionId.CORRECT_AI, ref, channel=TRAINERS)
    [*_, opened] = await bot.slack.wait_for("views.open", count=opens + 1)
    modal = as_dict(opened.args["view"])
    assert modal["callback_id"] == CallbackId.CORRECT_AI
    assert BlockId.CORRECTION_TEXT in view_inputs(modal)
    _, body = await bot.submit_view(
        JANE,
        CallbackId.CORRECT_AI,
        correction_values(""),
        private_metadata=modal["private_metadata"],
    )
    assert BlockId.CORRECTION_TEXT in body  # an inline error, nothing stored
    status, body = await bot.submit_view(
        JANE,
        CallbackId.CORRECT_AI,
        correction_values(CORRECTION, "The course has no asyncio chapter"),
        private_metadata=modal["private_metadata"],
    )
    assert status == 200
    assert "errors" not in body
    await bot.drain()

    async with bot.deps.sessions() as session:
        [stored] = (await session.scalars(select(AiCorrection))).all()
    assert (stored.response_id, stored.trainer_id, stored.correction) == (
        ticket.response_id,
        JANE,
        CORRECTION,
    )
    assert stored.note == "The course has no asyncio chapter"
    assert stored.chunk_ids == wrong
    shown = latest_card(bot)
    assert f"AI answer corrected by <@{JANE}>" in shown
    assert "wait_for(task, timeout=5)" in shown
    corrected = [(who, d) for a, who, d in await audit(bot) if a == "ai_corrected"]
    assert corrected == [
        (
            JANE,
            {"correction_id": stored.id, "response_id": ticket.response_id, "chunk_ids": wrong},
        )
    ]

    # Resolving with "Save as course FAQ" starts from the correction.
    view = await open_resolve_modal(bot, ref)
    assert view_inputs(view)[BlockId.FAQ_ANSWER]["initial_value"] == CORRECTION
    await bot.submit_view(
        JANE,
        CallbackId.RESOLVE,
        faq_values(QUESTION_A, CORRECTION),
        private_metadata=view["private_metadata"],
    )
    await bot.drain()
    async with bot.deps.sessions() as session:
        [entry] = (await session.scalars(select(FaqEntry))).all()
    assert entry.answer == CORRECTION
    assert entry.demoted_chunk_ids == wrong

    # For a question matching the entry, the FAQ comes first and the wrong passage no longer
    # comes right after it (it goes after every other passage).
    for question in (QUESTION_A, QUESTION_B):
        after = await retrieve(bot, ticket.course_id, question)
        assert after[0].location.is_faq
        assert after[1].chunk_id not in wrong
        later = [c.chunk_id for c in after[1:]]
        assert all(later.index(w) == len(later) - 1 for w in wrong if w in later)

    # Learner B is answered from the FAQ, and the wrong passage is not the first one cited
    # after it in the model's prompt.
    await bot.dm(LEARNER_B, QUESTION_B)
    await bot.drain()
    [prompt] = [c.prompt for c in bot.llm.chat_calls if QUESTION_B in c.prompt]
    assert "wait_for" in prompt
    passages = [int(found) for found in re.findall(r"^\[(\d+)\] ", prompt, re.MULTILINE)]
    assert passages[0] == after[0].chunk_id  # the FAQ entry
    assert passages[1] not in wrong
    assert len(await escalations(bot)) == 1
    assert bot.slack.errors == []


async def test_a_ticket_the_ai_did_not_answer_has_nothing_to_correct(bot: BotHarness) -> None:
    await setup(bot)
    await bot.dm(LEARNER_A, "I want to talk to a human please")
    await bot.drain()
    [ticket] = await escalations(bot)
    assert ticket.ai_answer is None
    card = bot.slack.messages(TRAINERS)[0]
    assert ActionId.CORRECT_AI not in json.dumps(card["blocks"])
    ref = EscalationRef(escalation_id=ticket.id).pack()
    status, _ = await bot.click(JANE, ActionId.CORRECT_AI, ref, channel=TRAINERS)
    assert status == 200
    assert "nothing to correct" in ephemerals(bot)[-1]
