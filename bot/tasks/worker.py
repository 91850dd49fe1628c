"""Runs durable tasks from PostgreSQL: any process may run any task, each one exactly once.

A task handler is an async function ``(deps, task) -> result | None``. It raises ``RetryLater``
to be run again after a delay (Slack's ``Retry-After``), ``PermanentFailure`` to give up at once,
``SlackRefused`` (or lets a Slack token error escape) to wait, without failing, until Slack
accepts the token again (``bot.slack_auth``), and any other exception to be retried with
exponential backoff until the kind's ``give_up_after`` has passed since the task was created;
then it is marked failed and the kind's ``on_failure`` hook runs (for example to alert admins).
The kinds themselves are in ``bot.tasks.kinds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.deps import Deps
from bot.errors import WorkspaceNotInstalled
from bot.logging_setup import bound_request_id
from bot.slack_auth import SlackRefused, refusal_of
from bot.tasks.kinds import PermanentFailure, RetryLater, TaskKind, TaskRegistry
from store.tasks import ClaimedTask, TaskRepository, task_notifications
from store.tenancy import across_workspaces, in_workspace

log = logging.getLogger(__name__)

# How often an idle worker looks for due tasks unasked: the wake-up of last resort (tasks that
# fell due, or were enqueued by a process whose NOTIFY did not reach this one).
POLL_SECONDS = 1.0


def backoff_seconds(attempt: int, *, base: float = 1.0, cap: float = 60.0) -> float:
    """Exponential backoff with full jitter: attempt 1 waits up to 1 s, then 2 s, 4 s, ..."""
    return random.uniform(base / 2, min(cap, base * 2 ** (attempt - 1)))


def new_worker_id() -> str:
    """A name unique to this process and worker, shown in ``tasks.locked_by``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """Claims and runs tasks with bounded concurrency until stopped.

    A claimed task is leased for ``lease``; while it runs, a heartbeat keeps extending the lease,
    so a long task is never taken over by another process, but the task of a process that died
    (SIGKILL, lost host) is claimed again by a live one soon after its lease runs out.
    """

    def __init__(
        self,
        deps: Deps,
        registry: TaskRegistry,
        *,
        concurrency: int = 16,
        poll_interval: float = POLL_SECONDS,
        lease: timedelta = timedelta(seconds=60),
        worker_id: str | None = None,
        per_user: tuple[str, int] | None = None,
    ) -> None:
        self.deps = deps
        self.registry = registry
        self.concurrency = concurrency
        self.poll_interval = poll_interval
        self.lease = lease
        self.worker_id = worker_id or new_worker_id()
        # (kind, n): at most n tasks of that kind running per payload user_id, across workers.
        self.per_user = per_user
        # Each runner coroutine and the id of the task it runs.
        self._running: dict[asyncio.Task[None], int] = {}
        self._stopping = asyncio.Event()

    @property
    def busy(self) -> int:
        """How many tasks this worker is running now."""
        return len(self._running)

    async def run(self) -> None:
        """Claim and run tasks until ``stop()``; then wait for tasks already started.

        The queue's own bookkeeping spans workspaces; each task runs in its own workspace.
        """
        with across_workspaces():
            heartbeat = asyncio.create_task(self._heartbeat(), name="task-lease-heartbeat")
            try:
                await self._loop()
            finally:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat

    async def _heartbeat(self) -> None:
        interval = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            if not self._running:
                continue
            try:
                async with self.deps.sessions.begin() as session:
                    until = self.deps.clock.now() + self.lease
                    await TaskRepository(session).extend_leases(self.worker_id, until)
            except Exception:
                log.warning("could not extend task leases; retrying", exc_info=True)

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            free = self.concurrency - len(self._running)
            claimed: list[ClaimedTask] = []
            if free > 0:
                try:
                    claimed = await self._claim(free)
                except Exception:
                    log.exception("could not claim tasks; retrying shortly")
            for task in claimed:
                runner = asyncio.create_task(self._execute_bound(task))
                self._running[runner] = task.id
                runner.add_done_callback(self._finished)
            if not claimed or len(claimed) < free:
                await self.deps.work.wait(self.poll_interval)
        if self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    def stop(self) -> None:
        """Stop claiming new tasks; ``run`` returns once running ones finish."""
        self._stopping.set()
        self.deps.work.wake()

    async def release_unfinished(self) -> None:
        """Hand back the tasks this worker holds but no longer runs (after a forced shutdown).

        A task whose runner is still going (a handler that outlived the cancel) keeps its lease:
        handed back, it could be run a second time alongside it. Runners that are done or were
        cancelled leave their tasks to be released.
        """
        still_running = [task_id for runner, task_id in self._running.items() if not runner.done()]
        with across_workspaces():
            async with self.deps.sessions.begin() as session:
                await TaskRepository(session).release(self.worker_id, keep=still_running)

    def _finished(self, runner: asyncio.Task[None]) -> None:
        self._running.pop(runner, None)
        # A finished task may unblock the next one of its ordering key.
        self.deps.work.wake()

    async def _claim(self, limit: int) -> list[ClaimedTask]:
        kinds = list(self.registry.kinds)
        async with self.deps.sessions.begin() as session:
            return await TaskRepository(session).claim(
                self.worker_id,
                self.deps.clock.now(),
                self.lease,
                limit=limit,
                kinds=kinds,
                per_user=self.per_user,
                urgent=self.registry.urgent(),
            )

    async def _execute_bound(self, task: ClaimedTask) -> None:
        # The request id stored with the task ties its logs to the Slack request that caused it.
        with bound_request_id(task.request_id), in_workspace(task.team_id):
            started = time.monotonic()
            try:
                outcome = await self._execute(task)
            except Exception:
                # Only the bookkeeping itself can land here (database gone): the lease runs out
                # and the task is claimed again, so nothing is lost.
                log.exception("could not record the outcome of task %s", task.id)
                outcome = "error"
            metrics.TASK_DURATION.labels(kind=task.kind).observe(time.monotonic() - started)
            metrics.TASK_RUNS.labels(kind=task.kind, outcome=outcome).inc()

    async def _execute(self, task: ClaimedTask) -> str:
        kind = self.registry.kinds[task.kind]
        try:
            result = await kind.handler(self.deps, task)
        except RetryLater as exc:
            return await self._retry_or_fail(task, kind, exc.delay, exc.reason)
        except PermanentFailure as exc:
            await self._fail(task, kind, str(exc) or type(exc).__name__)
            return "failed"
        except SlackRefused as exc:
            return await self._wait_for_slack(task, kind, exc)
        except WorkspaceNotInstalled:
            # Nothing of the workspace can reach Slack any more, its failure hooks (which tell
            # someone there) included: the task ends, kept as failed for the record.
            await self._fail(task, kind, "the workspace has uninstalled the app", hooks=False)
            return "failed"
        except Exception as exc:
            refusal = refusal_of(exc) if isinstance(exc, SlackApiError) else None
            if refusal is not None:
                return await self._wait_for_slack(task, kind, refusal)
            log.warning(
                "task %s (%s) attempt %d failed: %s: %s",
                task.id,
                task.kind,
                task.attempts,
                type(exc).__name__,
                str(exc).splitlines()[0] if str(exc) else "",
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            delay = backoff_seconds(task.attempts)
            return await self._retry_or_fail(task, kind, delay, f"{type(exc).__name__}: {exc}")
        async with self.deps.sessions.begin() as session:
            await TaskRepository(session).complete(
                task.id, self.worker_id, self.deps.clock.now(), result
            )
        return "done"

    async def _retry_or_fail(
        self, task: ClaimedTask, kind: TaskKind, delay: float, reason: str
    ) -> str:
        now = self.deps.clock.now()
        deadline = task.deadline_at or task.created_at + kind.give_up_after
        run_at = now + timedelta(seconds=delay)
        if run_at > deadline:
            await self._fail(task, kind, f"gave up after {task.attempts} attempts: {reason}")
            return "failed"
        async with self.deps.sessions.begin() as session:
            await TaskRepository(session).retry(task.id, self.worker_id, run_at, reason)
        return "retry"

    async def _wait_for_slack(
        self, task: ClaimedTask, kind: TaskKind, refusal: SlackRefused
    ) -> str:
        # Slack refuses the token: every task would fail alike, so none fails; they wait for the
        # next probe, and their give-up window starts again from there.
        now = self.deps.clock.now()
        run_at = self.deps.slack_auth.retry_at(now) + timedelta(seconds=random.uniform(0, 5))
        async with self.deps.sessions.begin() as session:
            waiting = await TaskRepository(session).wait(
                task.id,
                self.worker_id,
                run_at,
                f"waiting for Slack: {refusal}",
                deadline_at=run_at + kind.give_up_after,
            )
        if not waiting:
            # Cancelled meanwhile: its workspace uninstalled the app, which revoked that token.
            return "cancelled"
        self.deps.slack_auth.refused(refusal, now)
        return "waiting"

    async def _fail(
        self, task: ClaimedTask, kind: TaskKind, reason: str, *, hooks: bool = True
    ) -> None:
        async with self.deps.sessions.begin() as session:
            failed = await TaskRepository(session).fail(
                task.id, self.worker_id, self.deps.clock.now(), reason
            )
        if not failed:
            return  # cancelled meanwhile (uninstalled): nobody there to alert
        log.error("task %s (%s) failed for good: %s", task.id, task.kind, reason)
        if hooks and kind.on_failure is not None:
            try:
                await kind.on_failure(self.deps, task, reason)
            except Exception:
                log.exception("failure hook of task %s raised", task.id)


async def listen_for_work(deps: Deps, *, reconnect_after: float = 2.0) -> None:
    """Wake this process's worker whenever any process enqueues or finishes a task.

    Runs until cancelled; a lost connection is re-opened, and polling covers the gap meanwhile.
    Behind a transaction pooler with no direct connection to listen on, it returns at once: the
    worker finds other processes' tasks by polling.
    """
    if deps.db.listen_url is None:
        log.info(
            "no direct database connection to LISTEN on (DATABASE_DIRECT_URL): other processes' "
            "tasks are found by polling every %g s",
            POLL_SECONDS,
        )
        return
    while True:
        try:
            # The first wake-up comes on (re)connecting: work may have arrived meanwhile.
            async for _ in task_notifications(deps.db):
                deps.work.wake()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("task notifications lost; reconnecting", exc_info=True)
        await asyncio.sleep(reconnect_after)
