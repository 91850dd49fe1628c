"""Socket Mode end to end against a local stand-in for Slack's socket server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import create_app
from store.database import Database
from tests.fakes.slack_api import FakeSlack
from tests.fakes.socket_mode import FakeSocketMode, reference_frame
from tests.harness import TEAM_ID, BotHarness, reset_database, running_bot
from tests.scenario.test_answers import LEARNER, answers_in, cite_first_passage, seed_course

APP_TOKEN = "xapp-1-A0APP0001-1-test"


@dataclass
class SocketBot:
    bot: BotHarness
    socket: FakeSocketMode
    handler: AsyncSocketModeHandler

    @property
    def readyz(self) -> str:
        return self.bot.url.removesuffix("/slack/events") + "/readyz"

    async def ready(self) -> bool:
        async with self.bot.http.get(self.readyz) as resp:
            return resp.status == 200

    async def wait_ready(self, want: bool, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while await self.ready() != want:
            if time.monotonic() > deadline:
                raise AssertionError(f"readiness did not become {want} within {timeout} s")
            await asyncio.sleep(0.05)


@asynccontextmanager
async def socket_bot(database: Database) -> AsyncIterator[SocketBot]:
    await reset_database(database)
    box: dict[str, AsyncSocketModeHandler] = {}

    async def connected() -> bool:
        handler = box.get("handler")
        return handler is not None and bool(await handler.client.is_connected())

    async with FakeSocketMode() as socket, FakeSlack() as slack:
        slack.workspace.socket_url = socket.ws_url
        async with running_bot(
            database, slack=slack, slack_route=False, connected=connected
        ) as bot:
            # As `coachbot serve` does with SLACK_APP_TOKEN set.
            handler = AsyncSocketModeHandler(create_app(bot.deps), APP_TOKEN)
            box["handler"] = handler
            try:
                await handler.connect_async()  # type: ignore[no-untyped-call]
                await socket.wait_connected()
                yield SocketBot(bot, socket, handler)
            finally:
                await handler.close_async()  # type: ignore[no-untyped-call]


def dm_envelope(
    bot: BotHarness, text: str, *, envelope_id: str, event_id: str, ts: str, retry: int = 0
) -> dict[str, Any]:
    envelope = reference_frame("socket_mode_envelope_1_events_api")
    envelope["envelope_id"] = envelope_id
    envelope["retry_attempt"] = retry
    envelope["retry_reason"] = "timeout" if retry else ""
    envelope["payload"] = {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "A0APP0001",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": bot.slack.bot_user_id, "is_bot": True}],
        "event": {
            "type": "message",
            "channel": bot.slack.dm_channel_id(LEARNER),
            "channel_type": "im",
            "user": LEARNER,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "team": TEAM_ID,
        },
    }
    return envelope


async def test_a_dm_over_the_socket_is_acked_and_answered_once_even_when_retried(
    database: Database,
) -> None:
    async with socket_bot(database) as sb:
        bot = sb.bot
        assert bot.slack.calls_to("apps.connections.open")
        await sb.wait_ready(True)
        await seed_course(bot)
        bot.llm.reply_with(cite_first_passage)
        ts = bot.next_ts()
        question = "How do I add an item to a list?"
        await sb.socket.send_envelope(
            dm_envelope(bot, question, envelope_id="env-1", event_id="Ev0SOCK01", ts=ts)
        )
        assert (await sb.socket.wait_for_ack("env-1")) == {"envelope_id": "env-1"}
        await bot.drain()
        channel = bot.slack.dm_channel_id(LEARNER)
        assert len(answers_in(bot, channel)) == 1
        # Slack redelivers the same event in a new envelope when it missed the ack.
        await sb.socket.send_envelope(
            dm_envelope(bot, question, envelope_id="env-2", event_id="Ev0SOCK01", ts=ts, retry=1)
        )
        await sb.socket.wait_for_ack("env-2")
        await bot.drain()
        assert len(answers_in(bot, channel)) == 1
        assert bot.slack.errors == []


async def test_a_disconnect_frame_makes_it_reconnect(database: Database) -> None:
    async with socket_bot(database) as sb:
        await sb.socket.disconnect()
        await sb.socket.wait_connected(count=2)
        assert len(sb.bot.slack.calls_to("apps.connections.open")) == 2
        await sb.wait_ready(True)


async def test_readiness_drops_while_the_socket_is_down(database: Database) -> None:
    async with socket_bot(database) as sb:
        await sb.wait_ready(True)
        sb.socket.open.clear()  # Slack unreachable: reconnection attempts hang
        await sb.socket.drop()
        await sb.wait_ready(False)
        sb.socket.open.set()
        await sb.socket.wait_connected(count=2)
        await sb.wait_ready(True)
