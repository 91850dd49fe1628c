"""Which workspace a command-line command works in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import ConfigError
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import UNASSIGNED, across_workspaces


async def choose_workspace(sessions: async_sessionmaker[AsyncSession], given: str | None) -> str:
    """``given``, else the one workspace the database serves.

    Before any workspace is known (a new database, nothing served yet) the work is stored
    unassigned, and a single-workspace bot adopts it when it starts. With several workspaces
    the command must say which.
    """
    if given:
        return given.strip()
    with across_workspaces():
        async with sessions.begin() as session:
            teams = await WorkspaceRepository(session).active_team_ids()
    if len(teams) == 1:
        return teams[0]
    if not teams:
        return UNASSIGNED
    raise ConfigError(
        f"This database serves {len(teams)} workspaces ({', '.join(teams)}): "
        "say which with --workspace TEAM_ID."
    )
