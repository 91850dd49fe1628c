"""A token Slack refuses is an outage, not a failure: Slack work waits (never fails), readiness
says what to fix, admins are not "alerted" through the refused token, and delivery resumes by
itself once Slack accepts the token again."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.clock import FrozenClock
from bot.home.refresh import schedule_home_refresh
from bot.tasks.outbox import Outbox
from store.database import Database
from tests.harness import BotHarness, reset_database, running_bot


async def _statuses(bot: BotHarness) -> list[tuple[str, str | None, bool]]:
    async with bot.deps.db.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT status, last_error, alerted_at IS NOT NULL FROM tasks ORDER BY id")
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def _until(condition: object, what: str, timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


async def _post(
    bot: BotHarness, channel: str, text_: str, method: str = "chat.postMessage"
) -> None:
    async with bot.deps.sessions.begin() as session:
        args = {"channel": channel, "text": text_}
        if method == "reactions.add":
            args = {"channel": channel, "timestamp": "1700000000.000100", "name": "eyes"}
        await Outbox(session).call(method, args, ordering_key=f"test:{text_}")
    _past_now(bot)


def _past_now(bot: BotHarness) -> None:
    """Tasks are due from the database's now(): move the frozen clock just past it."""
    clock = bot.deps.clock
    assert isinstance(clock, FrozenClock)
    clock.advance(seconds=max(0.0, (datetime.now(UTC) - clock.now()).total_seconds()) + 1)
    bot.deps.work.wake()


async def _readiness(bot: BotHarness) -> tuple[int, dict[str, object]]:
    base = bot.url.rsplit("/slack", 1)[0]
    async with bot.http.get(f"{base}/readyz") as resp:
        return resp.status, await resp.json()


async def test_a_refused_token_holds_slack_work_until_slack_accepts_it_again(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await reset_database(database)
    clock = FrozenClock(datetime.now(UTC))
    async with running_bot(database, clock=clock) as bot:
        bot.slack.fail_ratio(None, 1.0, status=200, error="token_revoked")
        with caplog.at_level(logging.ERROR, logger="bot.slack_auth"):
            for n in range(3):
                await _post(bot, "U0LEARNER", f"message {n}")

            async def all_waiting() -> bool:
                rows = await _statuses(bot)
                return len(rows) == 3 and all(
                    status == "pending" and (error or "").startswith("waiting for Slack")
                    for status, error, _ in rows
                )

            await _until(all_waiting, "tasks did not start waiting for Slack")
        assert [s for s, _, _ in await _statuses(bot)] == ["pending"] * 3
        [logged] = [r for r in caplog.records if "token_revoked" in r.getMessage()]
        assert "configure the app's current Bot User OAuth Token" in logged.getMessage()

        status, body = await _readiness(bot)
        assert status == 503
        assert "token_revoked" in str(body["slack"])
        # While the outage lasts, nothing else is sent: no alert through the refused token.
        tried = len(bot.slack.injected)
        assert all(f.args.get("channel") != "UADMIN" for f in bot.slack.injected)

        # A working token again (the app reinstalled): the next probe finds it, work resumes.
        bot.slack.clear_faults()
        clock.advance(seconds=31)
        status, body = await _readiness(bot)
        assert (status, body) == (200, {"ready": True})
        clock.advance(seconds=10)
        await bot.drain()
        delivered = bot.slack.calls_to(
            "chat.postMessage", lambda c: c.args["channel"] == "U0LEARNER"
        )
        assert sorted(c.args["text"] for c in delivered) == [f"message {n}" for n in range(3)]
        assert len(bot.slack.injected) == tried
        assert [s for s, _, _ in await _statuses(bot)] == ["done"] * 3


async def test_a_missing_scope_holds_only_the_method_that_needs_it(database: Database) -> None:
    await reset_database(database)
    clock = FrozenClock(datetime.now(UTC))
    async with running_bot(database, clock=clock) as bot:
        bot.slack.fail_ratio("reactions.add", 1.0, status=200, error="missing_scope")
        await _post(bot, "D0LEARNER", "react", method="reactions.add")

        async def waiting() -> bool:
            rows = await _statuses(bot)
            return bool(rows) and (rows[0][1] or "").startswith("waiting for Slack")

        await _until(waiting, "the reaction did not wait for its scope")
        await _post(bot, "U0LEARNER", "still delivered")
        await _until(
            lambda: _done_count(bot, 1), "a method with its scope was held by another's scope"
        )
        status, body = await _readiness(bot)
        assert status == 503
        assert "reactions.add: missing_scope" in str(body["slack"])
        assert "app_manifest.yml" in str(body["slack"])


async def _done_count(bot: BotHarness, n: int) -> bool:
    return [s for s, _, _ in await _statuses(bot)].count("done") == n


async def test_an_admin_alert_is_not_marked_sent_when_the_token_is_refused(
    database: Database,
) -> None:
    await reset_database(database)
    clock = FrozenClock(datetime.now(UTC))
    async with running_bot(database, clock=clock, admin_user_ids=["UADMIN"]) as bot:
        bot.slack.fail_channel("C0GONE", "channel_not_found")
        bot.slack.fail_channel("UADMIN", "token_revoked")
        await _post(bot, "C0GONE", "lost")

        def alerts() -> list[object]:
            return [f for f in bot.slack.injected if f.args.get("channel") == "UADMIN"]

        async def alert_refused_and_unmarked() -> bool:
            # The alert marks the task before sending; a refused send clears the mark again.
            rows = await _statuses(bot)
            failed = rows == [("failed", "chat.postMessage: channel_not_found", False)]
            return failed and bool(alerts())

        await _until(alert_refused_and_unmarked, "the refused alert left the task marked")
        # The mark is cleared only once the send gave up, so any retry would be counted here.
        assert len(alerts()) == 1  # refused once: no retries with the same token


async def test_work_that_calls_slack_itself_waits_for_a_refused_token(database: Database) -> None:
    await reset_database(database)
    clock = FrozenClock(datetime.now(UTC))
    async with running_bot(database, clock=clock) as bot:
        bot.slack.fail_ratio("views.publish", 1.0, status=200, error="invalid_auth")
        async with bot.deps.sessions.begin() as session:
            await schedule_home_refresh(session, ["U0LEARNER"])
        _past_now(bot)

        async def waiting() -> bool:
            rows = await _statuses(bot)
            return bool(rows) and rows[0][:2] == (
                "pending",
                "waiting for Slack: views.publish: invalid_auth",
            )

        await _until(waiting, "the Home tab refresh did not wait for the token")
        assert not bot.deps.slack_auth.ok
