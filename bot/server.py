"""The HTTP server: Slack's request URL, health and readiness, and the background workers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.worker import Worker

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
DEPS_KEY = web.AppKey("deps", Deps)
READY_KEY = web.AppKey("ready", asyncio.Event)


def build_web_app(bolt: AsyncApp, deps: Deps, *, run_workers: bool = True) -> web.Application:
    """An aiohttp app serving Slack on ``/slack/events`` plus ``/healthz`` and ``/readyz``."""
    web_app = web.Application(client_max_size=1024**2)
    web_app[DEPS_KEY] = deps
    web_app[READY_KEY] = asyncio.Event()

    async def slack_events(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_response = await bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        ok = await deps.db.ping()
        return web.json_response({"ok": ok, "database": ok}, status=200 if ok else 503)

    async def readyz(request: web.Request) -> web.Response:
        ready = web_app[READY_KEY].is_set() and await deps.db.ping()
        return web.json_response({"ready": ready}, status=200 if ready else 503)

    web_app.router.add_post(SLACK_PATH, slack_events)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    if run_workers:
        web_app.cleanup_ctx.append(_background(deps))
    else:
        web_app.on_startup.append(_mark_ready)
    return web_app


async def _mark_ready(web_app: web.Application) -> None:
    web_app[READY_KEY].set()


def _background(deps: Deps) -> Callable[[web.Application], AsyncIterator[None]]:
    async def workers(web_app: web.Application) -> AsyncIterator[None]:
        worker = Worker(deps)
        runner = asyncio.create_task(worker.run(), name="task-worker")
        web_app[READY_KEY].set()
        yield
        # Graceful shutdown: stop taking work, let running tasks finish for a while, then hand
        # back whatever is left so another process picks it up at once.
        web_app[READY_KEY].clear()
        worker.stop()
        try:
            await asyncio.wait_for(asyncio.shield(runner), timeout=20)
        except TimeoutError:
            runner.cancel()
            log.warning("tasks still running at shutdown were handed back to the queue")
        await worker.release_unfinished()

    return workers
