"""Reaching the process's dependencies from a Bolt listener."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.deps import Deps
from bot.workspaces import enter_workspace

DEPS_KEY = "coachbot_deps"
VERIFIED_KEY = "coachbot_verified"


def deps_of(context: AsyncBoltContext) -> Deps:
    """The ``Deps`` the app factory attached to every request."""
    deps = context.get(DEPS_KEY)
    if not isinstance(deps, Deps):
        raise RuntimeError("the deps middleware did not run")
    return deps


def is_verified(context: AsyncBoltContext | None) -> bool:
    """True once the request passed Bolt's checks (signature, or a Socket Mode connection)."""
    return context is not None and context.get(VERIFIED_KEY) is True


def deps_middleware(deps: Deps) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A global middleware that puts ``deps`` on the context; it opens nothing per request.

    Bolt runs its own middleware (request verification among them) before any added with
    ``app.use``, so reaching this one also marks the request as verified. The listener then runs
    in the workspace the verified request came from: whatever ids its payload names, it reads
    and writes only that workspace's rows (``store.tenancy``).
    """

    async def attach_deps(
        context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse | None]]
    ) -> BoltResponse | None:
        context[VERIFIED_KEY] = True
        context[DEPS_KEY] = deps
        authorized = context.authorize_result
        team = context.team_id or (authorized.team_id if authorized is not None else None)
        # Bolt's next() returns before the listener runs, later in this same asyncio task (or
        # in tasks it starts, which copy the context): so the workspace is entered for the rest
        # of the task rather than around next(). Every request sets it anew, None included.
        enter_workspace(team or None)
        if authorized is not None and authorized.team_id and deps.settings.mode == "single":
            deps.single_workspace.seen(authorized.team_id, authorized.team)
        return await next()

    return attach_deps


def actor_id(body: dict[str, Any]) -> str:
    """Who clicked or submitted (an interactivity payload's user)."""
    return str(body["user"]["id"])


def action_value(body: dict[str, Any]) -> str | None:
    """The clicked button's ``value``, if the payload has one."""
    actions = body.get("actions") or [{}]
    value = actions[0].get("value")
    return str(value) if value is not None else None
