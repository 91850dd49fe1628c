"""The running workspace's admins and trainer channel: who administers the bot and where cards go.

A workspace's admins are its ``workspace_admins`` rows (the installer, and whoever admins add);
its trainer channel is ``workspaces.trainer_channel_id``. A deployment with one bot token
(``SLACK_BOT_TOKEN``) serves one workspace, so the ``ADMIN_USER_IDS`` setting adds admins to it
and ``TRAINER_CHANNEL_ID`` is its channel until one is chosen with ``/coach channel``. With
several workspaces those settings mean nothing: each workspace has only what it stored.

Both are read on hot paths (every card, every role check, every reply in a channel thread), so
one statement reads both, and its answer is kept for the rest of the caller's transaction:
however many checks a transaction makes, the workspace's rows are read once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import current_team

_CACHE_KEY = "coachbot_workspace_config"


@dataclass(frozen=True)
class StoredConfig:
    """What the workspace's own rows say."""

    trainer_channel_id: str | None
    admins: tuple[str, ...]


@dataclass(frozen=True)
class WorkspaceConfig:
    """The workspace's admins (its own, then the settings' in single mode) and trainer channel."""

    admins: tuple[str, ...]
    trainer_channel_id: str | None
    # Admins that come from ADMIN_USER_IDS (single-workspace mode), changed only there.
    setting_admins: tuple[str, ...] = ()

    def is_admin(self, user_id: str) -> bool:
        """Whether ``user_id`` administers this workspace."""
        return user_id in self.admins


def single_workspace(settings: Settings) -> bool:
    """True when the deployment serves the one workspace of ``SLACK_BOT_TOKEN``."""
    return settings.slack_bot_token is not None


async def stored_config(session: AsyncSession) -> StoredConfig:
    """The current workspace's rows, read once per transaction."""
    team = current_team()
    cached = session.info.get(_CACHE_KEY)
    transaction = session.sync_session.get_transaction()
    if cached is not None and cached[0] is transaction and cached[1] == team:
        return cached[2]  # type: ignore[no-any-return]
    channel, admins, _ = await WorkspaceRepository(session).config(team)
    return _keep(session, team, StoredConfig(channel, tuple(admins)))


def _keep(session: AsyncSession, team: str, stored: StoredConfig) -> StoredConfig:
    # Read inside the transaction, so it is that transaction's object from now on.
    session.info[_CACHE_KEY] = (session.sync_session.get_transaction(), team, stored)
    return stored


def forget_config(session: AsyncSession) -> None:
    """After a change to the workspace's admins or channel: the next read sees it."""
    session.info.pop(_CACHE_KEY, None)


async def workspace_config(session: AsyncSession, settings: Settings) -> WorkspaceConfig:
    """The current workspace's admins and trainer channel."""
    stored = await stored_config(session)
    if not single_workspace(settings):
        return WorkspaceConfig(stored.admins, stored.trainer_channel_id)
    from_settings = tuple(a for a in settings.admin_user_ids if a not in stored.admins)
    return WorkspaceConfig(
        (*stored.admins, *from_settings),
        stored.trainer_channel_id or settings.trainer_channel_id,
        setting_admins=tuple(settings.admin_user_ids),
    )


async def admin_ids(session: AsyncSession, settings: Settings) -> list[str]:
    """Everyone who administers the current workspace."""
    return list((await workspace_config(session, settings)).admins)


async def is_admin(session: AsyncSession, settings: Settings, user_id: str) -> bool:
    """Whether ``user_id`` administers the current workspace."""
    if single_workspace(settings) and user_id in settings.admin_user_ids:
        return True  # no need to read anything
    return (await workspace_config(session, settings)).is_admin(user_id)


async def is_card_thread(
    session: AsyncSession, settings: Settings, channel_id: str, thread_ts: str
) -> bool:
    """Whether a reply in thread ``thread_ts`` of ``channel_id`` may be for an escalation card:
    the channel is the workspace's trainer channel, or the thread is a card posted before
    another channel was chosen (its thread keeps working). One statement."""
    team = current_team()
    channel, admins, card = await WorkspaceRepository(session).config(
        team, card=(channel_id, thread_ts)
    )
    stored = _keep(session, team, StoredConfig(channel, tuple(admins)))
    if card:
        return True
    if single_workspace(settings):
        channel = stored.trainer_channel_id or settings.trainer_channel_id
    return channel is not None and channel == channel_id


async def trainer_channel(session: AsyncSession, settings: Settings) -> str | None:
    """Where the current workspace's escalation cards go; None: to its admins by DM."""
    return (await workspace_config(session, settings)).trainer_channel_id
