"""Keeping each person's Home tab current: a durable ``home.refresh`` task per user.

Callers enqueue in the same transaction as the change, so the refresh cannot be lost. Changes
often come in bursts (claim, relay, resolve), so the task coalesces: when a newer refresh of the
same user is already queued behind it, this one does nothing and the newer one publishes once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.home import build_home_view
from bot.deps import Deps
from bot.home.tab import load_home
from bot.tasks.kinds import TaskRegistry
from bot.tasks.queue import enqueue
from store.tasks import ClaimedTask, TaskRepository

HOME_REFRESH = "home.refresh"


def _key(user_id: str) -> str:
    return f"home:{user_id}"


async def schedule_home_refresh(session: AsyncSession, user_ids: list[str]) -> None:
    """Enqueue a Home tab refresh for each user, within the caller's transaction."""
    for user_id in dict.fromkeys(u for u in user_ids if u):
        await enqueue(session, HOME_REFRESH, {"user_id": user_id}, ordering_key=_key(user_id))


async def publish_home(deps: Deps, user_id: str) -> None:
    """Build the user's role-specific Home tab and publish it."""
    async with deps.sessions.begin() as session:
        data = await load_home(session, deps.settings, user_id, deps.clock.now())
    await (await deps.slack_client()).views_publish(
        user_id=user_id, view=build_home_view(data).to_dict()
    )


async def refresh_home(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: publish the Home tab unless a newer refresh is queued."""
    async with deps.sessions.begin() as session:
        tasks = TaskRepository(session)
        if await tasks.has_newer_pending(HOME_REFRESH, task.ordering_key, task.id):
            return {"skipped": True}
    await publish_home(deps, str(task.payload["user_id"]))
    return None


def register(tasks: TaskRegistry) -> None:
    """Register the Home tab refresh task kind."""
    tasks.register(HOME_REFRESH, refresh_home)


async def request_home_refresh(deps: Deps, user_id: str) -> None:
    """Queue a refresh for someone who just opened their Home tab."""
    async with deps.sessions.begin() as session:
        await schedule_home_refresh(session, [user_id])
