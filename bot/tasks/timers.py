"""Periodic jobs, each run once per tick by whichever process claims the tick first.

A job's row in ``timers`` holds when it is next due. Claiming a tick is one conditional UPDATE
that moves ``next_run_at`` forward; only one process's UPDATE can match, so with any number of
processes each tick runs exactly once. Every decision uses ``deps.clock`` (never the database's
``now()``), so tests drive timers with a frozen clock. Jobs are idempotent on their own as well
(``sla_reminded_at``, ``sla_admin_alerted_at``, outbox dedupe keys), so a tick cut short by a
crash is simply finished by the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.deps import Deps
from bot.escalation.tickets import Tickets
from bot.tasks.outbox import Outbox, Ref, card_thread_key
from bot.tasks.worker import new_worker_id
from store.tasks import TaskRepository

log = logging.getLogger(__name__)

JobRun = Callable[[Deps, datetime], Awaitable[int]]

# Finished tasks are kept this long for inspection, then deleted; failed ones stay until handled.
KEEP_DONE_TASKS = timedelta(days=7)


@dataclass(frozen=True)
class TimerJob:
    """A named job and how often it runs; ``run`` returns how many items it acted on."""

    name: str
    every: timedelta
    run: JobRun


_ENSURE_SQL = text(
    "INSERT INTO timers (name, next_run_at) VALUES (:name, :now) ON CONFLICT (name) DO NOTHING"
)
_CLAIM_SQL = text(
    """
    UPDATE timers SET next_run_at = :next, last_run_at = :now, last_run_by = :by
    WHERE name = :name AND next_run_at <= :now
    RETURNING name
    """
)


async def claim_tick(deps: Deps, job: TimerJob, now: datetime, runner_id: str) -> bool:
    """True when this process won the job's current tick."""
    async with deps.sessions.begin() as session:
        await session.execute(_ENSURE_SQL, {"name": job.name, "now": now})
        won = await session.execute(
            _CLAIM_SQL, {"name": job.name, "now": now, "next": now + job.every, "by": runner_id}
        )
        return won.scalar_one_or_none() is not None


async def run_due(deps: Deps, jobs: Sequence[TimerJob], runner_id: str) -> dict[str, int]:
    """Run every job whose tick is due and won by this process; returns what each did."""
    done: dict[str, int] = {}
    for job in jobs:
        now = deps.clock.now()
        if not await claim_tick(deps, job, now, runner_id):
            continue
        try:
            done[job.name] = await job.run(deps, now)
        except Exception:
            # The next tick retries: every job is idempotent.
            log.exception("timer job %s failed", job.name)
    return done


class TimerRunner:
    """Checks the jobs every ``tick`` seconds until stopped."""

    def __init__(self, deps: Deps, jobs: Sequence[TimerJob], *, tick: float = 5.0) -> None:
        self.deps = deps
        self.jobs = list(jobs)
        self.tick = tick
        self.runner_id = new_worker_id()
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Run due jobs until ``stop()``."""
        while not self._stopping.is_set():
            try:
                await run_due(self.deps, self.jobs, self.runner_id)
            except Exception:
                log.warning("could not check timers; retrying", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.tick)

    def stop(self) -> None:
        """Stop after the job running now, if any."""
        self._stopping.set()


# ---- jobs

_UNCLAIMED_SQL = text(
    """
    SELECT id FROM escalations
    WHERE status = 'pending' AND {column} IS NULL AND created_at <= :cutoff
    ORDER BY id
    """
)
_MARK_SQL = text(
    """
    UPDATE escalations SET {column} = :now
    WHERE id = :id AND status = 'pending' AND {column} IS NULL
    RETURNING ticket, suggested_trainer_id
    """
)


async def _newly_overdue(
    deps: Deps, column: str, cutoff: datetime, now: datetime
) -> AsyncIterator[tuple[AsyncSession, int, Row[Any]]]:
    """Each pending escalation older than ``cutoff`` whose ``column`` this process just set.

    Every escalation is marked in its own transaction, which stays open while the caller
    enqueues its notices, so marking and notifying commit together and happen once.
    """
    candidates = text(_UNCLAIMED_SQL.text.format(column=column))
    mark = text(_MARK_SQL.text.format(column=column))
    async with deps.sessions.begin() as session:
        ids = list((await session.execute(candidates, {"cutoff": cutoff})).scalars())
    for escalation_id in ids:
        async with deps.sessions.begin() as session:
            row = (await session.execute(mark, {"id": escalation_id, "now": now})).one_or_none()
            if row is not None:  # None: claimed or marked by another process meanwhile
                yield session, escalation_id, row


async def remind_unclaimed(deps: Deps, now: datetime) -> int:
    """Remind the suggested trainer (and the card thread) of escalations nobody claimed."""
    minutes = deps.settings.sla_claim_minutes
    reminded = 0
    cutoff = now - timedelta(minutes=minutes)
    async for session, escalation_id, row in _newly_overdue(deps, "sla_reminded_at", cutoff, now):
        label = ticket_label(row.ticket)
        waited = f"{minutes:g} minutes"
        outbox = Outbox(session)
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
            await outbox.call(
                "chat.postMessage",
                {
                    "channel": row.suggested_trainer_id,
                    "text": (
                        f":alarm_clock: {label} has been waiting for a trainer for {waited} "
                        "and you are its suggested trainer. Please claim it from its card "
                        "in the trainer channel, or reassign it."
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
        deps, "sla_admin_alerted_at", cutoff, now
    ):
        message = (
            f":rotating_light: {ticket_label(row.ticket)} is still unclaimed after "
            f"{minutes:g} minutes. Please find a trainer for it (`/coach` shows the queue)."
        )
        for admin in deps.settings.admin_user_ids:
            await Outbox(session).call(
                "chat.postMessage",
                {"channel": admin, "text": message},
                ordering_key=f"notify:{admin}",
                dedupe_key=f"sla-admin:{escalation_id}:{admin}",
            )
        alerted += 1
    return alerted


# Quiet means no activity on the escalation nor in the learner's thread, per the course's own
# setting when it has one.
_INACTIVE_SQL = text(
    """
    SELECT e.id FROM escalations e
    JOIN conversations c ON c.id = e.conversation_id
    LEFT JOIN courses k ON k.id = e.course_id
    WHERE e.status IN ('pending', 'in_progress', 'reopened')
      AND GREATEST(e.last_activity_at, c.last_activity_at)
          <= CAST(:now AS timestamptz)
             - make_interval(secs => COALESCE(k.auto_close_days, :days) * 86400)
    ORDER BY e.id
    """
)


async def close_inactive(deps: Deps, now: datetime) -> int:
    """Auto-close open escalations with no activity for the course's auto-close period."""
    async with deps.sessions.begin() as session:
        ids = list(
            (
                await session.execute(
                    _INACTIVE_SQL, {"now": now, "days": deps.settings.auto_close_days}
                )
            ).scalars()
        )
    closed = 0
    for escalation_id in ids:
        days = deps.settings.auto_close_days
        await Tickets(deps).close_inactive(
            escalation_id,
            actor_id="system",
            reason=f"no activity for {days:g} days",
        )
        closed += 1
    return closed


async def sweep_tasks(deps: Deps, now: datetime) -> int:
    """Report tasks whose worker died (they are claimed again) and prune old finished ones."""
    async with deps.sessions.begin() as session:
        tasks = TaskRepository(session)
        stale = await tasks.stale_running(now)
        pruned = await tasks.prune_done(now - KEEP_DONE_TASKS)
    if stale:
        log.warning("%d running tasks lost their worker; they will run again", stale)
        # Not an enqueue, so no commit hook fires: wake the worker to claim them at once.
        deps.work.wake()
    if pruned:
        log.info("pruned %d finished tasks", pruned)
    return stale + pruned


def default_jobs() -> list[TimerJob]:
    """The bot's periodic jobs."""
    return [
        TimerJob("sla.remind_trainer", timedelta(minutes=1), remind_unclaimed),
        TimerJob("sla.alert_admins", timedelta(minutes=1), alert_admins_unclaimed),
        TimerJob("escalations.auto_close", timedelta(minutes=10), close_inactive),
        TimerJob("tasks.sweep", timedelta(minutes=5), sweep_tasks),
    ]
