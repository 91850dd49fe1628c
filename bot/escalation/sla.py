"""Timer jobs on escalations: remind and alert about unclaimed ones, auto-close quiet ones.

Each job is idempotent (``sla_reminded_at``, ``sla_admin_alerted_at``, outbox dedupe keys), so a
tick cut short by a crash is simply finished by the next one. Every decision uses the ``now`` the
timer runner passes in (``deps.clock``), so tests drive these jobs with a frozen clock.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.deps import Deps
from bot.escalation.tickets import Tickets
from bot.tasks.outbox import Outbox, Ref, card_thread_key
from bot.workspaces.config import admin_ids
from store.repositories.sla import Overdue, SlaMark, SlaRepository

log = logging.getLogger(__name__)


async def _newly_overdue(
    deps: Deps, mark: SlaMark, cutoff: datetime, now: datetime
) -> AsyncIterator[tuple[AsyncSession, int, Overdue]]:
    """Each pending escalation older than ``cutoff`` whose ``mark`` this process just set.

    Every escalation is marked in its own transaction, which stays open while the caller
    enqueues its notices, so marking and notifying commit together and happen once.
    """
    async with deps.sessions.begin() as session:
        ids = await SlaRepository(session).unmarked_pending(mark, cutoff)
    for escalation_id in ids:
        async with deps.sessions.begin() as session:
            overdue = await SlaRepository(session).mark_pending(escalation_id, mark, now)
            if overdue is not None:  # None: claimed or marked by another process meanwhile
                yield session, escalation_id, overdue


async def remind_unclaimed(deps: Deps, now: datetime) -> int:
    """Remind the suggested trainer (and the card thread) of escalations nobody claimed."""
    minutes = deps.settings.sla_claim_minutes
    reminded = 0
    cutoff = now - timedelta(minutes=minutes)
    async for session, escalation_id, row in _newly_overdue(
        deps, SlaMark.TRAINER_REMINDED, cutoff, now
    ):
        label = ticket_label(row.ticket)
        waited = f"{minutes:g} minutes"
        outbox = Outbox(session)
        if row.card_channel:  # no card thread without a trainer channel: only the DM below
            await outbox.call(
                "chat.postMessage",
                {"text": f":alarm_clock: {label} has been waiting for a trainer for {waited}."},
                refs={
                    "channel": Ref("escalations", "card_channel", escalation_id),
                    "thread_ts": Ref("escalations", "card_ts", escalation_id),
                },
                ordering_key=card_thread_key(escalation_id),
                dedupe_key=f"sla-card:{escalation_id}",
            )
        if row.suggested_trainer_id:
            # Without a trainer channel the card went to admins: trainers claim from Home.
            where = (
                "from its card in the trainer channel" if row.card_channel else "on your Home tab"
            )
            await outbox.call(
                "chat.postMessage",
                {
                    "channel": row.suggested_trainer_id,
                    "text": (
                        f":alarm_clock: {label} has been waiting for a trainer for {waited} "
                        f"and you are its suggested trainer. Please claim it {where}, "
                        "or ask an admin to reassign it."
                    ),
                },
                ordering_key=f"notify:{row.suggested_trainer_id}",
                dedupe_key=f"sla-trainer:{escalation_id}",
            )
        reminded += 1
    return reminded


async def alert_admins_unclaimed(deps: Deps, now: datetime) -> int:
    """Tell admins about escalations still unclaimed after the second SLA."""
    minutes = deps.settings.sla_admin_minutes
    alerted = 0
    cutoff = now - timedelta(minutes=minutes)
    async for session, escalation_id, row in _newly_overdue(
        deps, SlaMark.ADMINS_ALERTED, cutoff, now
    ):
        message = (
            f":rotating_light: {ticket_label(row.ticket)} is still unclaimed after "
            f"{minutes:g} minutes. Please find a trainer for it (`/coach` shows the queue)."
        )
        for admin in await admin_ids(session, deps.settings):
            await Outbox(session).call(
                "chat.postMessage",
                {"channel": admin, "text": message},
                ordering_key=f"notify:{admin}",
                dedupe_key=f"sla-admin:{escalation_id}:{admin}",
            )
        alerted += 1
    return alerted


async def close_inactive(deps: Deps, now: datetime) -> int:
    """Auto-close open escalations with no activity for the course's auto-close period.

    Ticket by ticket: each is checked again under its row lock (activity since the scan keeps it
    open), and one that fails to close is logged and left for the next tick, not the rest.
    """
    days = deps.settings.auto_close_days
    async with deps.sessions.begin() as session:
        ids = await SlaRepository(session).inactive(now, days)
    closed = 0
    for escalation_id in ids:
        try:
            done = await Tickets(deps).close_inactive(
                escalation_id,
                actor_id="system",
                reason=f"no activity for {days:g} days",
                now=now,
            )
        except Exception:
            log.exception("auto-close of escalation %s failed; retried next tick", escalation_id)
            continue
        if done is not None:
            closed += 1
    return closed
