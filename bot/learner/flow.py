"""The LEARNER_MESSAGE task: from a learner's stored DM to a posted answer or an escalation.

Order matters: the message is stored first (history, turn count), then a thread already with a
trainer is routed there and the AI stays silent (a safety concern there is still flagged), then
pre-answer triggers escalate without any LLM call, and only then is the question answered. A
confident answer is posted; a weak one is kept (for trainers and tuning) but not shown, and the
thread escalates instead. While the model answers, the thread's agent session shows it, and the
learner may stop it (``bot.learner.stop``): then nothing more is posted for that message.

Files are read first of all (``bot.learner.files``): a text file's content is stored and answered
as part of the learner's message, an image goes to a vision model with this turn only, and what
could not be read is named in a reply. Intents (a request for a person, a safety concern, an
acknowledgement) are judged on what the learner typed, never on a file's content.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.coach.courses import NOT_ENROLLED
from bot.coach.types import Answer
from bot.deps import Deps
from bot.escalation.intents import detector_for
from bot.escalation.opening import Escalations
from bot.escalation.relay import route_learner_message
from bot.escalation.triggers import Trigger, intent_trigger, pre_answer_triggers
from bot.inbox import LEARNER_MESSAGE, WORKING_REACTION, InboundMessage, post_notice, seen_key
from bot.learner.acknowledgement import is_acknowledgement
from bot.learner.answers import Policy, store_answer
from bot.learner.burst import as_one_question, gather_burst
from bot.learner.decision import Decision, Outcome, decide
from bot.learner.file_reply import note_unread, reply_nothing_read
from bot.learner.files import FileReading, read_files
from bot.learner.session_status import name_session, working
from bot.learner.stop import AnswerStopped, unless_stopped, was_stopped
from bot.learner.stream import answer_streaming
from bot.learner.stream_finish import Shown
from bot.learner.stream_orphans import keep_stopped
from bot.learner.turn import Turn, store_turn
from bot.tasks.kinds import TaskRegistry
from bot.tasks.outbox import Outbox, dm_thread_key
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

# Added to a message that only acknowledges ("thanks", "got it"), instead of an answer.
ACKNOWLEDGED_REACTION = "white_check_mark"
# A learner waits in Slack: past this, an apology beats an answer that comes much later.
GIVE_UP_AFTER = timedelta(minutes=5)
APOLOGY = (
    "Sorry, I couldn't answer that right now because of a problem on our side. "
    "Please try again in a few minutes; if you need help sooner, ask me to talk to a trainer."
)


async def _clear_seen(deps: Deps, messages: list[InboundMessage]) -> None:
    """The working reaction each message got on arrival goes: through the outbox, in the
    reactions' own order (``bot.inbox.seen_key``), so never before it was added."""
    async with deps.sessions.begin() as session:
        outbox = Outbox(session)
        for sent in messages:
            await outbox.call(
                "reactions.remove",
                {"channel": sent.channel_id, "timestamp": sent.ts, "name": WORKING_REACTION},
                ordering_key=seen_key(sent.channel_id),
                dedupe_key=f"unseen:{sent.dedupe_key}",
                best_effort=True,
            )


async def _acknowledge(deps: Deps, message: InboundMessage) -> None:
    """React to an acknowledgement instead of answering it, through the outbox (once)."""
    async with deps.sessions.begin() as session:
        await Outbox(session).call(
            "reactions.add",
            {"channel": message.channel_id, "timestamp": message.ts, "name": ACKNOWLEDGED_REACTION},
            ordering_key=dm_thread_key(message.channel_id, message.root_ts),
            dedupe_key=f"acknowledged:{message.dedupe_key}",
        )


async def _answer_with_indicator(
    deps: Deps, message: InboundMessage, turn: Turn, policy: Policy, images: list[str]
) -> tuple[Answer, Shown | None]:
    # The session shows "processing" while the model answers, and the learner may stop it
    # (``AnswerStopped``). Each message got its working reaction when it arrived
    # (``bot.inbox``), and the task clears them all once it is done.
    async with working(deps, message):
        # Streamed into the thread when it will be posted (``bot.learner.stream``).
        return await unless_stopped(
            deps,
            message.channel_id,
            message.root_ts,
            answer_streaming(deps, message, turn, policy, images),
        )


async def _escalate(
    deps: Deps,
    turn: Turn,
    message: InboundMessage,
    triggers: list[Trigger],
    answer: Answer | None,
    response_id: int | None,
) -> dict[str, Any]:
    outcome = await Escalations(deps).escalate(
        turn.conversation_id,
        triggers=triggers,
        question=message.text,
        answer=answer,
        response_id=response_id,
        actor_id=message.user_id,
    )
    return {
        "escalation_id": outcome.escalation_id,
        "triggers": [t.kind.value for t in triggers],
        "response_id": response_id,
    }


async def _route_to_trainer(deps: Deps, turns: list[Turn]) -> bool:
    """Relay every message of the burst to the thread's trainer, if a trainer has the thread."""
    first, *rest = turns
    if not await route_learner_message(deps, first.conversation_id, first.message_id):
        return False
    for later in rest:
        await route_learner_message(deps, later.conversation_id, later.message_id)
    return True


async def handle_learner_message(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: route, escalate or answer one learner DM."""
    # Messages sent seconds apart in this thread are answered together, as one question.
    burst = await gather_burst(deps, task)
    # Downloads happen here, in the task, before anything is stored and outside transactions.
    reading = await read_files(deps, burst)
    result = await _handle_burst(deps, burst, reading)
    # Each message showed on arrival that it was seen; now it has been dealt with.
    await _clear_seen(deps, burst)
    return result


async def _handle_burst(
    deps: Deps, burst: list[InboundMessage], reading: FileReading
) -> dict[str, Any]:
    typed = as_one_question(burst).text
    burst = reading.with_files(burst)
    message = as_one_question(burst)
    # "thanks" or "got it" needs no answer (nor counts toward the turn limit), but it is stored,
    # and a trainer who owns the thread still sees it.
    acknowledges = not any(sent.files for sent in burst) and is_acknowledgement(typed)
    # Each message is stored as sent; the burst counts as one turn, and the first one's place in
    # the thread is the question's (its history is what came before).
    turns = [
        await store_turn(deps, sent, counts_as_turn=not acknowledges and n == 0)
        for n, sent in enumerate(burst)
    ]
    turn = replace(turns[0], learner_turns=turns[-1].learner_turns)
    detector = detector_for(deps.embedder)
    if await _route_to_trainer(deps, turns):
        # The AI stays silent in a trainer's thread, but a safety concern there still gets the
        # support resources at once and pings the admins.
        concern = (await detector.detect(typed)).safety
        if concern is not None:
            await Escalations(deps).raise_safety(
                turn.conversation_id,
                intent_trigger(concern),
                question=message.text,
                actor_id=message.user_id,
            )
        return {"routed": "trainer"}
    if acknowledges:
        await _acknowledge(deps, message)
        return {"acknowledged": True}
    pre = await pre_answer_triggers(
        typed,
        detector=detector,
        learner_turns=turn.learner_turns,
        max_turns=turn.max_turns,
    )
    if pre:
        return await _escalate(deps, turn, message, pre, None, None)
    if turn.course_id is None:
        await post_notice(
            deps, message, NOT_ENROLLED, dedupe_key=f"not-enrolled:{message.dedupe_key}"
        )
        return {"answered": False, "reason": "no course"}
    if reading.nothing_to_answer(typed):
        return await reply_nothing_read(deps, turn, message, reading)
    if reading.unread:
        await note_unread(deps, message, reading)

    def policy(answer: Answer, lab_struggles: int) -> Decision:
        return decide(
            answer,
            threshold=turn.threshold,
            lab_struggles=lab_struggles,
            struggle_threshold=deps.settings.lab_struggle_threshold,
        )

    # A re-run after a crash finds the answer already stored (and its post enqueued).
    stored = await store_answer(deps, turn, message, None, policy)
    if stored is None:
        if await was_stopped(deps, turn.message_id):
            return {"stopped": True}  # the learner stopped it in an earlier run of this task
        try:
            answer, shown = await _answer_with_indicator(
                deps, message, turn, policy, reading.images
            )
        except AnswerStopped as stop:
            await stop.record(deps, turn.message_id)
            # What a stream already showed stays, as the learner stopped it.
            await keep_stopped(deps, turn.message_id)
            return {"stopped": True}  # nothing more is posted for this message
        stored = await store_answer(deps, turn, message, answer, policy, shown=shown)
        assert stored is not None
        await name_session(deps, message, stored.answer)
    decision = stored.decision
    if decision.outcome is Outcome.ESCALATE:
        return await _escalate(
            deps, turn, message, decision.triggers, stored.answer, stored.response_id
        )
    if decision.outcome is Outcome.DECLINE:
        return {"response_id": stored.response_id, "declined": True}
    return {"response_id": stored.response_id, "confidence": stored.answer.confidence}


async def apologise(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Failure hook: the learner is told, kindly, that no answer is coming for now."""
    message = InboundMessage.from_payload(task.payload)
    await post_notice(deps, message, APOLOGY, dedupe_key=f"apology:{message.dedupe_key}")
    # It was seen, and dealt with: the working reaction it got on arrival goes.
    await _clear_seen(deps, [message])


def register(tasks: TaskRegistry) -> None:
    """Register the learner message task kind."""
    tasks.register(
        LEARNER_MESSAGE, handle_learner_message, give_up_after=GIVE_UP_AFTER, on_failure=apologise
    )
