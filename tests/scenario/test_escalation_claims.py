"""Who may act on a card, and races: one owner out of twenty clicks, refusals change nothing."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EscalationRef
from bot.people.trainers import add_trainer, remove_trainer
from store.models import AuditEvent
from tests.harness import BotHarness
from tests.scenario.test_escalation_flow import (
    LEARNER,
    TRAINER,
    TRAINERS,
    audit_actions,
    dismiss_as_duplicate,
    escalated_thread,
    escalations,
    learner_posts,
    thread_posts,
)


def ephemerals(bot: BotHarness) -> list[str]:
    """Texts shown only to the clicker (through response_url)."""
    return [str(c.args.get("text")) for c in bot.slack.calls_to("response_url")]


async def test_twenty_simultaneous_claims_give_one_owner(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    trainers = [f"U0CLAIM{n:02d}" for n in range(20)]
    for trainer in trainers:
        await add_trainer(bot.deps, trainer, "python", actor="UADMIN")
    ref = EscalationRef(escalation_id=escalation.id).pack()

    results = await asyncio.gather(
        *(
            bot.click(t, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts)
            for t in trainers
        )
    )
    await bot.drain()

    assert all(status == 200 for status, _ in results)
    [claimed] = await escalations(bot)
    assert claimed.status == "in_progress"
    assert claimed.assignee_id in trainers
    refusals = ephemerals(bot)
    assert len(refusals) == 19
    assert all(f"already claimed by <@{claimed.assignee_id}>" in text for text in refusals)
    assert (await audit_actions(bot)).count("claimed") == 1
    looking = [c for c in learner_posts(bot, root) if "is looking at" in c.args["text"]]
    assert len(looking) == 1
    assert f"<@{claimed.assignee_id}>" in looking[0].args["text"]
    card = bot.slack.messages(TRAINERS)[0]
    assert f"<@{claimed.assignee_id}>" in json.dumps(card["blocks"])
    assert ActionId.CLAIM not in json.dumps(card["blocks"])
    assert bot.slack.errors == []


async def test_a_non_trainer_cannot_claim_resolve_or_reassign(bot: BotHarness) -> None:
    _, escalation = await escalated_thread(bot)
    ref = EscalationRef(escalation_id=escalation.id).pack()

    await bot.click("U0RANDOM1", ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.click("U0RANDOM1", ActionId.RESOLVE, ref, channel=TRAINERS)
    await bot.click("U0TRAIN01", ActionId.REASSIGN, ref, channel=TRAINERS)  # trainer, not admin
    await bot.drain()

    [unchanged] = await escalations(bot)
    assert (unchanged.status, unchanged.assignee_id) == ("pending", None)
    assert bot.slack.calls_to("views.open") == []
    texts = ephemerals(bot)
    assert "only trainers can claim escalations" in texts[0]
    assert "only trainers can resolve escalations" in texts[1]
    assert "only an admin can reassign" in texts[2]
    async with bot.deps.sessions() as session:
        refused = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "refused"))
        ).all()
    assert [e.details["attempted"] for e in refused] == [
        "claim escalations",
        "resolve escalations",
        "reassign escalations",
    ]
    # A removed trainer is refused too.
    await remove_trainer(bot.deps, "U0TRAIN01", actor="UADMIN")
    await bot.click("U0TRAIN01", ActionId.CLAIM, ref, channel=TRAINERS)
    assert "only trainers" in ephemerals(bot)[-1]
    assert (await escalations(bot))[0].assignee_id is None
    assert bot.slack.errors == []


async def test_invalid_transitions_are_refused_with_a_clear_message(bot: BotHarness) -> None:
    _, escalation = await escalated_thread(bot)
    ticket = f"ESC-{escalation.ticket}"
    ref = EscalationRef(escalation_id=escalation.id).pack()
    await bot.click("U0TRAIN01", ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.click("UADMIN", ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.submit_view(
        "U0TRAIN01",
        CallbackId.RESOLVE,
        {BlockId.RESOLUTION_NOTES: {BlockId.RESOLUTION_NOTES: {"value": "done"}}},
        private_metadata=ref,
    )
    await bot.drain()

    await bot.click("U0TRAIN01", ActionId.RESOLVE, ref, channel=TRAINERS)
    await bot.click("UADMIN", ActionId.CLAIM, ref, channel=TRAINERS)
    await bot.click("UADMIN", ActionId.DISMISS, ref, channel=TRAINERS)
    await bot.drain()

    texts = ephemerals(bot)
    assert texts[0] == f"{ticket} is already claimed by <@U0TRAIN01>."
    assert texts[1] == f"{ticket} is already resolved; it can't be resolved."
    assert texts[2] == f"{ticket} is already resolved; it can't be claimed."
    assert texts[3] == f"{ticket} is already resolved; it can't be dismissed."
    [resolved] = await escalations(bot)
    assert (resolved.status, resolved.resolved_by) == ("resolved", "U0TRAIN01")
    assert bot.slack.calls_to("views.open") == []
    assert bot.slack.errors == []


async def test_admin_reassigns_and_dismisses(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    await add_trainer(bot.deps, "U0TRAIN02", None, actor="UADMIN")
    ref = EscalationRef(escalation_id=escalation.id).pack()

    await bot.click("UADMIN", ActionId.REASSIGN, ref, channel=TRAINERS)
    [opened] = bot.slack.calls_to("views.open")
    assert opened.args["view"]["callback_id"] == CallbackId.REASSIGN
    pick = {"type": "users_select", "selected_user": "U0TRAIN02"}
    await bot.submit_view(
        "UADMIN",
        CallbackId.REASSIGN,
        {BlockId.REASSIGN_TO: {BlockId.REASSIGN_TO: pick}},
        private_metadata=ref,
    )
    await bot.drain()
    [reassigned] = await escalations(bot)
    assert (reassigned.status, reassigned.assignee_id) == ("in_progress", "U0TRAIN02")
    alert = bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == "U0TRAIN02")
    assert len(alert) == 1

    await dismiss_as_duplicate(bot, ref)
    await bot.drain()
    [dismissed] = await escalations(bot)
    assert (dismissed.status, dismissed.dismissed_reason) == ("dismissed", "duplicate")
    assert any("closed by an admin" in c.args["text"] for c in learner_posts(bot, root))
    assert {"reassigned", "dismissed"} <= set(await audit_actions(bot))

    # The thread is the coach's again: a follow-up is not relayed to the dismissed card.
    await bot.dm(LEARNER, "never mind, thanks", thread_ts=root)
    await bot.drain()
    assert thread_posts(bot, str(escalation.card_ts)) == []
    assert bot.slack.errors == []


async def test_a_reassignment_refreshes_the_previous_owners_home_and_audits_them(
    bot: BotHarness,
) -> None:
    _, escalation = await escalated_thread(bot)
    await add_trainer(bot.deps, "U0TRAIN02", None, actor="UADMIN")
    ref = EscalationRef(escalation_id=escalation.id).pack()
    await bot.click(TRAINER, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts)
    await bot.drain()

    def homes_of(user: str) -> int:
        return len(bot.slack.calls_to("views.publish", lambda c: c.args["user_id"] == user))

    before = homes_of(TRAINER)
    pick = {"type": "users_select", "selected_user": "U0TRAIN02"}
    await bot.submit_view(
        "UADMIN",
        CallbackId.REASSIGN,
        {BlockId.REASSIGN_TO: {BlockId.REASSIGN_TO: pick}},
        private_metadata=ref,
    )
    await bot.drain()

    # Their queue lost the ticket, so their Home tab is published again.
    assert homes_of(TRAINER) > before
    async with bot.deps.sessions() as session:
        [event] = await session.scalars(select(AuditEvent).where(AuditEvent.action == "reassigned"))
    assert event.details["previous"] == TRAINER
    assert event.details["to"] == "U0TRAIN02"
    assert bot.slack.errors == []
