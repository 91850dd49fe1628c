"""A 429 on a Slack call made while answering a request is not waited out inside the request."""

from __future__ import annotations

import asyncio

from tests.harness import BotHarness
from tests.scenario.test_commands import add_course

# Slack gives up after 3 s; an answer later than this waited for Retry-After.
ACK_BOUND = 10.0


async def test_a_rate_limited_call_in_the_request_does_not_wait_for_retry_after(
    bot: BotHarness,
) -> None:
    await add_course(bot)
    bot.slack.inject("views.open", status=429, retry_after=120)
    async with asyncio.timeout(ACK_BOUND):
        status, _ = await bot.command("UADMIN", "enroll py101")
    assert status == 200
    [reply] = await bot.slack.wait_for("response_url")
    assert "Slack is busy" in reply.args["text"]
    # Asked once, not again after sleeping in the request.
    assert [f.target for f in bot.slack.injected] == ["views.open"]
    assert bot.slack.calls_to("views.open") == []
