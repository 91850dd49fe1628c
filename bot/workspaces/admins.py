"""Changing a workspace's admins and trainer channel, and recording a new install.

Every change is audited in the transaction that makes it. A workspace always keeps an admin:
removing one locks the workspace's admin rows first, so two admins removing each other at the
same moment take turns and the second sees that the first already left.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.errors import NotFound, UsageError
from bot.settings import Settings
from bot.workspaces.config import forget_config, single_workspace, trainer_channel
from store.repositories.audit import AuditRepository
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import current_team, in_workspace


async def add_admin(session: AsyncSession, settings: Settings, user_id: str, by: str) -> bool:
    """Make ``user_id`` an admin of the current workspace; False when they already were one."""
    if single_workspace(settings) and user_id in settings.admin_user_ids:
        return False
    added = await WorkspaceRepository(session).add_admin(user_id, added_by=by)
    if added:
        await AuditRepository(session).record("admin.added", by, admin=user_id)
        forget_config(session)
    return added


async def remove_admin(session: AsyncSession, settings: Settings, user_id: str, by: str) -> None:
    """Take away ``user_id``'s admin role in the current workspace, unless they are its last."""
    if single_workspace(settings) and user_id in settings.admin_user_ids:
        raise UsageError(
            f"<@{user_id}> is an admin through the `ADMIN_USER_IDS` setting: take them out of "
            "it (and restart the bot) to remove them."
        )
    repo = WorkspaceRepository(session)
    stored = await repo.admins(lock=True)
    if user_id not in stored:
        raise NotFound(f"<@{user_id}> is not an admin.")
    others = [a for a in stored if a != user_id]
    if single_workspace(settings):
        others += settings.admin_user_ids
    if not others:
        who = "you are" if user_id == by else f"<@{user_id}> is"
        raise UsageError(
            f"Sorry, {who} the last admin of this workspace. Add another admin first "
            "(`/coach admin add @someone`), then try again."
        )
    await repo.remove_admin(user_id)
    await AuditRepository(session).record("admin.removed", by, admin=user_id)
    forget_config(session)


async def set_trainer_channel(
    session: AsyncSession, settings: Settings, channel_id: str, by: str
) -> str | None:
    """Send the current workspace's escalation cards to ``channel_id``; the previous channel."""
    old = await trainer_channel(session, settings)
    await WorkspaceRepository(session).set_trainer_channel(current_team(), channel_id)
    await AuditRepository(session).record("trainer_channel.set", by, old=old, new=channel_id)
    forget_config(session)
    return old


async def workspace_installed(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    team_id: str,
    *,
    name: str | None,
    installer: str | None,
) -> None:
    """Record a workspace the app was installed in; its first installer becomes its admin.

    Safe to repeat: a reinstall refreshes the workspace and keeps its admins. Anyone a
    workspace lets add apps can run the install again, so only a workspace with no admin at
    all (a first install) gets one this way; the others are added by an admin.
    """
    with in_workspace(team_id):
        async with sessions.begin() as session:
            workspaces = WorkspaceRepository(session)
            await workspaces.record(team_id, name=name, installed_by=installer, now=clock.now())
            first = not await workspaces.admins(lock=True)
            if installer and first and await workspaces.add_admin(installer, added_by=None):
                await AuditRepository(session).record(
                    "admin.added", installer, admin=installer, via="install"
                )
