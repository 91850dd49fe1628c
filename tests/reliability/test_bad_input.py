"""Floods, oversize messages and malformed or unsigned requests: refused or slowed, never lost."""

from __future__ import annotations

import json

from sqlalchemy import text

from bot.inbox import FLOOD_LIMIT, LEARNER_MESSAGE
from tests.harness import METRICS_TOKEN, BotHarness


async def _count(bot: BotHarness, sql: str) -> int:
    async with bot.deps.db.engine.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())


async def test_a_flood_is_stored_in_full_and_answered_with_one_notice(bot: BotHarness) -> None:
    # No worker answers meanwhile, so the backlog builds up as under a real flood.
    bot.tasks.kinds.pop(LEARNER_MESSAGE, None)
    for n in range(FLOOD_LIMIT + 4):
        await bot.dm("U0FLOOD", f"question {n}")
    await bot.slack.wait_for("chat.postMessage", lambda c: "still working" in c.args["text"])
    stored = await _count(
        bot, f"SELECT count(*) FROM tasks WHERE kind = '{LEARNER_MESSAGE}' AND status = 'pending'"
    )
    assert stored == FLOOD_LIMIT + 4
    notices = bot.slack.calls_to("chat.postMessage", lambda c: "still working" in c.args["text"])
    assert len(notices) == 1
    assert bot.slack.errors == []


async def test_an_oversize_message_gets_a_polite_request_to_shorten(bot: BotHarness) -> None:
    limit = bot.deps.settings.max_message_chars
    ts = await bot.dm("U0LONG", "x" * (limit + 1))
    [reply] = await bot.slack.wait_for("chat.postMessage")
    assert reply.args["thread_ts"] == ts
    assert f"{limit:,}" in reply.args["text"]
    assert await _count(bot, f"SELECT count(*) FROM tasks WHERE kind = '{LEARNER_MESSAGE}'") == 0
    # A message at the limit is taken as usual.
    bot.tasks.kinds.pop(LEARNER_MESSAGE, None)
    await bot.dm("U0LONG", "y" * limit)
    assert await _count(bot, f"SELECT count(*) FROM tasks WHERE kind = '{LEARNER_MESSAGE}'") == 1


def _dm_event(bot: BotHarness) -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": "EvUNSIGNED",
            "team_id": "T0FAKE001",
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": bot.slack.dm_channel_id("U0X"),
                "user": "U0X",
                "text": "hello",
                "ts": "1800000001.000100",
            },
        }
    )


async def test_unsigned_or_badly_signed_requests_are_refused_without_side_effects(
    bot: BotHarness,
) -> None:
    unsigned, _ = await bot.post(_dm_event(bot), content_type="application/json", signed=False)
    forged, _ = await bot.post(_dm_event(bot), content_type="application/json", secret="wrong")
    stale, _ = await bot.post(_dm_event(bot), content_type="application/json", timestamp=1)
    assert (unsigned, forged, stale) == (401, 401, 401)
    assert await _count(bot, "SELECT count(*) FROM tasks") == 0


async def test_malformed_bodies_are_refused_without_side_effects(bot: BotHarness) -> None:
    broken, _ = await bot.post("{not json", content_type="application/json")
    huge, _ = await bot.post("x" * (2 * 1024**2), content_type="application/json")
    assert broken in (400, 401)
    assert huge == 413
    assert await _count(bot, "SELECT count(*) FROM tasks") == 0
    healthy, _ = await bot.post(_dm_event(bot), content_type="application/json")
    assert healthy == 200


async def test_metrics_and_health_endpoints(bot: BotHarness) -> None:
    base = bot.url.removesuffix("/slack/events")
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    async with bot.http.get(f"{base}/metrics", headers=auth) as resp:
        body = await resp.text()
    assert resp.status == 200
    for name in (
        "coachbot_outbox_depth",
        "coachbot_outbox_oldest_age_seconds",
        "coachbot_answers_total",
        "coachbot_llm_latency_seconds",
        "coachbot_task_duration_seconds",
    ):
        assert name in body
    async with bot.http.get(f"{base}/readyz") as resp:
        assert resp.status == 200
    async with bot.http.get(f"{base}/healthz") as resp:
        assert resp.status == 200
