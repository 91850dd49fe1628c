"""The workspaces the deployment serves, their admins, and adopting rows stored before them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, exists, func, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from store.base import Base
from store.models import Escalation, Workspace, WorkspaceAdmin
from store.tenancy import UNASSIGNED

# Trainers first: their allocations, personas and enrolments follow by ON UPDATE CASCADE.
_ADOPT_FIRST = "trainers"


class WorkspaceRepository:
    """Rows of ``workspaces`` and ``workspace_admins``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, team_id: str) -> Workspace | None:
        """The workspace, installed or not."""
        return await self._session.get(Workspace, team_id)

    async def record(
        self, team_id: str, *, name: str | None, installed_by: str | None, now: datetime
    ) -> None:
        """Store (or refresh) an installed workspace, installed ``now``: a reinstall clears
        ``uninstalled_at``; the first installer stays ``installed_by``."""
        statement = insert(Workspace).values(
            team_id=team_id, name=name, installed_by=installed_by, installed_at=now
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[Workspace.team_id],
                set_={
                    "name": func.coalesce(statement.excluded.name, Workspace.name),
                    "installed_by": func.coalesce(
                        Workspace.installed_by, statement.excluded.installed_by
                    ),
                    "installed_at": statement.excluded.installed_at,
                    "uninstalled_at": None,
                },
            )
        )

    async def mark_uninstalled(self, team_id: str, now: datetime) -> None:
        """Note that the app was removed from the workspace (recorded even if it never was).

        Slack may say so twice (``app_uninstalled``, then ``tokens_revoked``): the first time
        stays, so the retention period counts from it.
        """
        statement = insert(Workspace).values(team_id=team_id, uninstalled_at=now)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[Workspace.team_id],
                set_={"uninstalled_at": func.coalesce(Workspace.uninstalled_at, now)},
            )
        )

    async def active_team_ids(self) -> list[str]:
        """Every workspace the app is installed in, in a stable order."""
        rows = await self._session.execute(
            select(Workspace.team_id)
            .where(Workspace.uninstalled_at.is_(None))
            .order_by(Workspace.team_id)
        )
        return list(rows.scalars())

    async def set_trainer_channel(self, team_id: str, channel_id: str | None) -> None:
        """Where the workspace's escalation cards go (recording the workspace if it is new)."""
        statement = insert(Workspace).values(team_id=team_id, trainer_channel_id=channel_id)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[Workspace.team_id],
                set_={"trainer_channel_id": statement.excluded.trainer_channel_id},
            )
        )

    async def admins(self, *, lock: bool = False) -> list[str]:
        """The current workspace's admins, in the order they were added; with ``lock``, their
        rows stay locked until the transaction ends, so concurrent removals take turns."""
        statement = select(WorkspaceAdmin.user_id).order_by(
            WorkspaceAdmin.created_at, WorkspaceAdmin.user_id
        )
        rows = await self._session.execute(statement.with_for_update() if lock else statement)
        return list(rows.scalars())

    async def config(
        self, team_id: str, *, card: tuple[str, str] | None = None
    ) -> tuple[str | None, list[str], bool]:
        """The workspace's trainer channel and admins, in one statement (it runs on hot paths);
        with ``card`` (a channel and a message ts), also whether that message is a card."""
        channel = (
            select(Workspace.trainer_channel_id)
            .where(Workspace.team_id == team_id)
            .scalar_subquery()
        )
        admins = (
            select(
                func.array_agg(
                    aggregate_order_by(
                        WorkspaceAdmin.user_id, WorkspaceAdmin.created_at, WorkspaceAdmin.user_id
                    )
                )
            )
            .where(WorkspaceAdmin.team_id == team_id)
            .scalar_subquery()
        )
        columns: list[ColumnElement[Any]] = [channel, admins]
        if card is not None:
            columns.append(
                exists().where(
                    Escalation.team_id == team_id,
                    Escalation.card_channel == card[0],
                    Escalation.card_ts == card[1],
                )
            )
        row = (await self._session.execute(select(*columns))).one()
        return row[0], list(row[1] or []), bool(card is not None and row[2])

    async def add_admin(self, user_id: str, added_by: str | None) -> bool:
        """Make ``user_id`` an admin of the current workspace; False when already one."""
        inserted = await self._session.execute(
            insert(WorkspaceAdmin)
            .values(user_id=user_id, added_by=added_by)
            .on_conflict_do_nothing()
            .returning(WorkspaceAdmin.user_id)
        )
        return inserted.first() is not None

    async def remove_admin(self, user_id: str) -> bool:
        """Take ``user_id``'s admin role in the current workspace away; False when not one."""
        removed = await self._session.execute(
            delete(WorkspaceAdmin)
            .where(WorkspaceAdmin.user_id == user_id)
            .returning(WorkspaceAdmin.user_id)
        )
        return removed.first() is not None

    async def has_unassigned(self) -> bool:
        """Whether any row is still unassigned (stored before workspaces, or by a command)."""
        checks = " OR ".join(
            f"EXISTS (SELECT 1 FROM {name} WHERE team_id = :unassigned)" for name in _owned_tables()
        )
        found = await self._session.scalar(text(f"SELECT {checks}"), {"unassigned": UNASSIGNED})
        return bool(found)

    async def adopt_unassigned(self, team_id: str) -> int:
        """Give every row stored before workspaces existed to ``team_id``; returns how many."""
        tables = sorted(_owned_tables(), key=lambda name: name != _ADOPT_FIRST)
        adopted = 0
        for name in tables:
            result = await self._session.execute(
                text(f"UPDATE {name} SET team_id = :team WHERE team_id = :unassigned"),
                {"team": team_id, "unassigned": UNASSIGNED},
            )
            adopted += result.rowcount  # type: ignore[attr-defined]
        return adopted


def workspace_tables() -> list[Table]:
    """Every table holding one workspace's rows (a ``team_id``) but ``workspaces`` itself,
    parents first; derived from the models, so a new table is never forgotten."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if "team_id" in table.c and table.name != Workspace.__tablename__
    ]


def _owned_tables() -> list[str]:
    """The tables whose rows may be unassigned (admins only ever join a known workspace)."""
    return [
        table.name for table in workspace_tables() if table.name != WorkspaceAdmin.__tablename__
    ]
