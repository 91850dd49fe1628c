"""A process killed while an answer streams: the learner still ends with one complete answer."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select, text

from bot.blocks.ids import ActionId
from bot.content.embeddings import create_embedder
from bot.content.indexer import CourseIndexer
from bot.tasks.outbox import METADATA_EVENT
from store.database import Database
from store.models import AnswerStream, Response
from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack
from tests.harness import SIGNING_SECRET, TEAM_ID, harness_settings, reset_database
from tests.reliability.processes import ServeProcess
from tests.scenario.test_answers import COURSE, LEARNER
from tests.scenario.test_streamed_answers import ANSWER, judged_first

QUESTION_TS = "1800000001.000100"


async def _send_dm(url: str, slack: FakeSlack) -> None:
    """The learner's question, as Slack would deliver it to the process."""
    event = {
        "type": "message",
        "channel": slack.dm_channel_id(LEARNER),
        "channel_type": "im",
        "user": LEARNER,
        "text": "How do I add an item to a list?",
        "ts": QUESTION_TS,
        "event_ts": QUESTION_TS,
        "team": TEAM_ID,
    }
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0APP0001",
            "event": event,
            "type": "event_callback",
            "event_id": "Ev0STREAM01",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": slack.bot_user_id, "is_bot": True}],
        }
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as resp:
        assert resp.status == 200, await resp.text()


async def _busy_tasks(database: Database) -> int:
    async with database.engine.connect() as conn:
        busy = await conn.execute(
            text("SELECT count(*) FROM tasks WHERE status IN ('pending', 'running')")
        )
        return int(busy.scalar_one())


def _serve(pg_url: str, slack: FakeSlack, llm: FakeLLM, tmp_path: Path) -> ServeProcess:
    process = ServeProcess(pg_url, slack, llm, tmp_path)
    process.env["BURST_WINDOW_SECONDS"] = "0"  # answer at once
    return process


async def test_a_stream_cut_by_sigkill_ends_as_one_complete_answer(
    database: Database, pg_url: str, tmp_path: Path
) -> None:
    await reset_database(database)
    # The model writes slowly: the answer is still streaming when the process dies.
    async with FakeSlack() as slack, FakeLLM(latency=20, first_token_latency=0.1) as llm:
        llm.stream_chunk_chars = 4
        llm.reply_with(judged_first)
        embedder = create_embedder(harness_settings(slack, llm))
        await CourseIndexer(database.sessions, embedder).ingest(COURSE, "python")
        dm = slack.dm_channel_id(LEARNER)
        slack.add_message(dm, "How do I add an item to a list?", user=LEARNER, ts=QUESTION_TS)

        first = await _serve(pg_url, slack, llm, tmp_path).start()
        await _send_dm(first.url, slack)
        [start] = await slack.wait_for("chat.startStream", timeout=30)
        await slack.wait_for("chat.appendStream", timeout=30)
        # The stream's ts was stored as soon as Slack returned it.
        async with database.sessions() as session:
            stream = (await session.scalars(select(AnswerStream))).one()
        first.kill()

        ts = stream.ts
        assert ts is not None
        assert slack.is_streaming(dm, ts), "killed while the answer was half-written"
        half = next(m for m in slack.messages(dm) if m["ts"] == ts)["text"]
        assert 0 < len(half) < len(ANSWER)

        # The dead worker's lease would run out in a minute; expire it now instead.
        async with database.sessions.begin() as session:
            await session.execute(
                text(
                    "UPDATE tasks SET locked_until = now() - interval '1 second' "
                    "WHERE status = 'running'"
                )
            )
        llm.latency = 0.5
        async with _serve(pg_url, slack, llm, tmp_path):
            [update] = await slack.wait_for("chat.update", timeout=60)
            for _ in range(400):
                if await _busy_tasks(database) == 0:
                    break
                await asyncio.sleep(0.05)
        assert await _busy_tasks(database) == 0

        bot_messages: list[dict[str, Any]] = [
            m for m in slack.messages(dm) if m.get("user") == slack.bot_user_id
        ]
        [answer] = [m for m in bot_messages if ActionId.FEEDBACK_HELPFUL in json.dumps(m)]
        assert answer["ts"] == ts == update.args["ts"]
        assert start.args["thread_ts"] == QUESTION_TS
        assert not slack.is_streaming(dm, ts)
        assert "names.append('Ada')" in answer["blocks"][0]["text"]["text"]
        assert answer["text"] == " ".join(ANSWER.split())
        assert answer["metadata"]["event_type"] == METADATA_EVENT
        assert [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == dm] == []
        assert len(slack.calls_to("chat.startStream")) == 1
        async with database.sessions() as session:
            response = (await session.scalars(select(Response))).one()
        assert response.slack_ts == ts
        # The re-run shows the "working" reaction again; the first run's is still there.
        assert [e for e in slack.errors if e.method != "reactions.add"] == []
