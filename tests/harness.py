"""A running bot for scenario tests: real HTTP in, fake Slack and fake LLM out, real PostgreSQL.

Requests are signed exactly as Slack signs them and sent to ``/slack/events``; what the bot sends
to Slack lands in ``FakeSlack``, which checks every call against Slack's reference. Nothing here
sleeps for a fixed time: tests wait for calls to arrive or for the task queue to drain.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.app import create_app
from bot.clock import Clock, FrozenClock
from bot.deps import Deps
from bot.jobs import build_registry
from bot.runtime import build_deps
from bot.server import build_web_app
from bot.settings import Settings
from bot.tasks.kinds import TaskRegistry
from bot.workspaces import across_workspaces
from store.database import Database
from store.repositories.workspaces import WorkspaceRepository
from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack

SIGNING_SECRET = "test-signing-secret"
METRICS_TOKEN = "test-metrics-token"
TEAM_ID = "T0FAKE001"


# Slack gives up on a request after 3 s; a test request still unanswered after this is stuck.
REQUEST_TIMEOUT = 60.0


async def database_activity(db: Database) -> str:
    """What every other session of the database is doing, for a test that is stuck waiting."""
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid), "
                "left(query, 120) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        return "\n".join(str(tuple(row)) for row in rows)


def task_stacks(limit: int = 40) -> str:
    """Where every coroutine of the loop is waiting, for a test that is stuck waiting."""
    lines = []
    for task in list(asyncio.all_tasks())[:limit]:
        frames = task.get_stack(limit=8)
        where = " <- ".join(f"{f.f_code.co_name}:{f.f_lineno}" for f in reversed(frames))
        lines.append(f"{task.get_name()}: {where}")
    return "\n".join(lines)


async def reset_database(db: Database) -> None:
    """Empty every table (scenario tests commit for real), keeping the schema.

    A session left open in a transaction would make TRUNCATE wait for ever: it waits 20 s at
    most, then fails naming what holds the tables.
    """
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("SET LOCAL lock_timeout = '20s'"))
            tables = (
                await conn.execute(
                    text(
                        "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
                        "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                )
            ).scalar_one()
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    except DBAPIError as exc:
        raise AssertionError(
            f"could not empty the tables: {exc.orig}\n{await database_activity(db)}"
        ) from exc


@dataclass
class BotHarness:
    """One bot process under test, reachable at ``url``."""

    deps: Deps
    slack: FakeSlack
    llm: FakeLLM
    url: str
    http: aiohttp.ClientSession
    tasks: TaskRegistry  # the worker's task kinds; a test may swap one for a stand-in
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _events: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # The workspace requests come from; a test sets another to act in a second workspace.
    team: str = TEAM_ID

    # ---- raw requests

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        signed: bool = True,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """POST a body to /slack/events, signed as Slack would sign it unless told otherwise."""
        ts = str(timestamp if timestamp is not None else int(time.time()))
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
            all_headers |= {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                async with self.http.post(
                    self.url, data=body.encode(), headers=all_headers
                ) as resp:
                    return resp.status, await resp.text()
        except TimeoutError:
            activity = await database_activity(self.deps.db)
            stuck = (
                f"the bot did not answer a request; database:\n{activity}\n"
                f"coroutines:\n{task_stacks()}"
            )
            raise AssertionError(stuck) from None

    async def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> tuple[int, str]:
        """Deliver an Events API callback; a retry repeats the same ``event_id``."""
        body = {
            "token": "legacy",
            "team_id": self.team,
            "api_app_id": "A0APP0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._events):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": self.team, "user_id": self.slack.bot_user_id, "is_bot": True}
            ],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(body), content_type="application/json", headers=headers)

    def next_ts(self) -> str:
        """A fresh message ts, increasing like Slack's."""
        return f"{1_800_000_000 + next(self._ts)}.000100"

    # ---- what people do

    async def dm(
        self,
        user: str,
        text_: str,
        *,
        thread_ts: str | None = None,
        ts: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """A learner DMs the bot; returns the message's ts."""
        ts = ts or self.next_ts()
        event: dict[str, Any] = {
            "type": "message",
            "channel": self.slack.dm_channel_id(user),
            "channel_type": "im",
            "user": user,
            "text": text_,
            "ts": ts,
            "event_ts": ts,
            "team": self.team,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        event |= extra or {}
        status, body = await self.send_event(event, event_id=event_id, retry_num=retry_num)
        assert status == 200, (status, body)
        return ts

    async def channel_reply(self, user: str, channel: str, thread_ts: str, text_: str) -> str:
        """A person replies in a channel thread (a trainer in an escalation card's thread)."""
        ts = self.next_ts()
        event = {
            "type": "message",
            "channel": channel,
            "channel_type": "channel",
            "user": user,
            "text": text_,
            "ts": ts,
            "thread_ts": thread_ts,
            "event_ts": ts,
            "team": self.team,
        }
        status, body = await self.send_event(event)
        assert status == 200, (status, body)
        return ts

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        """Send an interactivity payload (block_actions, view_submission...) as Slack does."""
        payload = {"team": {"id": self.team, "domain": "fake"}, "api_app_id": "A0APP0001"} | payload
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def click(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        container_type: str = "message",
        view: dict[str, Any] | None = None,
    ) -> tuple[int, str]:
        """A user clicks a button."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": self.team},
            "trigger_id": f"trigger-{next(self._events)}",
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "action_ts": str(time.time()),
                }
            ],
            "response_url": self.slack.response_url(f"{user}-{action_id}"),
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "V0")}
            payload["view"] = view
        else:
            payload["container"] = {
                "type": container_type,
                "message_ts": message_ts,
                "channel_id": channel,
            }
            payload["channel"] = {"id": channel, "name": "x"}
            payload["message"] = {"ts": message_ts, "text": "", "type": "message"}
        return await self.interact(payload)

    async def submit_view(
        self,
        user: str,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        *,
        private_metadata: str = "",
    ) -> tuple[int, str]:
        """A user submits a modal; ``values`` is ``{block_id: {action_id: element state}}``."""
        payload = {
            "type": "view_submission",
            "user": {"id": user, "username": user.lower(), "team_id": self.team},
            "trigger_id": f"trigger-{next(self._events)}",
            "view": {
                "id": f"V{next(self._events):08d}",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": private_metadata,
                "state": {"values": values},
                "hash": "1",
            },
        }
        return await self.interact(payload)

    def command_body(
        self,
        user: str,
        text_: str,
        *,
        command: str = "/coach",
        channel: str = "C0GENERAL",
        team: str | None = None,
    ) -> str:
        """The form Slack posts for a slash command, with its own response_url and trigger_id;
        ``team`` is the workspace it comes from."""
        form = {
            "token": "legacy",
            "team_id": team or self.team,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text_,
            "api_app_id": "A0APP0001",
            "response_url": self.slack.response_url(f"cmd-{next(self._events)}"),
            "trigger_id": f"trigger-{next(self._events)}",
        }
        return urllib.parse.urlencode(form)

    async def command(
        self,
        user: str,
        text_: str,
        *,
        command: str = "/coach",
        channel: str = "C0GENERAL",
        body: str | None = None,
        retry_num: int | None = None,
        team: str | None = None,
    ) -> tuple[int, str]:
        """A user runs a slash command; ``body`` (from ``command_body``) sends that same request
        again, as a Slack retry when ``retry_num`` is given."""
        body = body or self.command_body(user, text_, command=command, channel=channel, team=team)
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(
            body, content_type="application/x-www-form-urlencoded", headers=headers
        )

    # ---- waiting

    async def drain(self, timeout: float = 20.0, *, kind: str | None = None) -> None:
        """Wait until no task (of ``kind``, when given) is pending or running (failed ones stay
        visible to the test)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            async with self.deps.db.engine.connect() as conn:
                busy = (
                    await conn.execute(
                        text(
                            "SELECT count(*) FROM tasks WHERE status IN ('pending', 'running')"
                            " AND (CAST(:kind AS text) IS NULL OR kind = :kind)"
                        ),
                        {"kind": kind},
                    )
                ).scalar_one()
            if not busy:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{busy} tasks still pending after {timeout} s")
            self.deps.work.wake()
            await asyncio.sleep(0.02)


def harness_settings(slack: FakeSlack, llm: FakeLLM, **overrides: Any) -> Settings:
    """Settings pointing the bot at the fakes."""
    values: dict[str, Any] = {
        "_env_file": None,
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.base_url,
        "openai_api_key": "test",
        "openai_base_url": llm.base_url,
        "chat_model": "fake-chat",
        "embedding_backend": "openai",
        "embedding_model": "fake-embedding",
        "trainer_channel_id": "C0TRAINERS",
        "admin_user_ids": ["UADMIN"],
        "metrics_token": METRICS_TOKEN,
        # Answer each message at once: tests of bursts set a window (and a frozen clock) of
        # their own, and every other test would otherwise wait the window for each answer.
        "burst_window_seconds": 0.0,
        # Answers are posted whole, as every test that reads an answer's chat.postMessage
        # expects; tests of streamed answers turn streaming on.
        "stream_answers": False,
        # Summaries on cards are extractive, so chat_calls are the coach's answers; the tests
        # of model-written summaries turn it on.
        "card_summary_model": False,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    database: Database,
    *,
    slack: FakeSlack | None = None,
    llm: FakeLLM | None = None,
    clock: Clock | None = None,
    run_workers: bool = True,
    slack_route: bool = True,
    connected: Callable[[], Awaitable[bool]] | None = None,
    known_workspace: bool = True,
    **setting_overrides: Any,
) -> AsyncIterator[BotHarness]:
    """Start fakes (unless given), the bot's HTTP server and its worker; stop them afterwards.

    ``known_workspace``: the fake Slack's workspace is recorded as served before, as after the
    bot's first request (its periodic jobs run for it from the start).
    """
    async with (
        FakeSlack() if slack is None else _noop(slack) as slack_,
        FakeLLM() if llm is None else _noop(llm) as llm_,
    ):
        settings = harness_settings(slack_, llm_, **setting_overrides)
        deps = build_deps(settings, database, clock=clock or Clock())
        if known_workspace and settings.mode == "single":
            await _record_workspace(database, TEAM_ID)
        tasks = build_registry()
        web_app = build_web_app(
            create_app(deps),
            deps,
            tasks,
            run_workers=run_workers,
            slack_route=slack_route,
            connected=connected,
        )
        runner = web.AppRunner(web_app, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as http:
            try:
                url = f"http://127.0.0.1:{port}/slack/events"
                yield BotHarness(deps, slack_, llm_, url, http, tasks)
            finally:
                await runner.cleanup()
                if deps.llm is not None:
                    await deps.llm.close()


async def _record_workspace(database: Database, team_id: str) -> None:
    with across_workspaces():
        async with database.sessions.begin() as session:
            await WorkspaceRepository(session).record(
                team_id, name="Fake Workspace", installed_by=None, now=Clock().now()
            )


@asynccontextmanager
async def _noop(value: Any) -> AsyncIterator[Any]:
    yield value


__all__ = ["BotHarness", "FrozenClock", "reset_database", "running_bot"]
