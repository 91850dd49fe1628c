"""Trainer replies in a card's thread: relayed to the learner's DM thread, or kept internal.

The TRAINER_MESSAGE task handler. The message is already stored as a task; here it is stored as
a thread message together with the outbox call that relays it, in one transaction. A trainer
replying before anyone claimed the card claims it automatically (replying is taking it on, and it
saves a click); a message starting with ``note:`` stays in the card thread and the audit trail.
Anyone who is not a trainer gets a polite ephemeral refusal and nothing is relayed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.blocks.learner_notices import Notice, build_refusal
from bot.deps import Deps
from bot.errors import AlreadyClaimed
from bot.escalation.lifecycle import EscalationLifecycle
from bot.escalation.publish import Publisher
from bot.escalation.state import Status
from bot.learner.inbox import TRAINER_MESSAGE, InboundMessage
from bot.people.permissions import Role, role_of
from bot.tasks.outbox import Outbox, card_thread_key
from bot.tasks.worker import TaskRegistry
from store.models import Escalation
from store.repositories.audit import AuditRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.people import PeopleRepository
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

INTERNAL_PREFIX = "note:"


@dataclass(frozen=True)
class TrainerProfile:
    """How a trainer's relayed message is signed in the learner's DM."""

    name: str
    icon_url: str | None


async def fetch_profile(deps: Deps, user_id: str) -> TrainerProfile | None:
    """Display name and picture from users.info; None when Slack cannot tell us now."""
    try:
        response = await deps.slack.users_info(user=user_id)
    except SlackApiError:
        log.warning("users.info failed for %s; using the cached name", user_id)
        return None
    user = response.get("user") or {}
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user_id
    )
    icon = profile.get("image_72") or profile.get("image_48") or profile.get("image_192")
    return TrainerProfile(str(name), str(icon) if icon else None)


async def handle_trainer_message(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler for a message in a thread of the trainer channel."""
    message = InboundMessage.from_payload(task.payload)
    async with deps.sessions.begin() as session:
        escalation = await EscalationRepository(session).by_card(
            message.channel_id, message.root_ts
        )
        if escalation is None:
            return {"ignored": "not an escalation card thread"}
        role = await role_of(session, deps.settings, message.user_id)
        if role < Role.TRAINER:
            await _refuse(session, escalation, message)
            return {"refused": message.user_id}
        if message.text.lower().startswith(INTERNAL_PREFIX):
            await AuditRepository(session).record(
                "internal_note", message.user_id, escalation.id, text=message.text, ts=message.ts
            )
            return {"internal": True}
    # Outside any transaction: a Slack lookup must never hold a database connection open.
    profile = await fetch_profile(deps, message.user_id)
    async with deps.sessions.begin() as session:
        return await _relay(deps, session, message, profile)


async def _refuse(session: AsyncSession, escalation: Escalation, message: InboundMessage) -> None:
    await AuditRepository(session).record(
        "refused", message.user_id, escalation.id, attempted="reply", ts=message.ts
    )
    await Outbox(session).call(
        "chat.postEphemeral",
        {
            "channel": message.channel_id,
            "user": message.user_id,
            "thread_ts": message.root_ts,
            "text": build_refusal("reply to learners from an escalation card")
            + " Your message was not sent to the learner.",
        },
        ordering_key=card_thread_key(escalation.id),
        dedupe_key=f"refuse:{message.dedupe_key}",
    )


async def _relay(
    deps: Deps, session: AsyncSession, message: InboundMessage, profile: TrainerProfile | None
) -> dict[str, Any]:
    repo = EscalationRepository(session)
    escalation = await repo.by_card(message.channel_id, message.root_ts)
    assert escalation is not None  # found a moment ago; escalations are never deleted
    event_key = f"trainer:{message.channel_id}:{message.ts}"
    if await repo.message_by_event(event_key) is not None:
        return {"duplicate": True}  # a re-run after the relay committed
    publish = Publisher(session, deps.settings)
    if escalation.status == Status.DISMISSED:
        await publish.to_card_thread(
            escalation,
            f"{ticket_label(escalation.ticket)} was dismissed, so this reply was not sent.",
            dedupe_key=f"dismissed-reply:{message.dedupe_key}",
        )
        return {"dismissed": True}
    claimed = False
    if escalation.assignee_id is None and escalation.status in (Status.PENDING, Status.REOPENED):
        try:
            escalation = await EscalationLifecycle(deps).claim_within(
                session, escalation.id, message.user_id
            )
            claimed = True
        except AlreadyClaimed:
            pass  # someone claimed at the same moment; still a trainer, so still relayed
    people = PeopleRepository(session)
    if profile is not None:
        await people.remember_profile(message.user_id, display_name=profile.name, email=None)
    trainer = await people.trainer(message.user_id)
    name = (profile.name if profile else None) or (trainer.display_name if trainer else None)
    stored = await repo.add_message(
        conversation_id=escalation.conversation_id,
        role="trainer",
        author_id=message.user_id,
        text=message.text,
        event_id=event_key,
    )
    conversation = await repo.conversation(escalation.conversation_id)
    assert conversation is not None
    await publish.to_learner(
        conversation,
        Notice(message.text),
        dedupe_key=f"relay-trainer:{message.dedupe_key}",
        username=f"{name or 'Your trainer'} (trainer)",
        icon_url=profile.icon_url if profile else None,
    )
    await repo.touch(escalation.id, deps.clock.now())
    await AuditRepository(session).record(
        "relayed_to_learner",
        message.user_id,
        escalation.id,
        message_id=stored.id,
        ts=message.ts,
        auto_claimed=claimed,
    )
    return {"relayed": stored.id, "auto_claimed": claimed}


def register(tasks: TaskRegistry) -> None:
    """Register the trainer message task kind."""
    tasks.register(TRAINER_MESSAGE, handle_trainer_message)
