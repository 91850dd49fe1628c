"""The full escalation path as a learner and a trainer live it in Slack: ask, escalate, talk both
ways, resolve, rate, reopen; the AI stays silent in the thread while a human owns it."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import EscalationRef
from bot.content.indexer import CourseIndexer
from bot.escalation.opening import Escalations
from bot.escalation.triggers import Trigger, TriggerKind
from bot.people.trainers import add_trainer
from store.models import AuditEvent, Course, Escalation, Message
from tests.fakes.llm import ChatRequest
from tests.fakes.slack_api import RecordedCall
from tests.harness import BotHarness

COURSE = Path(__file__).resolve().parents[2] / "examples" / "python-course"
LEARNER = "U0LEARN01"
TRAINER = "U0TRAIN01"
TRAINERS = "C0TRAINERS"
_PASSAGE_ID = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


async def seed_course(bot: BotHarness, *, indexed: bool = False) -> int:
    """A course the learner is in: indexed when answers are needed, a bare row otherwise."""
    if indexed:
        result = await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(COURSE, "python")
        return result.course_id
    async with bot.deps.sessions.begin() as session:
        course = Course(slug="python", title="Python Foundations")
        session.add(course)
        await session.flush()
        return course.id


def confident_reply(request: ChatRequest) -> str:
    """A grounded model reply citing the first passage it was shown."""
    return json.dumps(
        {
            "answer": "Use append.",
            "used_chunk_ids": [int(found) for found in _PASSAGE_ID.findall(request.prompt)][:1],
            "intent": "course_content",
            "grounded": True,
            "grounding_score": 0.99,
            "lab_id": None,
        }
    )


async def escalations(bot: BotHarness) -> list[Escalation]:
    async with bot.deps.sessions() as session:
        return list((await session.scalars(select(Escalation).order_by(Escalation.id))).all())


async def dismiss_as_duplicate(bot: BotHarness, ref: str) -> None:
    """An admin dismisses the ticket from its card, giving "duplicate" as the reason."""
    await bot.click("UADMIN", ActionId.DISMISS, ref, channel=TRAINERS)
    reason = {"type": "static_select", "selected_option": {"value": "duplicate"}}
    await bot.submit_view(
        "UADMIN",
        CallbackId.DISMISS,
        {BlockId.DISMISS_REASON: {BlockId.DISMISS_REASON: reason}},
        private_metadata=ref,
    )


async def audit_actions(bot: BotHarness) -> list[str]:
    async with bot.deps.sessions() as session:
        return list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def card_posts(bot: BotHarness) -> list[RecordedCall]:
    """Top-level posts in the trainer channel (the cards)."""
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == TRAINERS and "thread_ts" not in c.args,
    )


def thread_posts(bot: BotHarness, card_ts: str) -> list[RecordedCall]:
    """Posts in a card's thread."""
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == TRAINERS and c.args.get("thread_ts") == card_ts,
    )


def learner_posts(bot: BotHarness, thread_ts: str) -> list[RecordedCall]:
    """Posts in the learner's DM thread."""
    channel = bot.slack.dm_channel_id(LEARNER)
    return bot.slack.calls_to(
        "chat.postMessage",
        lambda c: c.args.get("channel") == channel and c.args.get("thread_ts") == thread_ts,
    )


def buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """action_id -> value of every button in a message."""
    found: dict[str, str] = {}
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found[element["action_id"]] = element["value"]
    return found


async def escalated_thread(bot: BotHarness, *, indexed: bool = False) -> tuple[str, Escalation]:
    """A learner thread escalated by asking for a human; returns its root ts and escalation."""
    await seed_course(bot, indexed=indexed)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    root = await bot.dm(LEARNER, "I want to talk to a human about my project")
    await bot.drain()
    [escalation] = await escalations(bot)
    assert escalation.card_ts is not None
    return root, escalation


async def test_unanswerable_question_escalates_with_triggers_and_a_card(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    await add_trainer(bot.deps, TRAINER, "python", actor="UADMIN")
    bot.llm.reply_with(
        lambda r: json.dumps(
            {
                "answer": "Maybe try something?",
                "used_chunk_ids": [],
                "intent": "course_content",
                "grounded": False,
                "grounding_score": 0.02,
                "lab_id": None,
            }
        )
    )
    root = await bot.dm(LEARNER, "How do I cancel an asyncio task that hangs?")
    await bot.drain()

    [escalation] = await escalations(bot)
    assert escalation.status == "pending"
    assert escalation.ticket >= 1001
    [trigger] = escalation.triggers
    assert trigger["kind"] == "low_confidence"
    assert trigger["value"] < 0.4
    assert trigger["threshold"] == 0.4
    assert escalation.suggested_trainer_id == TRAINER

    [card] = card_posts(bot)
    rendered = json.dumps(card.args["blocks"], ensure_ascii=False)
    assert f"ESC-{escalation.ticket}" in rendered
    assert f"<@{LEARNER}>" in rendered
    assert "asyncio task" in rendered
    assert "Low confidence" in rendered
    assert "Python Foundations" in rendered
    assert f"<@{TRAINER}>" in rendered
    assert "Maybe try something?" in rendered  # the AI's (unposted) answer, for the trainer
    actions = buttons(card.args["blocks"])
    assert {ActionId.CLAIM, ActionId.RESOLVE} <= set(actions)
    assert EscalationRef.unpack(actions[ActionId.CLAIM]).escalation_id == escalation.id

    [notice] = learner_posts(bot, root)
    assert f"ESC-{escalation.ticket}" in notice.args["text"]
    assert "Maybe try something?" not in json.dumps(notice.args)
    trainer_dm = bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == TRAINER)
    assert len(trainer_dm) == 1
    assert f"ESC-{escalation.ticket}" in trainer_dm[0].args["text"]
    assert {"escalated", "trainer_notified"} <= set(await audit_actions(bot))
    assert bot.slack.errors == []


async def test_an_off_topic_question_is_declined_with_the_escalate_button(
    bot: BotHarness,
) -> None:
    await seed_course(bot, indexed=True)
    bot.llm.reply_with(
        lambda r: json.dumps(
            {
                "answer": "Preheat the oven.",
                "used_chunk_ids": [],
                "intent": "out_of_scope",
                "grounded": False,
                "grounding_score": 0.0,
                "lab_id": None,
            }
        )
    )
    root = await bot.dm(LEARNER, "what temperature should i bake a pizza at")
    await bot.drain()

    assert await escalations(bot) == []
    assert card_posts(bot) == []
    [reply] = learner_posts(bot, root)
    assert "outside what this course covers" in reply.args["text"]
    assert "Preheat" not in json.dumps(reply.args)
    assert ActionId.ESCALATE in buttons(reply.args["blocks"])
    assert bot.slack.errors == []


async def test_asking_for_a_human_escalates_even_when_the_ai_is_confident(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    bot.llm.reply_with(confident_reply)
    root = await bot.dm(LEARNER, "Thanks, but can I speak with a real person please?")
    await bot.drain()

    [escalation] = await escalations(bot)
    assert [t["kind"] for t in escalation.triggers] == ["human_request"]
    assert bot.llm.chat_calls == []
    # Nobody is allocated to the course: the card says so and mentions the admins.
    rendered = json.dumps(card_posts(bot)[0].args["blocks"])
    assert "no trainer allocated" in rendered
    assert "<@UADMIN>" in rendered
    assert any("ESC-" in c.args["text"] for c in learner_posts(bot, root))
    assert bot.slack.errors == []


async def test_escalated_thread_is_silent_and_relays_the_next_messages(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot, indexed=True)
    bot.llm.reply_with(confident_reply)
    before = len(learner_posts(bot, root))

    for text in ("It fails on line 3", "Here is the traceback: KeyError 'x'", "Any ideas?"):
        await bot.dm(LEARNER, text, thread_ts=root)
    await bot.drain()

    assert bot.llm.chat_calls == []
    assert len(learner_posts(bot, root)) == before  # no AI message in the thread
    relayed = [c.args["text"] for c in thread_posts(bot, str(escalation.card_ts))]
    assert len(relayed) == 3
    assert "It fails on line 3" in relayed[0]
    assert "Any ideas?" in relayed[2]
    assert all(f"<@{LEARNER}>" in text for text in relayed)
    assert (await audit_actions(bot)).count("relayed_to_trainer") == 3

    # A new top-level message is a new thread: the coach handles it, not the trainer.
    other = await bot.dm(LEARNER, "What is a list?")
    await bot.drain()
    assert len(bot.llm.chat_calls) == 1
    [answer] = learner_posts(bot, other)
    assert "append" in answer.args["text"]
    assert len(thread_posts(bot, str(escalation.card_ts))) == 3
    assert bot.slack.errors == []


async def test_trainer_reply_reaches_the_learner_marked_as_the_trainer(bot: BotHarness) -> None:
    bot.slack.add_user(TRAINER, display_name="Jane Trainer", image_72="https://img/jane.png")
    root, escalation = await escalated_thread(bot)
    card_ts = str(escalation.card_ts)

    started = time.monotonic()
    await bot.channel_reply(TRAINER, TRAINERS, card_ts, "Hi! Check the indentation on line 3.")
    [relay] = await bot.slack.wait_for(
        "chat.postMessage", lambda c: "indentation" in c.args.get("text", "")
    )
    latency = time.monotonic() - started
    await bot.drain()

    assert relay.args["channel"] == bot.slack.dm_channel_id(LEARNER)
    assert relay.args["thread_ts"] == root
    assert relay.args["username"] == "Jane Trainer (trainer)"
    assert relay.args["icon_url"] == "https://img/jane.png"
    assert latency < 5
    # Replying before anyone claimed claims the card for the trainer.
    [after] = await escalations(bot)
    assert (after.status, after.assignee_id) == ("in_progress", TRAINER)
    claimed = [
        c for c in learner_posts(bot, root) if "is looking at your question" in c.args["text"]
    ]
    assert len(claimed) == 1
    assert bot.slack.calls_to("chat.update", lambda c: c.args.get("ts") == card_ts)

    await bot.channel_reply(TRAINER, TRAINERS, card_ts, "note: probably a tabs/spaces mix")
    await bot.channel_reply("U0STRANGER", TRAINERS, card_ts, "I can help too!")
    await bot.drain()
    texts = json.dumps([c.args for c in learner_posts(bot, root)])
    assert "tabs/spaces" not in texts
    assert "I can help too" not in texts
    [refusal] = bot.slack.calls_to("chat.postEphemeral", lambda c: c.args["user"] == "U0STRANGER")
    assert "only trainers" in refusal.args["text"]
    async with bot.deps.sessions() as session:
        roles = (await session.scalars(select(Message.role).order_by(Message.id))).all()
    assert roles.count("trainer") == 1
    actions = await audit_actions(bot)
    assert {"relayed_to_learner", "internal_note", "refused", "claimed"} <= set(actions)
    assert bot.slack.errors == []


async def test_resolve_rate_and_reopen(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    ref = EscalationRef(escalation_id=escalation.id).pack()
    await bot.click(TRAINER, ActionId.CLAIM, ref, channel=TRAINERS, message_ts=escalation.card_ts)
    await bot.drain()
    async with bot.deps.sessions.begin() as session:  # the escalation is 42 minutes old
        await session.execute(
            update(Escalation).values(created_at=Escalation.created_at - timedelta(minutes=42))
        )

    await bot.click(TRAINER, ActionId.RESOLVE, ref, channel=TRAINERS)
    [opened] = bot.slack.calls_to("views.open")
    assert opened.args["view"]["callback_id"] == CallbackId.RESOLVE
    notes = {"value": "Indentation fixed; explained PEP 8."}
    status, _ = await bot.submit_view(
        TRAINER,
        CallbackId.RESOLVE,
        {BlockId.RESOLUTION_NOTES: {BlockId.RESOLUTION_NOTES: notes}},
        private_metadata=ref,
    )
    assert status == 200
    await bot.drain()

    [resolved] = await escalations(bot)
    assert resolved.status == "resolved"
    assert resolved.resolved_by == TRAINER
    assert resolved.resolution_notes == "Indentation fixed; explained PEP 8."
    assert resolved.minutes_to_resolve is not None
    assert 42.0 <= resolved.minutes_to_resolve < 43.0
    closing = [c for c in learner_posts(bot, root) if "as resolved" in c.args["text"]]
    rating = buttons(closing[0].args["blocks"])
    assert set(rating) == {ActionId.RATE_RESOLVED_YES, ActionId.RATE_RESOLVED_NO}
    card = bot.slack.messages(TRAINERS)[0]
    assert "Resolved" in json.dumps(card["blocks"])
    assert "42 min" in json.dumps(card["blocks"])

    await bot.click(LEARNER, ActionId.RATE_RESOLVED_YES, rating[ActionId.RATE_RESOLVED_YES])
    [thanks] = await bot.slack.wait_for("response_url", lambda c: "Thanks" in c.args["text"])
    assert thanks.args.get("replace_original") is True
    assert (await escalations(bot))[0].resolution_rating is True

    # A learner reply in the resolved thread reopens it to the same trainer; AI still silent.
    bot.llm.reply_with(confident_reply)
    await bot.dm(LEARNER, "Sorry, it broke again", thread_ts=root)
    await bot.drain()
    [reopened] = await escalations(bot)
    assert (reopened.status, reopened.assignee_id) == ("reopened", TRAINER)
    assert reopened.reopened_count == 1
    assert bot.llm.chat_calls == []
    relayed = thread_posts(bot, str(escalation.card_ts))
    assert "broke again" in relayed[-1].args["text"]
    alerts = bot.slack.calls_to("chat.postMessage", lambda c: c.args["channel"] == TRAINER)
    assert any("ESC-" in c.args["text"] for c in alerts)
    assert {"claimed", "resolved", "rated", "reopened"} <= set(await audit_actions(bot))
    assert bot.slack.errors == []


async def test_manual_escalation_with_a_note(bot: BotHarness) -> None:
    await seed_course(bot, indexed=True)
    bot.llm.reply_with(confident_reply)
    await bot.dm(LEARNER, "How do I add an item to a list?")
    await bot.drain()
    [answer] = bot.slack.calls_to("chat.postMessage", lambda c: "blocks" in c.args)
    value = buttons(answer.args["blocks"])[ActionId.ESCALATE]

    await bot.click("U0OTHER01", ActionId.ESCALATE, value, channel=answer.args["channel"])
    [refused] = await bot.slack.wait_for("response_url")
    assert "Only the learner who asked" in refused.args["text"]
    assert bot.slack.calls_to("views.open") == []

    await bot.click(LEARNER, ActionId.ESCALATE, value, channel=answer.args["channel"])
    [opened] = bot.slack.calls_to("views.open")
    view = opened.args["view"]
    note = {"value": "I tried insert() too"}
    await bot.submit_view(
        LEARNER,
        CallbackId.ESCALATE,
        {BlockId.ESCALATE_NOTE: {BlockId.ESCALATE_NOTE: note}},
        private_metadata=view["private_metadata"],
    )
    await bot.drain()

    [escalation] = await escalations(bot)
    assert [t["kind"] for t in escalation.triggers] == ["manual"]
    assert escalation.learner_note == "I tried insert() too"
    assert escalation.ai_answer == "Use append."
    assert "I tried insert() too" in json.dumps(card_posts(bot)[0].args["blocks"])
    assert bot.slack.errors == []


async def test_second_trigger_adds_to_the_open_escalation(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    outcome = await Escalations(bot.deps).escalate(
        escalation.conversation_id,
        triggers=[Trigger(TriggerKind.SAFETY, "harassment: “harassing”", "harassment")],
        question="someone is harassing me",
        answer=None,
        response_id=None,
        actor_id=LEARNER,
    )
    await bot.drain()
    assert outcome.created is False
    assert outcome.escalation_id == escalation.id
    [only] = await escalations(bot)
    assert [t["kind"] for t in only.triggers] == ["human_request", "safety"]
    # A first safety concern on the ticket gets the support resources, not a plain "added".
    [reply] = [c for c in learner_posts(bot, root) if "findahelpline.com" in c.args["text"]]
    assert f"ESC-{escalation.ticket}" in reply.args["text"]
    assert bot.slack.errors == []


async def test_another_trigger_is_added_to_the_open_ticket(bot: BotHarness) -> None:
    root, escalation = await escalated_thread(bot)
    await Escalations(bot.deps).escalate(
        escalation.conversation_id,
        triggers=[Trigger(TriggerKind.LAB_STRUGGLE, "struggling with lab-2", 3, 3)],
        question="still stuck on lab 2",
        answer=None,
        response_id=None,
        actor_id=LEARNER,
    )
    await bot.drain()
    [only] = await escalations(bot)
    assert [t["kind"] for t in only.triggers] == ["human_request", "lab_struggle"]
    assert any("open ticket" in c.args["text"] for c in learner_posts(bot, root))
    assert bot.slack.errors == []
