"""``coachbot serve``: HTTP mode behind a load balancer, or Socket Mode with SLACK_APP_TOKEN."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated

import typer
from aiohttp import web

from bot.app import create_app
from bot.jobs import build_registry
from bot.logging_setup import configure_logging
from bot.runtime import close_deps, open_deps
from bot.server import build_web_app
from bot.settings import Settings, load_settings

log = logging.getLogger(__name__)


async def _serve(settings: Settings, host: str, port: int) -> None:
    deps = await open_deps(settings)
    try:
        bolt = create_app(deps)
        socket_mode = None
        if settings.slack_app_token is not None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket_mode = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
        # In Socket Mode Slack's events come over the socket: HTTP serves health, readiness
        # (which follows the socket) and metrics only.
        web_app = build_web_app(
            bolt,
            deps,
            build_registry(),
            slack_route=socket_mode is None,
            connected=socket_mode.client.is_connected if socket_mode is not None else None,
        )
        runner = web.AppRunner(web_app, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if socket_mode is not None:
            await socket_mode.connect_async()  # type: ignore[no-untyped-call]
            log.info("connected to Slack in Socket Mode; health checks on port %d", port)
        else:
            log.info("listening for Slack on http://%s:%d/slack/events", host, port)
            if bolt.oauth_flow is not None:
                log.info(
                    "serving many workspaces: each installs the app from %s on this port",
                    bolt.oauth_flow.install_path,
                )
        await stop.wait()
        log.info("shutting down")
        if socket_mode is not None:
            await socket_mode.close_async()  # type: ignore[no-untyped-call]
        await runner.cleanup()
    finally:
        await close_deps(deps)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command."""

    @app.command()
    def serve(
        port: Annotated[int | None, typer.Option(help="HTTP port (default: PORT or 3000).")] = None,
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "0.0.0.0",
    ) -> None:
        """Start the bot."""
        settings = load_settings()
        settings.require_slack()
        configure_logging(settings.log_level, json_lines=settings.log_json)
        asyncio.run(_serve(settings, host, port or settings.port))
