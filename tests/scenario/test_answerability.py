"""A model that always claims full grounding and cites the first passage it is shown still
cannot post an answer to a question the course does not cover, or to one about something else:
the confidence comes from signals the model does not control, which it may lower but barely
raise. An answerable question is posted as before, so the check can fail both ways."""

from __future__ import annotations

import json

import pytest

from bot.blocks.ids import ActionId
from tests.fakes.llm import ChatRequest
from tests.harness import BotHarness
from tests.scenario.test_answers import answers_in, seed_course
from tests.scenario.test_escalation_flow import _PASSAGE_ID, escalations


def always_sure(request: ChatRequest) -> str:
    """Claims full grounding whatever the question, citing the first passage."""
    ids = [int(found) for found in _PASSAGE_ID.findall(request.prompt)]
    return json.dumps(
        {
            "answer": "Yes, the course explains exactly this.",
            "used_chunk_ids": ids[:1],
            "intent": "course_content",
            "grounded": True,
            "grounding_score": 1.0,
            "lab_id": None,
        }
    )


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("what temperature should i bake a frozen pizza at", "decline"),
        ("how do I cancel an asyncio task that hangs with a timeout", "escalate"),
        ("How do I add an item to the end of a list?", "post"),
    ],
)
async def test_a_model_claiming_full_grounding_cannot_post_an_uncovered_answer(
    bot: BotHarness, question: str, outcome: str
) -> None:
    await seed_course(bot)
    bot.llm.reply_with(always_sure)
    channel = bot.slack.dm_channel_id("U0LEARNER")
    await bot.dm("U0LEARNER", question)
    await bot.drain()

    posted = answers_in(bot, channel)
    replies = bot.slack.calls_to("chat.postMessage", lambda c: c.args.get("channel") == channel)
    declined = [c for c in replies if "outside what this course covers" in c.args["text"]]
    escalated = await escalations(bot)
    got = "post" if posted else "decline" if declined else "escalate" if escalated else "none"
    assert got == outcome
    if declined:
        assert ActionId.ESCALATE in json.dumps(declined[0].args["blocks"])
    assert bot.slack.errors == []
