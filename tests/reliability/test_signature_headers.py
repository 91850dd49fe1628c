"""Malformed or missing signature headers: 401, one log line, and nothing sent or stored.

Bolt raises on a timestamp that is not an integer and then hands the unverified body to the
global error handler; these requests name a response_url, a channel and a user, so any action
taken on them would show up in the fake Slack.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text

from bot.app import create_app
from tests.harness import SIGNING_SECRET, TEAM_ID, BotHarness

OUR_LOGGERS = ("bot", "handlers", "store", "slack_bolt", "slack_sdk")


def _command_body(bot: BotHarness) -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": "C0GENERAL",
            "user_id": "UADMIN",
            "command": "/coach",
            "text": "stats",
            "response_url": bot.slack.response_url("forged"),
            "trigger_id": "trigger-forged",
        }
    )


def _block_actions_body(bot: BotHarness) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": "U0VICTIM", "username": "victim", "team_id": TEAM_ID},
        "channel": {"id": "C0GENERAL", "name": "general"},
        "actions": [{"type": "button", "action_id": "x", "block_id": "b", "value": "1"}],
        "trigger_id": "trigger-forged",
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def _dm_body(bot: BotHarness) -> str:
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": "EvFORGED",
            "team_id": TEAM_ID,
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": bot.slack.dm_channel_id("U0VICTIM"),
                "user": "U0VICTIM",
                "text": "hello",
                "ts": "1800000001.000100",
            },
        }
    )


def _good_signature(body: str, ts: str) -> str:
    return SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)


# Each case: the headers sent, given the body and a current timestamp.
HEADER_CASES = {
    "timestamp x": lambda body, now: {
        "X-Slack-Request-Timestamp": "x",
        "X-Slack-Signature": _good_signature(body, "x"),
    },
    "empty timestamp": lambda body, now: {
        "X-Slack-Request-Timestamp": "",
        "X-Slack-Signature": _good_signature(body, ""),
    },
    "float timestamp": lambda body, now: {
        "X-Slack-Request-Timestamp": "1.5e9",
        "X-Slack-Signature": _good_signature(body, "1.5e9"),
    },
    "missing signature": lambda body, now: {"X-Slack-Request-Timestamp": now},
    "missing timestamp": lambda body, now: {"X-Slack-Signature": _good_signature(body, now)},
    "no headers": lambda body, now: {},
    "malformed signature": lambda body, now: {
        "X-Slack-Request-Timestamp": now,
        "X-Slack-Signature": "not-a-signature",
    },
}

BODIES = {
    "command": (_command_body, "application/x-www-form-urlencoded"),
    "block_actions": (_block_actions_body, "application/x-www-form-urlencoded"),
    "dm": (_dm_body, "application/json"),
}


@pytest.mark.parametrize("case", list(HEADER_CASES))
@pytest.mark.parametrize("kind", list(BODIES))
async def test_bad_signature_headers_get_401_and_nothing_is_sent_or_stored(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, kind: str, case: str
) -> None:
    make_body, content_type = BODIES[kind]
    body = make_body(bot)
    headers = HEADER_CASES[case](body, str(int(time.time())))
    caplog.set_level(logging.INFO)
    caplog.clear()

    status, _ = await bot.post(body, content_type=content_type, signed=False, headers=headers)

    assert status == 401
    await bot.drain()
    assert bot.slack.calls == []
    async with bot.deps.db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM tasks"))).scalar_one() == 0
    ours = [r for r in caplog.records if r.name.split(".")[0] in OUR_LOGGERS]
    assert [r.levelno for r in ours] == [logging.INFO], [r.getMessage() for r in ours]


@pytest.mark.parametrize("kind", ["command", "block_actions"])
async def test_the_error_handler_does_not_act_on_an_unverified_request(
    bot: BotHarness, kind: str
) -> None:
    # Straight to Bolt, past the route's own check: Bolt's check raises on the timestamp and the
    # global error handler sees the body; it must not answer anyone the body names.
    make_body, content_type = BODIES[kind]
    body = make_body(bot)
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": ["x"],
        "x-slack-signature": [_good_signature(body, "x")],
    }
    response = await create_app(bot.deps).async_dispatch(
        AsyncBoltRequest(body=body, headers=headers)
    )
    assert response.status >= 400
    await bot.drain()
    assert bot.slack.calls == []


async def test_an_unsigned_ssl_check_is_answered_and_never_dispatched(bot: BotHarness) -> None:
    body = _command_body(bot) + "&ssl_check=1"
    status, _ = await bot.post(body, content_type="application/x-www-form-urlencoded", signed=False)
    assert status == 200
    await bot.drain()
    assert bot.slack.calls == []
    async with bot.deps.db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM tasks"))).scalar_one() == 0
