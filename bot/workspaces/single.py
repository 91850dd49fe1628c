"""The one workspace of a deployment configured with ``SLACK_BOT_TOKEN``.

At start the token's workspace is learned from Slack (``auth.test``) and recorded, so periodic
jobs run for it, and rows stored before workspaces existed are adopted into it.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import across_workspaces

log = logging.getLogger(__name__)


async def register_single_workspace(
    slack: AsyncWebClient, sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> str | None:
    """Record the token's workspace and adopt unassigned rows; its team id, or None when Slack
    could not say (the token is refused or Slack is unreachable: the next start tries again)."""
    try:
        identity = await slack.auth_test()
    except (SlackApiError, OSError, TimeoutError) as exc:
        log.warning("could not learn this token's workspace from Slack (auth.test): %s", exc)
        return None
    team_id = str(identity.get("team_id") or "")
    if not team_id:
        return None
    with across_workspaces():
        async with sessions.begin() as session:
            workspaces = WorkspaceRepository(session)
            await workspaces.record(
                team_id, name=identity.get("team"), installed_by=None, now=clock.now()
            )
            adopted = await workspaces.adopt_unassigned(team_id)
    if adopted:
        log.info("adopted %d rows stored before workspaces into %s", adopted, team_id)
    return team_id
