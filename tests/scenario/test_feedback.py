"""Helpful / Not helpful on an answer: stored, acknowledged, changeable, and only by its learner."""

from __future__ import annotations

from sqlalchemy import select

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import ResponseRef
from store.models import Feedback
from tests.harness import BotHarness
from tests.scenario.test_answers import LEARNER, answers_in, cite_first_passage, seed_course


async def answered(bot: BotHarness) -> tuple[str, str, int]:
    """Ask a question and return the DM channel, the answer's ts and its response id."""
    await seed_course(bot)
    bot.llm.reply_with(cite_first_passage)
    channel = bot.slack.dm_channel_id(LEARNER)
    await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.slack.wait_for("chat.postMessage", lambda c: c.args.get("channel") == channel)
    await bot.drain()
    [post] = answers_in(bot, channel)
    value = post.args["blocks"][-1]["elements"][0]["value"]
    ts = str(bot.slack.messages(channel)[-1]["ts"])
    return channel, ts, ResponseRef.unpack(value).response_id


async def stored_feedback(bot: BotHarness) -> list[Feedback]:
    async with bot.deps.sessions() as session:
        return list((await session.scalars(select(Feedback))).all())


async def test_helpful_is_stored_and_acknowledged(bot: BotHarness) -> None:
    channel, ts, response_id = await answered(bot)
    value = ResponseRef(response_id=response_id).pack()
    status, _ = await bot.click(
        LEARNER, ActionId.FEEDBACK_HELPFUL, value, channel=channel, message_ts=ts
    )
    assert status == 200
    [thanks] = await bot.slack.wait_for("response_url")
    assert thanks.args["response_type"] == "ephemeral"
    assert "Thanks" in thanks.args["text"]
    [row] = await stored_feedback(bot)
    assert (row.response_id, row.learner_id, row.helpful) == (response_id, LEARNER, True)
    assert bot.slack.errors == []


async def test_not_helpful_opens_modal_and_stores_reason_and_comment(bot: BotHarness) -> None:
    channel, ts, response_id = await answered(bot)
    value = ResponseRef(response_id=response_id).pack()
    await bot.click(LEARNER, ActionId.FEEDBACK_HELPFUL, value, channel=channel, message_ts=ts)
    await bot.click(LEARNER, ActionId.FEEDBACK_NOT_HELPFUL, value, channel=channel, message_ts=ts)
    [opened] = await bot.slack.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == CallbackId.FEEDBACK
    [row] = await stored_feedback(bot)
    assert row.helpful is False  # the second click changed the verdict, still one row

    status, body = await bot.submit_view(
        LEARNER,
        CallbackId.FEEDBACK,
        {
            BlockId.FEEDBACK_REASON: {
                ActionId.FEEDBACK_REASON_INPUT: {
                    "type": "radio_buttons",
                    "selected_option": {"value": "incomplete"},
                }
            },
            BlockId.FEEDBACK_COMMENT: {
                ActionId.FEEDBACK_COMMENT_INPUT: {
                    "type": "plain_text_input",
                    "value": "  It skipped insert()  ",
                }
            },
        },
        private_metadata=view["private_metadata"],
    )
    assert status == 200
    assert '"response_action":"update"' in body.replace(" ", "")
    [row] = await stored_feedback(bot)
    assert (row.helpful, row.reason, row.comment) == (False, "incomplete", "It skipped insert()")
    assert bot.slack.errors == []


async def test_modal_without_reason_is_sent_back_with_an_error(bot: BotHarness) -> None:
    _, _, response_id = await answered(bot)
    status, body = await bot.submit_view(
        LEARNER,
        CallbackId.FEEDBACK,
        {BlockId.FEEDBACK_REASON: {ActionId.FEEDBACK_REASON_INPUT: {"selected_option": None}}},
        private_metadata=ResponseRef(response_id=response_id).pack(),
    )
    assert status == 200
    assert "Please pick a reason" in body
    assert await stored_feedback(bot) == []


async def test_someone_else_cannot_rate_the_answer(bot: BotHarness) -> None:
    channel, ts, response_id = await answered(bot)
    value = ResponseRef(response_id=response_id).pack()
    await bot.click("U0INTRUDER", ActionId.FEEDBACK_HELPFUL, value, channel=channel, message_ts=ts)
    [refusal] = await bot.slack.wait_for("response_url")
    assert "only the learner who asked" in refusal.args["text"]
    assert await stored_feedback(bot) == []


async def test_out_of_date_button_value_gets_a_friendly_message(bot: BotHarness) -> None:
    channel, ts, _ = await answered(bot)
    await bot.click(LEARNER, ActionId.FEEDBACK_HELPFUL, "garbage", channel=channel, message_ts=ts)
    [reply] = await bot.slack.wait_for("response_url")
    assert "out of date" in reply.args["text"]
    assert await stored_feedback(bot) == []
