"""Periodic jobs, each run once per tick by whichever process claims the tick first.

A job's row in ``timers`` holds when it is next due. Claiming a tick is one conditional UPDATE
that moves ``next_run_at`` forward; only one process's UPDATE can match, so with any number of
processes each tick runs exactly once. Every decision uses ``deps.clock`` (never the database's
``now()``), so tests drive timers with a frozen clock. Jobs are idempotent on their own as well,
so a tick cut short by a crash is simply finished by the next one. The jobs belong to the
features they serve (``bot.escalation.sla``); ``bot.jobs.default_jobs`` lists them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.tasks.worker import new_worker_id
from store.repositories.timers import TimerRepository
from store.repositories.workspaces import WorkspaceRepository
from store.tasks import TaskRepository
from store.tenancy import across_workspaces, in_workspace

log = logging.getLogger(__name__)

JobRun = Callable[[Deps, datetime], Awaitable[int]]

# Finished tasks are kept this long for inspection, then deleted; failed ones stay until handled.
KEEP_DONE_TASKS = timedelta(days=7)


@dataclass(frozen=True)
class TimerJob:
    """A named job and how often it runs; ``run`` returns how many items it acted on.

    A job runs once per installed workspace, inside it, so it sees and sends only that
    workspace's work; ``across_workspaces`` jobs (the queue's own upkeep) run once, unscoped.
    """

    name: str
    every: timedelta
    run: JobRun
    across_workspaces: bool = False


async def claim_tick(deps: Deps, job: TimerJob, now: datetime, runner_id: str) -> bool:
    """True when this process won the job's current tick."""
    with across_workspaces():
        async with deps.sessions.begin() as session:
            return await TimerRepository(session).claim_tick(
                job.name, now, now + job.every, runner_id
            )


async def run_due(deps: Deps, jobs: Sequence[TimerJob], runner_id: str) -> dict[str, int]:
    """Run every job whose tick is due and won by this process; returns what each did."""
    done: dict[str, int] = {}
    for job in jobs:
        now = deps.clock.now()
        if not await claim_tick(deps, job, now, runner_id):
            continue
        acted = await _run_job(deps, job, now)
        if acted is not None:
            done[job.name] = acted
        with across_workspaces():
            async with deps.sessions.begin() as session:
                await TimerRepository(session).finish_tick(job.name, now)
    return done


async def _run_job(deps: Deps, job: TimerJob, now: datetime) -> int | None:
    """Run one tick of ``job``; a failure in one workspace does not stop the others.

    Returns how many items it acted on, or None when it failed in every workspace it ran in.
    """
    if job.across_workspaces:
        teams: list[str | None] = [None]
    else:
        with across_workspaces():
            async with deps.sessions.begin() as session:
                teams = list(await WorkspaceRepository(session).active_team_ids())
    acted, failed = 0, 0
    for team in teams:
        try:
            if team is None:
                with across_workspaces():
                    acted += await job.run(deps, now)
            else:
                with in_workspace(team):
                    acted += await job.run(deps, now)
        except Exception:
            # The next tick retries: every job is idempotent.
            log.exception("timer job %s failed in workspace %s", job.name, team or "(all)")
            failed += 1
    return None if teams and failed == len(teams) else acted


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


# ---- the runner's own job


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
