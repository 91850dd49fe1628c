"""Files a learner shares: text files and (with a vision model) screenshots are read, the rest
gets a clear reply; downloads use the bot token, only from Slack's file host, within limits."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select, text

from bot.blocks.ids import ActionId
from store.database import Database
from store.models import Message
from tests.fakes.local_server import LocalServer
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness, reset_database, running_bot
from tests.scenario.test_answers import LEARNER, answers_in, cite_first_passage, seed_course

TOKEN = "xoxb-test-token"
LAB_CODE = b"names = ['Ada', 'Grace']\nnames.append('Linus')\nprint(names[3])\n"
TRACEBACK = b"""Traceback (most recent call last):
  File "names_demo.py", line 3, in <module>
    print(names[3])
IndexError: list index out of range
"""
# A PNG signature, then bytes no other part of the bot could produce.
SCREENSHOT = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64 + b"SCREENSHOT-MARKER"


class OtherHost(LocalServer):
    """A server that is not Slack: it records every request it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[dict[str, str]] = []
        self.app.router.add_get("/{tail:.*}", self._handle)

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.headers))
        return web.Response(body=LAB_CODE, content_type="text/plain")


@pytest.fixture
async def vision_bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot whose chat model reads images."""
    await reset_database(database)
    async with running_bot(database, llm_accepts_images=True) as harness:
        yield harness


@pytest.fixture
async def small_files_bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot that reads text files of 1 KB at most."""
    await reset_database(database)
    async with running_bot(database, file_max_text_bytes=1024) as harness:
        yield harness


async def share(bot: BotHarness, typed: str, *files: dict[str, Any]) -> str:
    """The learner DMs the bot a message with files (a ``file_share`` event)."""
    return await bot.dm(LEARNER, typed, extra={"subtype": "file_share", "files": list(files)})


async def stored_learner_texts(bot: BotHarness) -> list[str]:
    async with bot.deps.sessions() as session:
        rows = await session.scalars(
            select(Message.text).where(Message.role == "learner").order_by(Message.id)
        )
        return list(rows)


async def database_dump(bot: BotHarness) -> str:
    """Every row of every table, as text."""
    async with bot.deps.db.engine.connect() as conn:
        tables = (
            await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        ).scalars()
        dump = []
        for table in list(tables):
            rows = await conn.execute(text(f'SELECT t::text FROM "{table}" t'))
            dump.extend(str(row[0]) for row in rows)
    return "\n".join(dump)


def replies(bot: BotHarness, channel: str) -> list[RecordedCall]:
    return bot.slack.calls_to("chat.postMessage", lambda c: c.args.get("channel") == channel)


async def test_a_py_file_is_read_into_the_question(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    lab = bot.slack.host_file("lab2.py", LAB_CODE, user=LEARNER)

    await share(bot, "How do I add an item to a list?", lab)
    await bot.drain()

    [download] = bot.slack.downloads
    assert download.authorization == f"Bearer {TOKEN}"
    assert download.completed
    [chat] = bot.llm.chat_calls
    question = chat.last_user_message
    assert question.startswith("How do I add an item to a list?")
    assert "[file: lab2.py]\n```python\nnames = ['Ada', 'Grace']" in question
    assert "print(names[3])" in question
    assert len(answers_in(bot, channel)) == 1
    # Stored with the message, as typed text is: the thread's history needs it.
    [stored] = await stored_learner_texts(bot)
    assert "print(names[3])" in stored
    assert bot.slack.errors == []


async def test_a_traceback_alone_is_answered_and_searched_by_its_error(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    traceback = bot.slack.host_file("traceback.txt", TRACEBACK, user=LEARNER)

    await share(bot, "", traceback)
    await bot.drain()

    [chat] = bot.llm.chat_calls
    assert "IndexError: list index out of range" in chat.last_user_message
    # The course is searched with the failing line and the error, not the whole traceback
    # (other embeddings are of the course's own sentences, which quote tracebacks too).
    searched = [t for c in bot.llm.embedding_calls for t in c.inputs if "names_demo.py" in t]
    assert searched
    assert all("IndexError: list index out of range" in t for t in searched)
    assert not any("most recent call last" in t for t in searched)
    # Answered or handed to a trainer, as the course's confidence decides: never left unread.
    assert replies(bot, channel)
    assert bot.slack.errors == []


async def test_a_screenshot_reaches_a_vision_model_and_is_never_stored(
    vision_bot: BotHarness,
) -> None:
    bot = vision_bot
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    shot = bot.slack.host_file("error.png", SCREENSHOT, user=LEARNER)

    await share(bot, "How do I add an item to a list?", shot)
    await bot.drain()

    [chat] = bot.llm.chat_calls
    content = chat.messages[-1]["content"]
    encoded = base64.b64encode(SCREENSHOT).decode()
    assert content[0]["type"] == "text"
    assert content[0]["text"] == "How do I add an item to a list?\n\n[screenshot: error.png]"
    assert content[1] == {
        "type": "image_url",
        "image_url": {"url": f"data:image/png;base64,{encoded}"},
    }
    # Only in the turn it came with: earlier turns never carry images.
    assert all(isinstance(m["content"], str) for m in chat.messages[:-1])
    assert len(answers_in(bot, channel)) == 1
    [stored] = await stored_learner_texts(bot)
    assert stored.endswith("[screenshot: error.png]")
    dump = await database_dump(bot)
    assert encoded[:64] not in dump
    assert encoded[-64:] not in dump
    assert "SCREENSHOT-MARKER" not in dump
    assert bot.slack.errors == []


async def test_a_screenshot_without_a_vision_model_gets_a_clear_reply(bot: BotHarness) -> None:
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    shot = bot.slack.host_file("error.png", SCREENSHOT, user=LEARNER)

    ts = await share(bot, "", shot)
    await bot.drain()

    [reply] = replies(bot, channel)
    assert reply.args["thread_ts"] == ts
    assert "I couldn't read your file" in reply.args["text"]
    rendered = json.dumps(reply.args["blocks"])
    assert "error.png" in rendered
    assert "can't see images" in rendered
    assert ".py" in rendered
    [button] = reply.args["blocks"][-1]["elements"]
    assert button["action_id"] == ActionId.ESCALATE
    assert bot.slack.downloads == []  # nothing fetched that could not be used
    assert bot.llm.chat_calls == []
    # The button works like the one on an answer: the learner gets the note modal.
    status, _ = await bot.click(
        LEARNER, ActionId.ESCALATE, button["value"], channel=channel, message_ts=ts
    )
    assert status == 200
    await bot.slack.wait_for("views.open")
    assert bot.slack.errors == []


async def test_typed_text_is_answered_and_the_unread_image_is_mentioned(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    shot = bot.slack.host_file("error.png", SCREENSHOT, user=LEARNER)

    await share(bot, "How do I add an item to a list?", shot)
    await bot.drain()

    note, answer = replies(bot, channel)
    assert "couldn't read" in note.args["text"]
    assert "error.png" in json.dumps(note.args["blocks"])
    assert answers_in(bot, channel) == [answer]
    [chat] = bot.llm.chat_calls
    assert isinstance(chat.messages[-1]["content"], str)
    assert chat.last_user_message.startswith("How do I add an item to a list?")
    assert bot.slack.errors == []


async def test_a_pdf_gets_the_clear_reply_and_is_not_downloaded(bot: BotHarness) -> None:
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    pdf = bot.slack.host_file("slides.pdf", b"%PDF-1.7\n...", user=LEARNER)

    await share(bot, "", pdf)
    await bot.drain()

    [reply] = replies(bot, channel)
    rendered = json.dumps(reply.args["blocks"])
    assert "slides.pdf" in rendered
    assert "can't read this kind of file" in rendered
    assert reply.args["blocks"][-1]["elements"][0]["action_id"] == ActionId.ESCALATE
    assert bot.slack.downloads == []
    assert bot.llm.chat_calls == []
    assert await stored_learner_texts(bot) == ["[file: slides.pdf, not read]"]


async def test_several_files_are_each_handled(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    lab = bot.slack.host_file("lab2.py", LAB_CODE, user=LEARNER)
    pdf = bot.slack.host_file("slides.pdf", b"%PDF-1.7\n...", user=LEARNER)
    log = bot.slack.host_file("run.log", TRACEBACK, user=LEARNER)

    await share(bot, "How do I add an item to a list?", lab, pdf, log)
    await bot.drain()

    [chat] = bot.llm.chat_calls
    assert "[file: lab2.py]" in chat.last_user_message
    assert "[file: run.log]" in chat.last_user_message
    note, answer = replies(bot, channel)
    assert "slides.pdf" in json.dumps(note.args["blocks"])
    assert answers_in(bot, channel) == [answer]
    assert len(bot.slack.downloads) == 2


async def test_an_oversized_file_stops_at_the_limit(small_files_bot: BotHarness) -> None:
    bot = small_files_bot
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    content = b"print('a line of a very long log')\n" * 1_000_000  # 35 MB
    huge = bot.slack.host_file("run.log", content, user=LEARNER)
    huge["size"] = 100  # the event understates it: only counting the bytes tells

    await share(bot, "", huge)
    await bot.drain()
    [download] = await bot.slack.wait_for_download()

    assert not download.completed
    assert download.bytes_sent < len(content) // 2
    [reply] = replies(bot, channel)
    rendered = json.dumps(reply.args["blocks"])
    assert "run.log" in rendered
    assert "bigger than the 1 KB I can read" in rendered
    assert bot.llm.chat_calls == []


async def test_a_file_declared_too_big_is_not_downloaded(small_files_bot: BotHarness) -> None:
    bot = small_files_bot
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    big = bot.slack.host_file("lab2.py", LAB_CODE * 100, user=LEARNER)

    await share(bot, "", big)
    await bot.drain()

    assert bot.slack.downloads == []
    [reply] = replies(bot, channel)
    assert "bigger than the 1 KB" in json.dumps(reply.args["blocks"])


async def test_a_file_on_another_host_is_refused_without_the_token(bot: BotHarness) -> None:
    await seed_course(bot)
    channel = bot.slack.dm_channel_id(LEARNER)
    async with OtherHost() as other:
        lab = bot.slack.host_file("lab2.py", LAB_CODE, user=LEARNER)
        lab["url_private_download"] = f"{other.origin}/files-pri/T1-F1/download/lab2.py"
        moved = bot.slack.host_file("lab3.py", LAB_CODE, user=LEARNER)
        bot.slack.redirect_file(moved["id"], f"{other.origin}/lab3.py")

        await share(bot, "", lab, moved)
        await bot.drain()

        assert other.requests == []
    # The redirect came from Slack's host, with the token; it was not followed.
    [from_slack] = bot.slack.downloads
    assert from_slack.file_id == moved["id"]
    assert from_slack.status == 302
    [reply] = replies(bot, channel)
    rendered = json.dumps(reply.args["blocks"])
    assert "lab2.py" in rendered
    assert "lab3.py" in rendered
    assert "couldn't download it" in rendered
    assert bot.llm.chat_calls == []


async def test_a_file_slack_withheld_is_looked_up_with_files_info(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    lab = bot.slack.host_file("lab2.py", LAB_CODE, user=LEARNER)
    stub = {"id": lab["id"], "mode": "hidden_by_limit", "file_access": "check_file_info"}

    await share(bot, "Why does this crash?", stub)
    await bot.drain()

    [info] = bot.slack.calls_to("files.info")
    assert info.args["file"] == lab["id"]
    assert info.token == TOKEN
    [chat] = bot.llm.chat_calls
    assert "print(names[3])" in chat.last_user_message
    assert bot.slack.errors == []


async def test_a_download_without_the_bot_token_gets_slacks_sign_in_page(
    bot: BotHarness,
) -> None:
    lab = bot.slack.host_file("lab2.py", LAB_CODE, user=LEARNER)
    for headers in ({}, {"Authorization": "Bearer xoxb-someone-else"}):
        async with bot.http.get(lab["url_private_download"], headers=headers) as response:
            assert response.content_type == "text/html"
            assert b"Sign in" in await response.read()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with bot.http.get(lab["url_private_download"], headers=headers) as response:
        assert await response.read() == LAB_CODE


async def test_the_files_of_one_message_are_read_within_one_share(bot: BotHarness) -> None:
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    logs = [
        bot.slack.host_file(f"run{n}.log", b"a line of a long log\n" * 1000, user=LEARNER)
        for n in range(3)
    ]

    await share(bot, "How do I add an item to a list?", *logs)
    await bot.drain()

    [stored] = await stored_learner_texts(bot)
    assert "[file: run0.log] (cut to 12,000 characters)" in stored
    assert "[file: run1.log] (cut to" in stored
    assert "[file: run2.log, not read]" in stored
    assert len(stored) < 30_000  # a relay of it to a trainer fits one Slack message
    note = replies(bot, channel)[0]
    assert "run2.log" in json.dumps(note.args["blocks"])
    assert "already filled" in json.dumps(note.args["blocks"])
