"""Telling admins, straight through Slack, that a stored Slack call was given up on.

The alert does not go through the outbox that just failed. It retries a few times on its own,
but never with a token Slack refuses: then the task stays unalerted, the log says what to fix,
and ``coachbot tasks --failed`` lists it either way.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot import metrics
from bot.deps import Deps
from bot.slack_auth import refusal_of
from bot.workspaces.config import admin_ids
from store.repositories.failed_tasks import FailedTaskRepository
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)


async def alert_admins(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Tell every admin of the task's workspace, once per task, that a Slack message could not
    be delivered."""
    now = deps.clock.now()
    if deps.slack_auth.blocking("chat.postMessage", now) is not None:
        log.error("admins not told that task %s failed: Slack refuses the bot's token", task.id)
        return
    async with deps.sessions.begin() as session:
        if not await FailedTaskRepository(session).mark_alerted(task.id, now):
            return
        admins = await admin_ids(session, deps.settings)
    args = task.payload.get("args", {})
    text = (
        f":warning: Coachbot gave up delivering a Slack message (task {task.id}, "
        f"`{task.payload.get('method')}` to `{args.get('channel', '?')}`) after "
        f"{task.attempts} attempts: {reason[:300]}\n"
        "Run `coachbot tasks --failed` to see it, and `coachbot tasks --retry ID` (or "
        "`--retry-failed` for all) once the cause is fixed."
    )
    for admin in admins:
        if not await _send_alert(deps, admin, text):
            # The token is refused: nobody can be told now; leave the task to be alerted later.
            async with deps.sessions.begin() as session:
                await FailedTaskRepository(session).clear_alerted(task.id)
            return


async def _send_alert(deps: Deps, user_id: str, text: str, *, attempts: int = 5) -> bool:
    """Post one alert; False only when Slack refuses the token (no retry can help)."""
    for attempt in range(1, attempts + 1):
        try:
            await (await deps.slack_client()).chat_postMessage(channel=user_id, text=text)
            deps.slack_auth.accepted("chat.postMessage", deps.clock.now())
            return True
        except SlackApiError as exc:
            metrics.record_slack_error("chat.postMessage", str(exc.response.status_code))
            refusal = refusal_of(exc, "chat.postMessage")
            if refusal is not None:
                deps.slack_auth.refused(refusal, deps.clock.now())
                return False
            delay = float(exc.response.headers.get("Retry-After", 0) or 0) or 2.0**attempt
        except (ClientError, TimeoutError):
            delay = 2.0**attempt
        if attempt < attempts:
            await asyncio.sleep(min(delay, 30.0))
    log.error("could not alert admin %s about a failed Slack call", user_id)
    return True
