"""Best-effort outbox calls: cosmetic Slack writes that must never hold up their thread.

An agent session's status or title only decorates the thread, and the outbox keeps a thread's
calls in order, so a cosmetic call stuck in retries would delay the answers queued behind it.
It is therefore tried at most ``ATTEMPTS`` times, a ``Retry-After`` longer than ``MAX_WAIT`` is
not waited out, and a call that still fails is dropped: the task is done, its result says why,
the failure is logged once per process at WARNING (``bot.best_effort``), and no admin is
alerted. A refused token is the exception: the call waits with every other Slack call.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.tasks.kinds import PermanentFailure, RetryLater
from store.tasks import ClaimedTask

ATTEMPTS = 3
MAX_WAIT = 5.0


async def attempt_best_effort(
    deps: Deps, task: ClaimedTask, method: str, call: Awaitable[Any]
) -> dict[str, Any] | None:
    """Await the call; the task's result when it is dropped, None once Slack took it."""
    try:
        await call
    except PermanentFailure as exc:
        reason = str(exc)
    except RetryLater as exc:
        if task.attempts < ATTEMPTS and exc.delay <= MAX_WAIT:
            raise
        reason = exc.reason
    except (SlackApiError, ClientError, TimeoutError) as exc:
        reason = f"{type(exc).__name__} after {task.attempts} attempts"
        if task.attempts < ATTEMPTS:
            # Retried quietly: the worker would log every failed attempt of a cosmetic call.
            raise RetryLater(min(2.0 ** (task.attempts - 1), MAX_WAIT), reason) from None
    else:
        return None
    deps.best_effort.failed(method, reason)
    return {"dropped": reason}
