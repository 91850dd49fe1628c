"""``/metrics``: behind METRICS_TOKEN, and cheap to scrape (no full count of the answers)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from store.database import Database
from tests.harness import reset_database, running_bot

TOKEN = "metrics-secret-token"


async def test_metrics_needs_the_bearer_token(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, metrics_token=TOKEN) as bot:
        url = bot.url.removesuffix("/slack/events") + "/metrics"
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": TOKEN},
            {"Authorization": f"Basic {TOKEN}"},
            {"Authorization": f"Bearer {TOKEN}x"},
            {"Authorization": "Bearer "},
        ):
            async with bot.http.get(url, headers=headers) as resp:
                assert resp.status == 401, headers
                assert "coachbot_" not in await resp.text()
        async with bot.http.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            assert resp.status == 200
            body = await resp.text()
        assert "coachbot_answers_total 0.0" in body
        assert "coachbot_task_queue_depth" in body


async def test_metrics_is_not_served_without_a_token(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, metrics_token=None) as bot:
        url = bot.url.removesuffix("/slack/events") + "/metrics"
        async with bot.http.get(url, headers={"Authorization": "Bearer "}) as resp:
            assert resp.status == 404
        async with bot.http.get(url) as resp:
            assert resp.status == 404


async def test_a_scrape_counts_no_answers_row_by_row(database: Database) -> None:
    await reset_database(database)
    async with running_bot(database, metrics_token=TOKEN) as bot:
        url = bot.url.removesuffix("/slack/events") + "/metrics"
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        engine = bot.deps.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            async with bot.http.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
                assert resp.status == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        on_responses = [s for s in statements if "responses" in s]
        assert on_responses, statements
        full_count = re.compile(r"count\(\*\)(\s+AS\s+\w+)?\s+FROM\s+responses\b", re.IGNORECASE)
        assert not [s for s in on_responses if full_count.search(s)], on_responses
