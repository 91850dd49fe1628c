"""The first request of a process, when Slack fails to say who the bot token is."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Message
from tests.harness import BotHarness


async def test_a_first_event_slack_could_not_authorize_is_refused_and_its_retry_answered(
    bot: BotHarness,
) -> None:
    bot.slack.inject("auth.test", status=429, retry_after=1)

    ts = bot.next_ts()
    status, _ = await bot.send_event(
        {
            "type": "message",
            "channel": bot.slack.dm_channel_id("U0LEARN01"),
            "channel_type": "im",
            "user": "U0LEARN01",
            "text": "How do I slice a list?",
            "ts": ts,
            "event_ts": ts,
            "team": bot.team,
        },
        event_id="Ev0FIRST01",
    )
    # Not acknowledged, so Slack sends it again; a 200 here would lose the message.
    assert status >= 500
    await bot.dm("U0LEARN01", "How do I slice a list?", ts=ts, event_id="Ev0FIRST01", retry_num=1)
    await bot.drain()

    async with bot.deps.sessions() as session:
        stored = (
            await session.scalars(select(Message.text).where(Message.role == "learner"))
        ).all()
    assert stored == ["How do I slice a list?"]
    # Asked again for the retry (the refused call is not recorded as accepted).
    assert [c.method for c in bot.slack.calls].count("auth.test") == 1
