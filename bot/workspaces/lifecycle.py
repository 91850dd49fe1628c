"""What becomes of a workspace's work and data when the app is uninstalled from it.

On uninstall (``app_uninstalled``, or ``tokens_revoked`` naming bot tokens) its tokens are gone,
so its queued Slack work is cancelled at once: recorded as 'cancelled', never run, alerted about
or retried. Its data stays ``WORKSPACE_RETENTION_DAYS`` days, so a reinstall
(``WorkspaceRepository.record``) resumes it as it was; then a periodic job deletes every row of
it, in short transactions.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from bot.deps import Deps
from store.repositories.workspace_lifecycle import WorkspaceLifecycleRepository, purge_order
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import across_workspaces, in_workspace

log = logging.getLogger(__name__)

CANCELLED_REASON = "workspace uninstalled"
# Rows deleted per statement and transaction: one huge workspace never holds a long lock.
PURGE_BATCH = 1000
PURGE_EVERY = timedelta(minutes=10)


async def installed_since(deps: Deps, team_id: str, sent_at: float | None) -> bool:
    """Whether the workspace was (re)installed after ``sent_at`` (a Unix time, or None)."""
    if sent_at is None:
        return False
    with across_workspaces():
        async with deps.sessions.begin() as session:
            workspace = await WorkspaceRepository(session).get(team_id)
    installed = workspace.installed_at if workspace is not None else None
    # Slack's event_time is in whole seconds: only an install after that second is later.
    return installed is not None and installed.timestamp() >= sent_at + 1


async def workspace_uninstalled(deps: Deps, team_id: str, now: datetime) -> int:
    """Mark the workspace uninstalled and cancel its open tasks, in one transaction; returns
    how many were cancelled.

    A task a worker is running then is cancelled too: whatever its handler does next, the
    worker's bookkeeping leaves it cancelled (and alerts nobody), and anything it enqueues
    is never claimed (``store.task_claim``).
    """
    with in_workspace(team_id):
        async with deps.sessions.begin() as session:
            await WorkspaceRepository(session).mark_uninstalled(team_id, now)
            cancelled = await WorkspaceLifecycleRepository(session).cancel_open_tasks(
                now, CANCELLED_REASON
            )
    log.info("workspace %s uninstalled the app: %d open tasks cancelled", team_id, cancelled)
    return cancelled


async def purge_expired_workspaces(deps: Deps, now: datetime, *, batch: int = PURGE_BATCH) -> int:
    """Cancel tasks that reached uninstalled workspaces late, and delete for good every
    workspace uninstalled longer ago than the retention period; returns the rows acted on.

    Runs across workspaces (a timer job). Idempotent: a purge cut short is finished next time.
    """
    cutoff = now - timedelta(days=deps.settings.workspace_retention_days)
    with across_workspaces():
        async with deps.sessions.begin() as session:
            lifecycle = WorkspaceLifecycleRepository(session)
            late = await lifecycle.cancel_open_tasks(now, CANCELLED_REASON)
            expired = await lifecycle.expired(cutoff)
        if late:
            log.info("cancelled %d tasks that reached uninstalled workspaces", late)
        acted = late
        for team_id in expired:
            acted += await _purge(deps, team_id, cutoff, batch)
    return acted


async def _purge(deps: Deps, team_id: str, cutoff: datetime, batch: int) -> int:
    """Delete one workspace's rows, table by table, one batch per transaction."""
    deleted: Counter[str] = Counter()
    for table in purge_order():
        after: int | None = None
        while True:
            async with deps.sessions.begin() as session:
                lifecycle = WorkspaceLifecycleRepository(session)
                if not await lifecycle.lock_if_expired(team_id, cutoff):
                    log.warning(
                        "workspace %s was reinstalled while its data was being deleted; "
                        "what is left is kept (%s deleted)",
                        team_id,
                        _summary(deleted),
                    )
                    return sum(deleted.values())
                count, after = await lifecycle.delete_batch(table, team_id, batch, after)
            deleted[table.name] += count
            if count < batch:
                break
    async with deps.sessions.begin() as session:
        if await WorkspaceLifecycleRepository(session).delete_workspace(team_id, cutoff):
            deleted["workspaces"] += 1
    log.info("deleted workspace %s for good: %s", team_id, _summary(deleted))
    return sum(deleted.values())


def _summary(deleted: Counter[str]) -> str:
    """``messages 7, tasks 2``: the rows deleted from each table."""
    counts = [f"{name} {count}" for name, count in sorted(deleted.items()) if count]
    return ", ".join(counts) or "no rows"
