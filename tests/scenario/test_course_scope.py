"""Card buttons and card-thread replies are kept to the trainer's allocated courses."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EscalationRef
from bot.people.trainers import add_trainer
from store.models import AuditEvent, Course, Escalation, Message
from tests.harness import BotHarness
from tests.scenario.test_escalation_claims import ephemerals
from tests.scenario.test_escalation_flow import (
    TRAINER,
    TRAINERS,
    escalated_thread,
    escalations,
    learner_posts,
)

OUTSIDER = "U0JSTRAIN"  # a trainer allocated to another course
COLLEAGUE = "U0PYTRAIN2"  # a second trainer of the ticket's course


async def _two_courses(bot: BotHarness) -> tuple[str, Escalation, str]:
    root, escalation = await escalated_thread(bot)
    assert escalation.course_id is not None
    async with bot.deps.sessions.begin() as session:
        session.add(Course(slug="js", title="JavaScript"))
    await add_trainer(bot.deps, OUTSIDER, "js", actor="UADMIN")
    await add_trainer(bot.deps, COLLEAGUE, "python", actor="UADMIN")
    return root, escalation, EscalationRef(escalation_id=escalation.id).pack()


async def _refused(bot: BotHarness) -> list[tuple[str, str]]:
    async with bot.deps.sessions() as session:
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "refused").order_by(AuditEvent.id)
            )
        ).all()
    return [(e.actor_id, e.details["attempted"]) for e in events]


async def _resolve(bot: BotHarness, user: str, ref: str) -> None:
    await bot.submit_view(
        user,
        CallbackId.RESOLVE,
        {BlockId.RESOLUTION_NOTES: {BlockId.RESOLUTION_NOTES: {"value": "done"}}},
        private_metadata=ref,
    )
    await bot.drain()


async def test_a_trainer_of_another_course_cannot_claim_or_resolve(bot: BotHarness) -> None:
    _, _, ref = await _two_courses(bot)

    await bot.click(OUTSIDER, ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.click(OUTSIDER, ActionId.RESOLVE, ref, channel=TRAINERS)
    await bot.drain()
    await _resolve(bot, OUTSIDER, ref)

    [unchanged] = await escalations(bot)
    assert (unchanged.status, unchanged.assignee_id) == ("pending", None)
    assert bot.slack.calls_to("views.open") == []
    texts = ephemerals(bot)
    assert len(texts) == 2
    assert all("course you are not allocated to" in text for text in texts)
    assert texts[0].startswith("Sorry")
    assert await _refused(bot) == [
        (OUTSIDER, "claim escalations"),
        (OUTSIDER, "resolve escalations"),
        (OUTSIDER, "resolve escalations"),
    ]
    assert bot.slack.errors == []


async def test_a_trainer_of_another_course_cannot_message_its_learner(bot: BotHarness) -> None:
    root, escalation, _ = await _two_courses(bot)
    card_ts = str(escalation.card_ts)

    await bot.channel_reply(OUTSIDER, TRAINERS, card_ts, "Let me take this one!")
    await bot.drain()

    assert "Let me take this one" not in json.dumps([c.args for c in learner_posts(bot, root)])
    [refusal] = bot.slack.calls_to("chat.postEphemeral", lambda c: c.args["user"] == OUTSIDER)
    assert "course you are not allocated to" in refusal.args["text"]
    assert "not sent to the learner" in refusal.args["text"]
    [unchanged] = await escalations(bot)
    assert (unchanged.status, unchanged.assignee_id) == ("pending", None)
    async with bot.deps.sessions() as session:
        roles = (await session.scalars(select(Message.role))).all()
    assert "trainer" not in roles
    assert await _refused(bot) == [(OUTSIDER, "reply")]
    assert bot.slack.errors == []


async def test_only_the_owner_or_an_admin_resolves_a_claimed_ticket(bot: BotHarness) -> None:
    _, _, ref = await _two_courses(bot)
    await bot.click(TRAINER, ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.drain()

    await bot.click(COLLEAGUE, ActionId.RESOLVE, ref, channel=TRAINERS)
    await bot.drain()
    await _resolve(bot, COLLEAGUE, ref)
    [still] = await escalations(bot)
    assert (still.status, still.assignee_id) == ("in_progress", TRAINER)
    [text] = ephemerals(bot)
    assert f"claimed by <@{TRAINER}>" in text
    assert "only they or an admin" in text
    assert await _refused(bot) == [
        (COLLEAGUE, "resolve escalations"),
        (COLLEAGUE, "resolve escalations"),
    ]

    # The colleague may still help in the thread; the owner resolves.
    await bot.click(TRAINER, ActionId.RESOLVE, ref, channel=TRAINERS)
    await bot.drain()
    assert len(bot.slack.calls_to("views.open")) == 1
    await _resolve(bot, TRAINER, ref)
    [resolved] = await escalations(bot)
    assert (resolved.status, resolved.resolved_by) == ("resolved", TRAINER)
    assert bot.slack.errors == []


async def test_allocated_trainers_and_admins_may_act(bot: BotHarness) -> None:
    root, escalation, ref = await _two_courses(bot)
    await bot.channel_reply(COLLEAGUE, TRAINERS, str(escalation.card_ts), "Looking now.")
    await bot.drain()
    [claimed] = await escalations(bot)
    assert (claimed.status, claimed.assignee_id) == ("in_progress", COLLEAGUE)
    assert "Looking now." in json.dumps([c.args for c in learner_posts(bot, root)])

    # An admin resolves anyone's ticket, in any course.
    await _resolve(bot, "UADMIN", ref)
    [resolved] = await escalations(bot)
    assert (resolved.status, resolved.resolved_by) == ("resolved", "UADMIN")
    assert await _refused(bot) == []
    assert bot.slack.errors == []


async def test_any_trainer_works_on_an_escalation_without_a_course(bot: BotHarness) -> None:
    _, _, ref = await _two_courses(bot)
    async with bot.deps.sessions.begin() as session:
        await session.execute(update(Escalation).values(course_id=None))

    await bot.click(OUTSIDER, ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.drain()
    await _resolve(bot, OUTSIDER, ref)

    [resolved] = await escalations(bot)
    assert (resolved.status, resolved.assignee_id, resolved.resolved_by) == (
        "resolved",
        OUTSIDER,
        OUTSIDER,
    )
    assert await _refused(bot) == []
    assert bot.slack.errors == []
