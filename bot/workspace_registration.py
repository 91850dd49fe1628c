"""The one workspace of a deployment configured with ``SLACK_BOT_TOKEN``.

Its team id is the token's: Bolt learns it from Slack (``auth.test``) for the first request it
authorizes. That request's process then records the workspace (again, after an uninstall), so
periodic jobs run for it; once per process, off the request. Rows stored before workspaces
existed (or by ``coachbot ingest`` before the first start) are adopted into it before the
process serves anything, when there are any (``adopt_before_serving``).
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import across_workspaces

log = logging.getLogger(__name__)


async def register_single_workspace(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, team_id: str, name: str | None
) -> int:
    """Record the token's workspace (again, after an uninstall) and adopt unassigned rows into
    it; how many rows were adopted. A known, installed workspace with nothing to adopt costs
    two lookups."""
    with across_workspaces():
        async with sessions.begin() as session:
            workspaces = WorkspaceRepository(session)
            known = await workspaces.get(team_id)
            if known is None or known.uninstalled_at is not None:
                # A new token of a workspace that removed the app: it is installed again.
                await workspaces.record(team_id, name=name, installed_by=None, now=clock.now())
            adopted = 0
            if await workspaces.has_unassigned():
                adopted = await workspaces.adopt_unassigned(team_id)
    if adopted:
        log.info("adopted %d rows stored before workspaces into %s", adopted, team_id)
    return adopted


async def adopt_before_serving(
    slack: AsyncWebClient, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """At start, when rows wait to be adopted: learn the token's workspace from Slack and adopt
    them before any request is served, so no request sees the workspace half adopted or stores
    a row that the adoption would then collide with."""
    with across_workspaces():
        async with sessions.begin() as session:
            if not await WorkspaceRepository(session).has_unassigned():
                return
    try:
        identity = await slack.auth_test()
    except (SlackApiError, OSError, TimeoutError) as exc:
        log.warning("could not learn this token's workspace to adopt stored rows: %s", exc)
        return  # the first request's registration adopts them instead
    team_id = str(identity.get("team_id") or "")
    if team_id:
        await register_single_workspace(sessions, clock, team_id, identity.get("team"))


class SingleWorkspace:
    """Registers the token's workspace once per process, when its first request arrives."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._registering: asyncio.Task[int] | None = None

    @property
    def registering(self) -> asyncio.Task[int] | None:
        """The registration under way or done, once a request named the workspace."""
        return self._registering

    async def settle(self) -> None:
        """Let a registration under way finish (at shutdown)."""
        if self._registering is not None and not self._registering.done():
            await asyncio.wait([self._registering], timeout=10)

    def seen(self, team_id: str, name: str | None) -> None:
        """The token belongs to ``team_id``: register it, unless this process already did."""
        if self._registering is not None and not self._registering.cancelled():
            return
        self._registering = asyncio.get_running_loop().create_task(
            self._register(team_id, name), name="register-workspace"
        )

    async def _register(self, team_id: str, name: str | None) -> int:
        try:
            return await register_single_workspace(self._sessions, self._clock, team_id, name)
        except Exception:
            # The next process start (or request of a restarted process) tries again; nothing
            # depends on it but the periodic jobs of a new deployment.
            log.warning("could not record workspace %s", team_id, exc_info=True)
            self._registering = None
            return 0
