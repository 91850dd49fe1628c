"""The end of a workspace's stay: stopping its queued work when the app is uninstalled, and
deleting every row of it once the retention period is over. Never commits, like every repository.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Task, Workspace
from store.repositories.workspaces import workspace_tables

# The status of a task closed unrun because its workspace uninstalled the app: finished, like
# 'done', so it is never claimed, alerted about or retried as a failure, but kept visible.
CANCELLED = "cancelled"
_OPEN = ("pending", "running")


def purge_order() -> list[Table]:
    """Every table holding a workspace's rows but ``workspaces`` itself, children first.

    Derived from the models, so a new table is never forgotten. Deleting children before their
    parents keeps each statement to its own batch: a parent deleted first would take all its
    children along in one statement (ON DELETE CASCADE). Tables without ``team_id``
    (``course_lexemes``) hang off a workspace's rows and go with them: the chunk triggers count
    the lexemes down as chunks go, and the course's cascade takes any rest.
    """
    return list(reversed(workspace_tables()))


# slack-sdk's installation store (migration 0017): tables of its own, outside the models.
INSTALLATION_TABLES = ("slack_installations", "slack_bots")


class WorkspaceLifecycleRepository:
    """Cancelling an uninstalled workspace's tasks, and deleting expired workspaces' rows."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def cancel_open_tasks(self, now: datetime, reason: str) -> int:
        """Close the open tasks of workspaces marked uninstalled, without running them.

        Inside ``in_workspace`` only that workspace's; across workspaces, every uninstalled
        one's. A running task is cancelled too: its worker's outcome no longer applies to it
        (``TaskRepository.complete``, ``retry`` and ``fail`` only touch running tasks).
        """
        uninstalled = select(Workspace.team_id).where(Workspace.uninstalled_at.is_not(None))
        cancelled = await self._session.execute(
            update(Task)
            .where(Task.status.in_(_OPEN), Task.team_id.in_(uninstalled))
            .values(status=CANCELLED, finished_at=now, locked_until=None, last_error=reason)
            .returning(Task.id)
        )
        return len(cancelled.all())

    async def expired(self, cutoff: datetime) -> list[str]:
        """The workspaces uninstalled before ``cutoff``, oldest first."""
        rows = await self._session.execute(
            select(Workspace.team_id)
            .where(Workspace.uninstalled_at < cutoff)
            .order_by(Workspace.uninstalled_at, Workspace.team_id)
        )
        return list(rows.scalars())

    async def lock_if_expired(self, team_id: str, cutoff: datetime) -> bool:
        """Lock the workspace's row until the transaction ends, if it is still expired.

        A reinstall (``WorkspaceRepository.record``) waits for the lock, so it never lands in
        the middle of a batch, and the next batch sees it and stops.
        """
        locked = await self._session.execute(
            select(Workspace.team_id)
            .where(Workspace.team_id == team_id, Workspace.uninstalled_at < cutoff)
            .with_for_update()
        )
        return locked.first() is not None

    async def delete_batch(
        self, table: Table, team_id: str, limit: int, after: int | None
    ) -> tuple[int, int | None]:
        """Delete up to ``limit`` of the workspace's rows of ``table``: how many, and the key to
        pass as ``after`` for the next batch.

        A table keyed by one integer column is walked in key order from ``after``, so batches
        never scan again what earlier ones passed (most of these tables have no index on
        ``team_id``); the others (a workspace's people, small) are deleted by row address.
        """
        keys = list(table.primary_key.columns)
        params = {"team": team_id, "limit": limit}
        if len(keys) == 1 and keys[0].type.python_type is int:
            key = keys[0].name
            resume = f"AND {key} > :after " if after is not None else ""
            statement = (
                f"DELETE FROM {table.name} WHERE {key} IN ("
                f"SELECT {key} FROM {table.name} WHERE team_id = :team {resume}"
                f"ORDER BY {key} LIMIT :limit) RETURNING {key}"
            )
            deleted = list(
                (await self._session.execute(text(statement), {**params, "after": after}))
                .scalars()
                .all()
            )
            return len(deleted), max(deleted, default=after)
        statement = (
            f"DELETE FROM {table.name} WHERE ctid = ANY(ARRAY("
            f"SELECT ctid FROM {table.name} WHERE team_id = :team LIMIT :limit))"
        )
        result = await self._session.execute(text(statement), params)
        return int(result.rowcount), None  # type: ignore[attr-defined]

    async def delete_workspace(self, team_id: str, cutoff: datetime) -> bool:
        """Delete the workspace's own row, if it is still expired (its data is gone), and what
        the installation store still holds of it (a revoked token's installation row)."""
        deleted = await self._session.execute(
            text(
                "DELETE FROM workspaces WHERE team_id = :team AND uninstalled_at < :cutoff "
                "RETURNING team_id"
            ),
            {"team": team_id, "cutoff": cutoff},
        )
        if deleted.first() is None:
            return False
        for table in INSTALLATION_TABLES:
            await self._session.execute(
                text(f"DELETE FROM {table} WHERE team_id = :team"), {"team": team_id}
            )
        return True
