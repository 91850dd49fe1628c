"""Socket Mode's HTTP side: health, readiness and metrics only, readiness following the socket."""

from __future__ import annotations

import pytest

from bot.app import create_app
from bot.errors import ConfigError
from bot.jobs import build_registry
from bot.runtime import build_deps
from bot.server import build_web_app
from store.database import Database
from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack
from tests.harness import harness_settings, reset_database, running_bot


class Socket:
    """Stands in for the Socket Mode client's connection state."""

    def __init__(self) -> None:
        self.up = True

    async def is_connected(self) -> bool:
        return self.up


async def test_socket_mode_serves_no_slack_route_and_readiness_follows_the_socket(
    database: Database,
) -> None:
    await reset_database(database)
    socket = Socket()
    async with running_bot(database, slack_route=False, connected=socket.is_connected) as bot:
        base = bot.url.removesuffix("/slack/events")
        status, _ = await bot.post("{}", content_type="application/json")
        assert status == 404
        async with bot.http.get(f"{base}/healthz") as resp:
            assert resp.status == 200
        async with bot.http.get(f"{base}/readyz") as resp:
            assert resp.status == 200
        socket.up = False
        async with bot.http.get(f"{base}/readyz") as resp:
            assert resp.status == 503
            assert (await resp.json())["ready"] is False
        async with bot.http.get(f"{base}/healthz") as resp:
            assert resp.status == 200  # alive, just not connected
        socket.up = True
        async with bot.http.get(f"{base}/readyz") as resp:
            assert resp.status == 200
        assert bot.slack.calls == []


async def test_the_slack_route_needs_a_signing_secret(database: Database) -> None:
    async with FakeSlack() as slack, FakeLLM() as llm:
        settings = harness_settings(slack, llm, slack_signing_secret=None)
        deps = build_deps(settings, database)
        with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
            build_web_app(create_app(deps), deps, build_registry(), run_workers=False)
        # Socket Mode needs none: it serves no Slack route.
        build_web_app(
            create_app(deps), deps, build_registry(), run_workers=False, slack_route=False
        )
        if deps.llm is not None:
            await deps.llm.close()
