"""The HTTP server: Slack's request URL, health, readiness, metrics and the background workers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hmac
import json
import logging
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import SecretStr
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.coach.subjects import subject_banks_for
from bot.deps import Deps
from bot.errors import ConfigError
from bot.escalation.intents import detector_for
from bot.inbox import LEARNER_MESSAGE
from bot.jobs import default_jobs
from bot.logging_setup import bound_request_id, request_id_for
from bot.metrics import instrument_llm, render_metrics
from bot.slack_auth import probe_token
from bot.tasks.kinds import TaskRegistry
from bot.tasks.outbox import SLACK_CALL
from bot.tasks.timers import TimerRunner
from bot.tasks.worker import Worker, listen_for_work
from bot.workspace_registration import adopt_before_serving
from bot.workspaces import across_workspaces

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
DEPS_KEY = web.AppKey("deps", Deps)
READY_KEY = web.AppKey("ready", asyncio.Event)
WORKER_KEY = web.AppKey("worker", Worker)
# How long in-flight tasks may run on after SIGTERM before they are handed back to the queue.
SHUTDOWN_GRACE_SECONDS = 20.0
# Slack's own payloads stay far below this; anything bigger is not from Slack.
MAX_REQUEST_BYTES = 1024**2


def build_web_app(
    bolt: AsyncApp,
    deps: Deps,
    tasks: TaskRegistry,
    *,
    run_workers: bool = True,
    timer_tick: float = 5.0,
    slack_route: bool = True,
    connected: Callable[[], Awaitable[bool]] | None = None,
) -> web.Application:
    """An aiohttp app serving Slack on ``/slack/events`` (with many workspaces, the install
    link ``/slack/install`` and ``/slack/oauth_redirect`` too) plus health, readiness, metrics.

    Unless ``run_workers`` is false, it also runs the worker for the task kinds of ``tasks`` and
    the timer jobs. In Socket Mode pass ``slack_route=False`` (Slack's events come over the
    socket, so nothing Slack-facing is served over HTTP) and ``connected``, which readiness then
    follows: not ready while the socket is down.
    """
    secret = deps.settings.slack_signing_secret
    if slack_route and secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: the HTTP request URL cannot verify Slack's requests "
            "without it (set it, or SLACK_APP_TOKEN to use Socket Mode)."
        )
    web_app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    web_app[DEPS_KEY] = deps
    web_app[READY_KEY] = asyncio.Event()
    if deps.llm is not None:
        instrument_llm(deps.llm)

    verifier = SignatureVerifier(secret.get_secret_value()) if secret else None

    async def slack_events(request: web.Request) -> web.Response:
        with bound_request_id(request_id_for(request.headers)):
            raw = await request.read()
            if not signed_by_slack(verifier, raw, request.headers):
                if _is_ssl_check(raw):
                    return web.Response(status=200)
                # Refused here, before Bolt: nothing of an unverified body is ever acted on.
                log.info("refused a request without a valid Slack signature")
                return web.json_response({"error": "invalid request signature"}, status=401)
            try:
                bolt_request = await to_bolt_request(request)
            except (ValueError, UnicodeDecodeError):
                # Unparseable bodies (Bolt parses before verifying the signature) change nothing.
                log.info("refused a malformed request")
                return web.json_response({"error": "malformed request"}, status=400)
            bolt_response = await bolt.async_dispatch(bolt_request)
            return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        ok = await deps.db.ping()
        return web.json_response({"ok": ok, "database": ok}, status=200 if ok else 503)

    async def readyz(request: web.Request) -> web.Response:
        # Not ready while starting or draining, so the load balancer sends Slack elsewhere.
        ready = web_app[READY_KEY].is_set() and await deps.db.ping()
        if ready and connected is not None:
            ready = await connected()
        # A refused token is an outage: tasks wait, and readiness says what to fix.
        await probe_token(deps.slack, deps.slack_auth, deps.clock.now())
        body: dict[str, Any] = {"ready": ready and deps.slack_auth.ok}
        if not deps.slack_auth.ok:
            body["slack"] = deps.slack_auth.problems()
        return web.json_response(body, status=200 if body["ready"] else 503)

    metrics_token = deps.settings.metrics_token

    async def metrics(request: web.Request) -> web.Response:
        if metrics_token is None:
            raise web.HTTPNotFound()
        if not bearer_matches(request.headers.get("Authorization", ""), metrics_token):
            log.info("refused a metrics scrape without the right token")
            return web.json_response(
                {"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": "Bearer"}
            )
        # The deployment's metrics: every workspace's queue and tickets together.
        with across_workspaces():
            async with deps.sessions() as session:
                body = await render_metrics(session, deps.clock.now(), outbox_kind=SLACK_CALL)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    if slack_route:
        web_app.router.add_post(SLACK_PATH, slack_events)
        _add_install_routes(web_app, bolt)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)
    web_app.middlewares.append(_json_errors)
    # First of the start-up hooks, before the workers (``cleanup_ctx``) take any message.
    web_app.on_startup.insert(0, _warm_judgement)
    web_app.on_startup.append(_freeze_startup_heap)

    async def settle_registration(web_app: web.Application) -> None:
        await deps.single_workspace.settle()

    web_app.on_cleanup.append(settle_registration)
    if run_workers:
        web_app.cleanup_ctx.append(_background(deps, tasks, timer_tick))
    else:
        web_app.on_startup.append(_mark_ready)
    return web_app


def _add_install_routes(web_app: web.Application, bolt: AsyncApp) -> None:
    """With many workspaces, the install link and Slack's redirect back, run by Bolt's flow."""
    flow = bolt.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        with bound_request_id(request_id_for(request.headers)):
            bolt_response = await flow.handle_installation(await to_bolt_request(request))
            return await to_aiohttp_response(bolt_response)

    async def oauth_redirect(request: web.Request) -> web.Response:
        # Bolt checks the state against its cookie and consumes it (once) before the exchange.
        with bound_request_id(request_id_for(request.headers)):
            bolt_response = await flow.handle_callback(await to_bolt_request(request))
            return await to_aiohttp_response(bolt_response)

    web_app.router.add_get(flow.install_path, install)
    web_app.router.add_get(flow.redirect_uri_path, oauth_redirect)


WARM_SECONDS = 60.0

# Slack's timestamps are whole seconds; a longer string is not one (and int() of a huge one raises).
_MAX_TIMESTAMP_DIGITS = 12


def signed_by_slack(
    verifier: SignatureVerifier | None, body: bytes, headers: Mapping[str, str]
) -> bool:
    """True when ``headers`` carry a current, valid Slack signature of ``body``.

    Malformed or missing headers (a timestamp that is not a whole number, an empty signature) are
    simply not valid: unlike Bolt's own check, nothing here raises.
    """
    if verifier is None:
        return False
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if len(timestamp) > _MAX_TIMESTAMP_DIGITS:
        return False
    try:
        return verifier.is_valid(body, timestamp, signature)
    except (ValueError, UnicodeDecodeError):
        return False


def bearer_matches(authorization: str, token: SecretStr) -> bool:
    """True when an ``Authorization`` header is ``Bearer <token>`` (compared in constant time)."""
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.get_secret_value():
        return False
    return hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode())


def _is_ssl_check(body: bytes) -> bool:
    # Slack's SSL check for slash commands is not signed; it is answered and never dispatched.
    try:
        form = urllib.parse.parse_qs(body.decode("ascii"))
    except UnicodeDecodeError:
        return False
    return form.get("ssl_check") == ["1"]


@web.middleware
async def _json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return web.json_response({"error": "request too large"}, status=413)
    except json.JSONDecodeError:
        return web.json_response({"error": "malformed request"}, status=400)


async def _warm_judgement(web_app: web.Application) -> None:
    # The intent examples and subject banks (some 2,400 texts with the bundled model) take
    # seconds to embed: done before the workers start and the port opens, the first learner's
    # message does not wait for them. Bounded, so a hung embedding endpoint cannot hold the
    # start: what is not ready then is embedded for the first message instead.
    embedder = web_app[DEPS_KEY].embedder
    try:
        async with asyncio.timeout(WARM_SECONDS):
            await detector_for(embedder).warm()
            await subject_banks_for(embedder).warm()
    except TimeoutError:
        log.warning("judgement examples not embedded within %.0f s of start-up", WARM_SECONDS)


async def _freeze_startup_heap(web_app: web.Application) -> None:
    # Imports and start-up leave a few hundred thousand long-lived objects; a full collection
    # walked them all, stalling the loop (and every ack in flight) for 100-200 ms. Frozen, they
    # are skipped by the collector, which then only sees objects made while serving.
    gc.collect()
    gc.freeze()


async def _mark_ready(web_app: web.Application) -> None:
    web_app[READY_KEY].set()


def _background(
    deps: Deps, tasks: TaskRegistry, timer_tick: float
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def workers(web_app: web.Application) -> AsyncIterator[None]:
        if deps.settings.mode == "single":
            await adopt_before_serving(deps.slack, deps.sessions, deps.clock)
        # One learner's flood of new DMs waits its turn instead of taking every worker slot.
        worker = Worker(
            deps, tasks, per_user=(LEARNER_MESSAGE, deps.settings.learner_tasks_per_user)
        )
        web_app[WORKER_KEY] = worker
        timers = TimerRunner(deps, default_jobs(), tick=timer_tick)
        runner = asyncio.create_task(worker.run(), name="task-worker")
        timer_task = asyncio.create_task(timers.run(), name="timers")
        listener = asyncio.create_task(listen_for_work(deps), name="task-notifications")
        web_app[READY_KEY].set()
        yield
        # Graceful shutdown: report not ready, stop taking work, let running tasks finish for a
        # while, then hand back whatever is left so another process picks it up at once.
        web_app[READY_KEY].clear()
        worker.stop()
        timers.stop()
        listener.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(runner), timeout=SHUTDOWN_GRACE_SECONDS)
        except TimeoutError:
            runner.cancel()
            log.warning("tasks still running at shutdown were handed back to the queue")
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(timer_task, timeout=SHUTDOWN_GRACE_SECONDS)
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        await worker.release_unfinished()

    return workers
