"""What leaves with a workspace that removes the app, or revokes its bot's token.

Its installation and bot tokens are deleted from the installation store at once (every process
reads them there, so none sends with them again; each drops its cached client within
``bot.slack_clients.RECHECK_SECONDS``, this one immediately), and its open work is cancelled;
its data is kept for the retention period (``bot.workspaces.lifecycle``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.deps import Deps
from bot.workspaces.lifecycle import installed_since, workspace_uninstalled

log = logging.getLogger(__name__)


class Uninstalls:
    """Removes a workspace's tokens when Slack says they are gone."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def on_uninstalled(
        self, team_id: str, enterprise_id: str | None = None, *, sent_at: float | None = None
    ) -> None:
        """``app_uninstalled``: the workspace's installation and bot tokens are deleted.

        ``sent_at`` is when Slack sent the event (its ``event_time``): an event older than the
        workspace's latest install (a retry, or one delayed past a quick reinstall) is ignored,
        so it cannot take the new install's token.
        """
        if await installed_since(self.deps, team_id, sent_at):
            log.info("ignored an uninstall of %s sent before its latest install", team_id)
            return
        store = self.deps.installations
        if store is None:
            log.warning(
                "Slack says workspace %s uninstalled the app: SLACK_BOT_TOKEN no longer works",
                team_id,
            )
        else:
            await store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
            await store.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)
            self.deps.slack_clients.forget(team_id)
            log.info("workspace %s uninstalled the app: its tokens were removed", team_id)
        # Nothing left in the queue for it can be sent any more.
        await workspace_uninstalled(self.deps, team_id, self.deps.clock.now())

    async def on_tokens_revoked(
        self,
        team_id: str,
        bot_user_ids: Sequence[str],
        enterprise_id: str | None = None,
        *,
        sent_at: float | None = None,
    ) -> None:
        """``tokens_revoked``: with the bot's token among them, the workspace's bot goes; user
        tokens alone change nothing (the app holds none). Older than the latest install: ignored."""
        if not bot_user_ids:
            return
        if await installed_since(self.deps, team_id, sent_at):
            log.info("ignored a token revocation of %s sent before its latest install", team_id)
            return
        store = self.deps.installations
        if store is None:
            log.warning("Slack says workspace %s revoked the bot token", team_id)
        else:
            await store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
            self.deps.slack_clients.forget(team_id)
            log.info("workspace %s revoked the bot token: it was removed", team_id)
        await workspace_uninstalled(self.deps, team_id, self.deps.clock.now())
