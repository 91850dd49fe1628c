"""Each workspace's admins and trainer channel: its own rows, plus the settings in single mode."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FrozenClock
from bot.errors import NotFound, UsageError
from bot.people.permissions import Role, role_of
from bot.settings import Settings
from bot.workspaces import in_workspace
from bot.workspaces.admins import add_admin, remove_admin, workspace_installed
from bot.workspaces.config import is_admin, trainer_channel, workspace_config
from store.database import Database
from store.models import AuditEvent, Workspace
from store.repositories.workspaces import WorkspaceRepository
from tests.harness import TEAM_ID, reset_database

OTHER = "T0OTHER01"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def multi(settings: Settings) -> Settings:
    """The same settings in multi-workspace mode (no single bot token)."""
    return settings.model_copy(update={"slack_bot_token": None})


async def _two_workspaces(session: AsyncSession) -> None:
    repo = WorkspaceRepository(session)
    for team in (TEAM_ID, OTHER):
        await repo.record(team, name=team, installed_by=None, now=NOW)
    await repo.set_trainer_channel(TEAM_ID, "C0ATRAIN1")
    await repo.set_trainer_channel(OTHER, "C0BTRAIN1")
    with in_workspace(TEAM_ID):
        await repo.add_admin("UALICE", added_by=None)
    with in_workspace(OTHER):
        await repo.add_admin("UBORIS", added_by=None)


async def test_an_admin_of_one_workspace_is_not_an_admin_of_another(
    session: AsyncSession, settings: Settings
) -> None:
    await _two_workspaces(session)
    with in_workspace(TEAM_ID):
        assert await is_admin(session, multi(settings), "UALICE")
        assert not await is_admin(session, multi(settings), "UBORIS")
        assert await role_of(session, multi(settings), "UBORIS") is Role.LEARNER
    with in_workspace(OTHER):
        assert await is_admin(session, multi(settings), "UBORIS")
        assert not await is_admin(session, multi(settings), "UALICE")
        assert await role_of(session, multi(settings), "UALICE") is Role.LEARNER
        assert await role_of(session, multi(settings), "UBORIS") is Role.ADMIN


async def test_each_workspace_has_its_own_trainer_channel(
    session: AsyncSession, settings: Settings
) -> None:
    await _two_workspaces(session)
    with in_workspace(OTHER):
        assert await trainer_channel(session, multi(settings)) == "C0BTRAIN1"
        # The workspace's own channel wins over TRAINER_CHANNEL_ID even in single mode.
        assert await trainer_channel(session, settings) == "C0BTRAIN1"
    with in_workspace(TEAM_ID):
        assert await trainer_channel(session, multi(settings)) == "C0ATRAIN1"


async def test_the_settings_count_only_in_single_workspace_mode(
    session: AsyncSession, settings: Settings
) -> None:
    await WorkspaceRepository(session).record(OTHER, name="B", installed_by=None, now=NOW)
    with in_workspace(OTHER):
        single = await workspace_config(session, settings)
        assert single.admins == ("UADMIN",)
        assert single.trainer_channel_id == "C0TRAINERS"
        assert await role_of(session, settings, "UADMIN") is Role.ADMIN
        several = await workspace_config(session, multi(settings))
        assert several.admins == ()
        assert several.trainer_channel_id is None
        assert await role_of(session, multi(settings), "UADMIN") is Role.LEARNER


async def test_the_last_admin_cannot_be_removed(session: AsyncSession, settings: Settings) -> None:
    # A workspace of this test alone: other tests commit audit events in the usual one.
    with in_workspace("T0LASTADM1"):
        mode = multi(settings)
        assert await add_admin(session, mode, "UALICE", by="UALICE")
        assert not await add_admin(session, mode, "UALICE", by="UALICE")  # already one
        with pytest.raises(UsageError, match="last admin"):
            await remove_admin(session, mode, "UALICE", by="UALICE")
        assert await add_admin(session, mode, "UBOB", by="UALICE")
        await remove_admin(session, mode, "UALICE", by="UALICE")  # another admin remains
        assert not await is_admin(session, mode, "UALICE")
        with pytest.raises(NotFound):
            await remove_admin(session, mode, "UALICE", by="UBOB")
        # ADMIN_USER_IDS admins are changed in the setting, not with a command.
        with pytest.raises(UsageError, match="ADMIN_USER_IDS"):
            await remove_admin(session, settings, "UADMIN", by="UBOB")
        actions = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
        assert list(actions) == ["admin.added", "admin.added", "admin.removed"]


async def test_an_install_records_the_workspace_and_its_installer_once(
    database: Database,
) -> None:
    await reset_database(database)
    clock = FrozenClock(NOW)
    await workspace_installed(database.sessions, clock, OTHER, name="Beta", installer="UINST")
    with in_workspace(OTHER):
        async with database.sessions.begin() as session:
            await WorkspaceRepository(session).add_admin("UADDED", added_by="UINST")
            await WorkspaceRepository(session).mark_uninstalled(OTHER, NOW)
    # A reinstall: the workspace is installed again and keeps the admins added since.
    await workspace_installed(database.sessions, clock, OTHER, name="Beta 2", installer="UINST")
    with in_workspace(OTHER):
        async with database.sessions.begin() as session:
            admins = await WorkspaceRepository(session).admins()
            workspace = await session.get(Workspace, OTHER)
            added = (
                await session.scalars(
                    select(AuditEvent.actor_id).where(AuditEvent.action == "admin.added")
                )
            ).all()
    assert sorted(admins) == ["UADDED", "UINST"]
    assert workspace is not None
    assert workspace.name == "Beta 2"
    assert workspace.installed_by == "UINST"
    assert workspace.uninstalled_at is None
    assert list(added) == ["UINST"]  # audited once, at the first install
    with in_workspace(TEAM_ID):
        async with database.sessions.begin() as session:
            assert await WorkspaceRepository(session).admins() == []


async def test_whoever_runs_the_install_again_does_not_become_an_admin(
    database: Database,
) -> None:
    await reset_database(database)
    clock = FrozenClock(NOW)
    await workspace_installed(database.sessions, clock, OTHER, name="Beta", installer="UFIRST")
    # Any member the workspace lets add apps can authorize the app again.
    await workspace_installed(database.sessions, clock, OTHER, name="Beta", installer="UMEMBER")
    with in_workspace(OTHER):
        async with database.sessions.begin() as session:
            admins = await WorkspaceRepository(session).admins()
            workspace = await session.get(Workspace, OTHER)
    assert admins == ["UFIRST"]
    assert workspace is not None
    assert workspace.installed_by == "UFIRST"
