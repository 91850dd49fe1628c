"""A process killed between storing a Slack call and finishing it: delivered once after restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot.tasks.outbox import Outbox, card_thread_key
from store.database import Database
from tests.fakes.llm import FakeLLM
from tests.fakes.slack_api import FakeSlack
from tests.harness import reset_database
from tests.reliability.processes import ServeProcess

CARD_CHANNEL = "C0TRAINERS"


async def _task_status(database: Database, task_id: int) -> str:
    async with database.engine.connect() as conn:
        return str(
            (
                await conn.execute(text("SELECT status FROM tasks WHERE id = :id"), {"id": task_id})
            ).scalar_one()
        )


async def test_trainer_reply_is_delivered_once_after_sigkill_mid_send(
    database: Database, pg_url: str, tmp_path: Path
) -> None:
    await reset_database(database)
    async with FakeSlack() as slack, FakeLLM() as llm:
        dm = slack.dm_channel_id("U0LEARNER")
        root = slack.add_message(dm, "my question", user="U0LEARNER")["ts"]
        # Slack accepts the post at once but answers slowly: the process dies in between.
        slack.set_latency(60, "chat.postMessage")
        first = ServeProcess(pg_url, slack, llm, tmp_path)
        await first.start()
        async with database.sessions.begin() as session:
            task_id = await Outbox(session).call(
                "chat.postMessage",
                {"channel": dm, "thread_ts": root, "text": "Trainer: try a list comprehension"},
                ordering_key=card_thread_key(1),
            )
        assert task_id is not None
        await slack.wait_for("chat.postMessage", timeout=20)
        first.kill()
        assert await _task_status(database, task_id) == "running"

        slack.set_latency(0, "chat.postMessage")
        # The dead worker's lease would run out within a minute; expire it now instead of waiting.
        async with database.sessions.begin() as session:
            await session.execute(
                text("UPDATE tasks SET locked_until = now() - interval '1 second' WHERE id = :id"),
                {"id": task_id},
            )
        async with ServeProcess(pg_url, slack, llm, tmp_path):
            for _ in range(400):
                if await _task_status(database, task_id) == "done":
                    break
                await asyncio.sleep(0.05)
        assert await _task_status(database, task_id) == "done"
        replies = [m for m in slack.messages(dm) if m["ts"] != root]
        assert [m["text"] for m in replies] == ["Trainer: try a list comprehension"]
        assert len(slack.calls_to("chat.postMessage")) == 1
        assert slack.calls_to("conversations.replies"), "the restart looked before posting"
        assert slack.errors == []
