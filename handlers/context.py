"""Reaching the process's dependencies from a Bolt listener."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.deps import Deps

DEPS_KEY = "coachbot_deps"


def deps_of(context: AsyncBoltContext) -> Deps:
    """The ``Deps`` the app factory attached to every request."""
    deps = context.get(DEPS_KEY)
    if not isinstance(deps, Deps):
        raise RuntimeError("the deps middleware did not run")
    return deps


def deps_middleware(deps: Deps) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A global middleware that puts ``deps`` on the context; it opens nothing per request."""

    async def attach_deps(
        context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse | None]]
    ) -> BoltResponse | None:
        context[DEPS_KEY] = deps
        return await next()

    return attach_deps
