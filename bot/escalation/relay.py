"""Relaying an escalated thread both ways: learner DM thread <-> the card's thread.

Learner to trainer: ``route_learner_message`` (called by the learner flow) posts a learner's
message in an escalated thread to the card's thread, reopening a resolved ticket first; the AI
then stays silent in that thread.

Trainer to learner: the TRAINER_MESSAGE task handler. The message is already stored as a task;
here it is stored as a thread message together with the outbox call that relays it, in one
transaction. A trainer replying before anyone claimed the card claims it automatically (replying
is taking it on, and it saves a click); a message that starts with a note marker stays in the
card thread and the audit trail (see ``is_internal_note``). Anyone who is not a trainer gets a
polite ephemeral refusal and nothing is relayed.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.blocks.learner_notices import (
    build_reopened_notice,
    build_trainer_reply,
)
from bot.blocks.mrkdwn import escape_mrkdwn
from bot.deps import Deps
from bot.errors import AlreadyClaimed, NotFound
from bot.escalation.insights import schedule_insights
from bot.escalation.publish import Publisher
from bot.escalation.state import Action, Status, next_status
from bot.escalation.tickets import Tickets
from bot.inbox import TRAINER_MESSAGE, InboundMessage
from bot.people.permissions import work_refusal
from bot.people.profiles import SlackProfile, fetch_profile
from bot.tasks.kinds import RetryLater, TaskRegistry
from bot.tasks.outbox import Outbox, card_thread_key
from bot.workspaces.config import trainer_channel
from store.models import Escalation
from store.repositories.audit import AuditRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.people import PeopleRepository
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

# "note:", "note -" or "note –", in any case, after optional whitespace and optionally wrapped in
# the mrkdwn markers a trainer might type (`note:`, *Note:*, _note_ -, ~NOTE~:).
_INTERNAL_NOTE = re.compile(r"\s*[*_`~]*\s*note\s*[*_`~]*\s*(?::|[-–—](?=\s|[*_`~]|$))", re.I)


def is_internal_note(text: str) -> bool:
    """True when a trainer's reply is an internal note, never to be relayed to the learner.

    Only a message that starts with the marker is internal: "a note: ..." or "Notes are on the
    course page" are written for the learner and relayed.
    """
    return _INTERNAL_NOTE.match(text) is not None


async def route_learner_message(deps: Deps, conversation_id: int, message_id: int) -> bool:
    """Relay a learner message of an escalated thread to its card; True means the AI stays silent.

    A message in the thread of a resolved escalation reopens it first (its trainer keeps it).
    """
    async with deps.sessions.begin() as session:
        repo = EscalationRepository(session)
        escalation = await repo.open_for_conversation(conversation_id)
        if escalation is None:
            latest = await repo.latest_for_conversation(conversation_id)
            if latest is None or latest.status != Status.RESOLVED:
                return False
            escalation = await _reopen(deps, session, latest, message_id)
        await _relay_learner(deps, session, escalation, message_id)
    return True


async def _reopen(
    deps: Deps, session: AsyncSession, escalation: Escalation, message_id: int
) -> Escalation:
    now = deps.clock.now()
    status = next_status(escalation.ticket, escalation.status, Action.REOPEN)
    repo = EscalationRepository(session)
    reopened = await repo.update_if(
        escalation.id,
        [escalation.status],
        status=status.value,
        reopened_count=escalation.reopened_count + 1,
        resolution_rating=None,
        last_activity_at=now,
        # The same trainer keeps it, as helpdesks do.
        assignee_id=escalation.assignee_id or escalation.resolved_by,
    )
    if reopened is None:
        raise NotFound("That escalation changed while reopening it; please try again.")
    await AuditRepository(session).record(
        "reopened", reopened.learner_id, reopened.id, message_id=message_id
    )
    publish = Publisher(session, deps.settings)
    conversation = await repo.conversation(reopened.conversation_id)
    assert conversation is not None  # the escalation's foreign key
    await publish.to_learner(
        conversation,
        build_reopened_notice(reopened.ticket, reopened.assignee_id),
        dedupe_key=f"esc-reopened:{reopened.id}:{reopened.reopened_count}",
    )
    await publish.update_card(reopened, change=f"reopened:{reopened.reopened_count}")
    if reopened.assignee_id:
        await publish.alert_trainer(
            reopened, reopened.assignee_id, reason="Reopened by the learner"
        )
    return reopened


async def _relay_learner(
    deps: Deps, session: AsyncSession, escalation: Escalation, message_id: int
) -> None:
    repo = EscalationRepository(session)
    message = await repo.message(message_id)
    if message is None:
        raise NotFound("That message could not be found.")
    # The learner's words are escaped: only the bot's own mention of them pings.
    text = f"*<@{escalation.learner_id}> wrote:*\n{escape_mrkdwn(message.text)}"
    await Publisher(session, deps.settings).to_card_thread(
        escalation, text, dedupe_key=f"relay-learner:{message_id}"
    )
    await repo.touch(escalation.id, deps.clock.now())
    # The learner added to the thread: the card's summary is recomputed.
    await schedule_insights(session, escalation.id, reason=f"message:{message_id}")
    await AuditRepository(session).record(
        "relayed_to_trainer", escalation.learner_id, escalation.id, message_id=message_id
    )


async def handle_trainer_message(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler for a message in a thread of the trainer channel."""
    message = InboundMessage.from_payload(task.payload)
    async with deps.sessions.begin() as session:
        escalation = await EscalationRepository(session).by_card(
            message.channel_id, message.root_ts
        )
        if escalation is None:
            if await _card_ts_may_be_coming(deps, session, message):
                raise RetryLater(2.0, "waiting for a new card's ts to be stored")
            return {"ignored": "not an escalation card thread"}
        refusal = await work_refusal(
            session,
            deps.settings,
            message.user_id,
            escalation.course_id,
            "reply to learners from an escalation card",
        )
        if refusal is not None:
            await _refuse(session, escalation, message, refusal)
            return {"refused": message.user_id}
        if is_internal_note(message.text):
            await AuditRepository(session).record(
                "internal_note", message.user_id, escalation.id, text=message.text, ts=message.ts
            )
            return {"internal": True}
    # Outside any transaction: a Slack lookup must never hold a database connection open.
    profile = await fetch_profile(await deps.slack_client(), message.user_id)
    if profile is None:
        log.warning("users.info failed for %s; using the cached name", message.user_id)
    async with deps.sessions.begin() as session:
        return await _relay(deps, session, message, profile)


async def _refuse(
    session: AsyncSession, escalation: Escalation, message: InboundMessage, refusal: str
) -> None:
    await AuditRepository(session).record(
        "refused", message.user_id, escalation.id, attempted="reply", ts=message.ts
    )
    await Outbox(session).call(
        "chat.postEphemeral",
        {
            "channel": message.channel_id,
            "user": message.user_id,
            "thread_ts": message.root_ts,
            "text": f"{refusal} Your message was not sent to the learner.",
        },
        ordering_key=card_thread_key(escalation.id),
        dedupe_key=f"refuse:{message.dedupe_key}",
    )


async def _relay(
    deps: Deps, session: AsyncSession, message: InboundMessage, profile: SlackProfile | None
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
            escalation = await Tickets(deps).claim_within(session, escalation.id, message.user_id)
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
        build_trainer_reply(message.text),
        dedupe_key=f"relay-trainer:{message.dedupe_key}",
        username=f"{name or 'Your trainer'} (trainer)",
        icon_url=profile.image_url if profile else None,
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


# How long after an escalation opens a reply in a thread with no known card may be for its card.
_CARD_TS_GRACE = timedelta(minutes=15)


async def _card_ts_may_be_coming(
    deps: Deps, session: AsyncSession, message: InboundMessage
) -> bool:
    """A reply in the trainer channel to a recent message while a new card's ts is not stored
    yet: its thread may be that card's, so it waits instead of being ignored."""
    if message.channel_id != await trainer_channel(session, deps.settings):
        return False
    since = deps.clock.now() - _CARD_TS_GRACE
    return await EscalationRepository(session).awaiting_card_ts(message.channel_id, since)


async def trainer_message_failed(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Failure hook: tell the trainer, in the card thread, that the reply did not get through."""
    message = InboundMessage.from_payload(task.payload)
    async with deps.sessions.begin() as session:
        escalation = await EscalationRepository(session).by_card(
            message.channel_id, message.root_ts
        )
        if escalation is None:
            return  # not a card thread: there was nothing to relay
        log.error(
            "trainer reply %s on escalation %s was not relayed: %s", task.id, escalation.id, reason
        )
        await Outbox(session).call(
            "chat.postEphemeral",
            {
                "channel": message.channel_id,
                "user": message.user_id,
                "thread_ts": message.root_ts,
                "text": (
                    f":warning: Your reply on {ticket_label(escalation.ticket)} did not reach "
                    "the learner. Please send it again in a moment; if that fails too, ask an "
                    "admin to check `coachbot tasks --failed`."
                ),
            },
            ordering_key=card_thread_key(escalation.id),
            dedupe_key=f"trainer-undelivered:{message.dedupe_key}",
        )


def register(tasks: TaskRegistry) -> None:
    """Register the trainer message task kind."""
    tasks.register(TRAINER_MESSAGE, handle_trainer_message, on_failure=trainer_message_failed)
