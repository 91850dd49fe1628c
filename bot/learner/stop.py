"""Slack's stop button: a learner stops the answer being written in their thread.

Slack sends ``agent_session_stopped`` when the learner clicks stop on a session in the
``processing`` status. The event may reach any process, and the answer may be running in
another one, so the handler only stores the click in PostgreSQL (``request_stop``); the task that
is answering watches its thread for a click newer than the ones there when it started
(``unless_stopped``, polling every ``POLL_SECONDS`` while the model call runs, and only then).

On a click the wrapped coroutine is cancelled (asyncio cancellation: the HTTP request to the
model is abandoned, and a streamed delivery stops where it is), ``AnswerStopped`` is raised and
the caller posts nothing more for that message: no answer, no escalation, no apology. The click is
marked with the message it stopped, so a re-run of the task (``was_stopped``) does not answer it
either. A click while nothing runs, in a thread the bot does not know, or by someone other than
the thread's learner stops nothing.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from typing import TypeVar

from bot.deps import Deps
from store.repositories.session_stops import SessionStopRepository

log = logging.getLogger(__name__)

T = TypeVar("T")

# How often a running answer looks for a stop click: a click takes effect within this.
POLL_SECONDS = 0.2


class AnswerStopped(Exception):
    """The learner stopped the answer; ``stop_ids`` are the clicks that did."""

    def __init__(self, stop_ids: list[int]) -> None:
        super().__init__(f"stopped by the learner (stops {stop_ids})")
        self.stop_ids = stop_ids

    async def record(self, deps: Deps, message_id: int) -> None:
        """Mark the clicks with the learner message whose answer they stopped."""
        async with deps.sessions.begin() as session:
            await SessionStopRepository(session).mark_stopped(self.stop_ids, message_id)


async def request_stop(
    deps: Deps, channel_id: str, thread_ts: str, user_id: str | None, event_ts: str
) -> bool:
    """Store a stop click (once per event); False when it names no thread of that learner."""
    async with deps.sessions.begin() as session:
        stored = await SessionStopRepository(session).record(
            channel_id, thread_ts, user_id, event_ts
        )
    if not stored:
        log.info("ignored a stop for unknown thread %s/%s by %s", channel_id, thread_ts, user_id)
    return stored


async def was_stopped(deps: Deps, message_id: int) -> bool:
    """Whether the learner stopped the answer to this message (an earlier run saw the click)."""
    async with deps.sessions.begin() as session:
        return await SessionStopRepository(session).was_stopped(message_id)


async def _watch(deps: Deps, channel_id: str, thread_ts: str, after_id: int) -> list[int]:
    """Return the stop clicks of the thread newer than ``after_id`` as soon as there are any."""
    while True:
        await asyncio.sleep(POLL_SECONDS)
        try:
            async with deps.sessions.begin() as session:
                stops = await SessionStopRepository(session).after(channel_id, thread_ts, after_id)
        except Exception:
            # A lost poll must not fail the answer it watches: the next one tries again.
            log.warning("could not look for stop clicks; trying again", exc_info=True)
            continue
        if stops:
            return stops


async def unless_stopped(deps: Deps, channel_id: str, thread_ts: str, work: Awaitable[T]) -> T:
    """Await ``work`` unless the learner stops the thread meanwhile: then cancel it and raise
    ``AnswerStopped``. Clicks made before this call do not count."""
    try:
        async with deps.sessions.begin() as session:
            after_id = await SessionStopRepository(session).latest_id(channel_id, thread_ts)
    except BaseException:
        if inspect.iscoroutine(work):
            work.close()  # never started: say so, instead of "coroutine was never awaited"
        raise
    running = asyncio.ensure_future(work)
    watcher = asyncio.create_task(_watch(deps, channel_id, thread_ts, after_id))
    try:
        done, _ = await asyncio.wait({running, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if watcher not in done:
            return running.result()
        running.cancel()
        # The work's own clean-up runs now; whatever it raises while cancelled changes nothing.
        try:
            await running
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # this task itself is being cancelled (shutdown), not just the work
        except Exception:
            log.debug("the stopped work raised while cancelled", exc_info=True)
        raise AnswerStopped(watcher.result())
    finally:
        for task in (running, watcher):
            task.cancel()
        await asyncio.gather(running, watcher, return_exceptions=True)
