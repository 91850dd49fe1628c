"""The Slack workspaces this deployment serves, and each one's admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned, current_team


class Workspace(Timestamped, Base):
    """A workspace the bot was installed in (or the one its single token belongs to).

    Reached by its own ``team_id`` only, so it needs no scoping of its own.
    """

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    # Where escalation cards go; unset, the TRAINER_CHANNEL_ID setting (single workspace).
    trainer_channel_id: Mapped[str | None] = mapped_column(String(32))
    installed_by: Mapped[str | None] = mapped_column(String(32))
    installed_at: Mapped[datetime | None]
    # Set when the app is uninstalled (its tokens are gone); cleared by a new install.
    uninstalled_at: Mapped[datetime | None]


class WorkspaceAdmin(WorkspaceOwned, Timestamped, Base):
    """A user who administers the bot in one workspace: its installer, and those admins add."""

    __tablename__ = "workspace_admins"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True, default=current_team)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_by: Mapped[str | None] = mapped_column(String(32))
