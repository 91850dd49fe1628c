"""Reaching the process's dependencies from a Bolt listener."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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
    and writes only that workspace's rows (``store.tenancy``). Bolt calls the listener after
    every global middleware has returned (``next()`` only marks that the chain goes on), so a
    ``with`` block here would end before it: the workspace is entered for the rest of the
    request, whose task is its own.
    """

    async def attach_deps(
        context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse | None]]
    ) -> BoltResponse | None:
        context[VERIFIED_KEY] = True
        context[DEPS_KEY] = deps
        authorized = context.authorize_result
        team = context.team_id or (authorized.team_id if authorized is not None else None)
        if team:  # none: nothing of a workspace's (url_verification, ssl_check)
            enter_workspace(team)
        return await next()

    return attach_deps
