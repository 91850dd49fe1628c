"""When the trainer channel refuses a card for good (the bot is not in it, it is archived or
gone, or the blocks are refused), the escalation falls back to the no-trainer-channel mode.

The admins are told by DM with the ticket and Slack's reason, the card is sent to each of them by
DM, and the escalation forgets its card channel, so later card-thread messages go by DM to the
owner (or the admins). Calls already queued for the card's thread, which would wait hours for a
card ts that never comes, are closed: their messages are sent by DM instead.
"""

from __future__ import annotations

import logging

from bot.blocks.labels import ticket_label
from bot.deps import Deps
from bot.escalation.publish import Publisher
from bot.tasks.outbox import SLACK_CALL, Outbox, card_thread_key
from store.repositories.escalations import EscalationRepository
from store.tasks import ClaimedTask, TaskRepository

log = logging.getLogger(__name__)


async def card_post_failed(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Outbox failure hook of a call recording ``escalations.card_ts``: fall back to DMs."""
    escalation_id = int(task.payload["record"]["row_id"])
    channel = task.payload.get("args", {}).get("channel", "?")
    async with deps.sessions.begin() as session:
        repo = EscalationRepository(session)
        escalation = await repo.drop_card_channel(escalation_id)
        if escalation is None:
            log.error("card post %s failed for unknown escalation %s", task.id, escalation_id)
            return
        label = ticket_label(escalation.ticket)
        text = (
            f":warning: The card of {label} could not be posted in <#{channel}>: "
            f"{reason[:300]}\nIt is sent to you by DM instead, and its thread follows by DM. "
            "Invite the bot to the trainer channel (or choose another with `/coach channel`) "
            "for the next ones."
        )
        outbox = Outbox(session)
        publish = Publisher(session, deps.settings)
        for admin in await publish.admins():
            await outbox.call(
                "chat.postMessage",
                {"channel": admin, "text": text},
                ordering_key=f"user:{admin}",
                dedupe_key=f"esc-card-failed:{escalation.id}:{admin}",
            )
        await publish.post_card_to_admins(escalation)
        tasks = TaskRepository(session)
        now = deps.clock.now()
        for waiting in await tasks.pending_of_key(SLACK_CALL, card_thread_key(escalation.id)):
            payload = waiting.payload
            if not await tasks.supersede(waiting.id, now, f"card of {label} was never posted"):
                continue
            if payload.get("method") == "chat.postMessage" and "thread_ts" in (
                payload.get("refs") or {}
            ):
                # A message for the card's thread: to the owner (or the admins) by DM instead.
                await publish.to_card_thread(
                    escalation,
                    str(payload.get("args", {}).get("text", "")),
                    dedupe_key=f"card-fallback:{waiting.id}",
                )
            # Card updates and ephemerals have nowhere to go: the DM card is the current one.
