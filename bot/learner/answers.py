"""Storing an answer and posting it in the learner's thread, under the course's coach persona.

The query, the response (with the persona it speaks as) and, for a confident answer, the Slack
post are written in one transaction, so an answer is never posted without being stored, nor
stored as posted without the post being enqueued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block

from bot.blocks.answer import (
    DECLINE_TEXT,
    answer_fallback_text,
    build_answer_blocks,
    build_decline_blocks,
)
from bot.coach.personas import PersonaView, persona_for
from bot.coach.types import Answer, Intent
from bot.deps import Deps
from bot.inbox import InboundMessage
from bot.learner.decision import Decision, Outcome
from bot.learner.stream_finish import Shown, enqueue_stream_finish
from bot.learner.turn import Turn
from bot.tasks.outbox import Outbox, Ref, dm_thread_key
from store.models import Query, Response
from store.repositories.conversations import (
    ConversationRepository,
    QueryRepository,
    ResponseRepository,
)

# Decides what an answer gets, given the learner's earlier struggles on its lab.
Policy = Callable[[Answer, int], Decision]


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored, and what was decided for it."""

    response_id: int
    answer: Answer
    decision: Decision


async def enqueue_answer_post(
    outbox: Outbox,
    *,
    channel: str,
    thread_ts: str,
    response_id: int,
    answer: Answer,
    threshold: float,
    persona: PersonaView | None = None,
) -> None:
    """Enqueue the answer message, posted under the persona's name and icon when one applies."""
    blocks = build_answer_blocks(
        answer.text,
        [ref.location.label() for ref in answer.references],
        answer.confidence,
        response_id,
        threshold=threshold,
        footer=persona.footer if persona else None,
    )
    args = {"text": answer_fallback_text(answer.text), "unfurl_links": False}
    await _post_reply(outbox, "answer", response_id, channel, thread_ts, args, blocks, persona)


async def _post_reply(
    outbox: Outbox,
    kind: str,
    response_id: int,
    channel: str,
    thread_ts: str,
    args: dict[str, Any],
    blocks: list[Block],
    persona: PersonaView | None,
) -> None:
    """Enqueue the ``kind`` reply to a response in the learner's thread (once per response and
    kind), under the persona when one applies; the post's ts is stored on the response."""
    args = {"channel": channel, "thread_ts": thread_ts, **args}
    args["blocks"] = [block.to_dict() for block in blocks]
    # chat:write.customize: without a persona the message keeps the app's own name and icon.
    if persona is not None:
        args["username"] = persona.name
        if persona.icon_url:
            args["icon_url"] = persona.icon_url
    await outbox.call(
        "chat.postMessage",
        args,
        ordering_key=dm_thread_key(channel, thread_ts),
        dedupe_key=f"{kind}:{response_id}",
        record=Ref("responses", "slack_ts", response_id),
    )


def _answer_from_row(response: Response, query: Query) -> Answer:
    """The parts of a stored answer that escalation needs, for a task re-run."""
    return Answer(
        text=response.answer,
        references=[],
        confidence=response.confidence,
        confidence_signals=dict(response.confidence_signals),
        grounded=response.grounded,
        intent=Intent(response.intent or Intent.COURSE_CONTENT.value),
        model=response.model,
        lab_id=query.context.get("lab_id"),
    )


async def enqueue_decline_post(
    outbox: Outbox,
    *,
    channel: str,
    thread_ts: str,
    response_id: int,
    persona: PersonaView | None = None,
) -> None:
    """Enqueue the "outside this course" reply, with the Escalate button."""
    blocks = build_decline_blocks(response_id, footer=persona.footer if persona else None)
    args = {"text": DECLINE_TEXT}
    await _post_reply(outbox, "decline", response_id, channel, thread_ts, args, blocks, persona)


async def _stored_answer(
    queries: QueryRepository,
    responses: ResponseRepository,
    turn: Turn,
    message: InboundMessage,
    policy: Policy,
) -> StoredAnswer | None:
    """The answer an earlier run stored for this learner message, if any."""
    query = await queries.for_message(turn.message_id)
    if query is None:
        return None
    response = await responses.for_query(query.id)
    if response is None:
        return None
    lab = query.context.get("lab_id")
    struggles = (
        await queries.count_lab_struggles(message.user_id, lab, before_id=query.id) if lab else 0
    )
    answer = _answer_from_row(response, query)
    return StoredAnswer(response.id, answer, policy(answer, struggles))


async def store_answer(
    deps: Deps,
    turn: Turn,
    message: InboundMessage,
    answer: Answer | None,
    policy: Policy,
    *,
    shown: Shown | None = None,
) -> StoredAnswer | None:
    """Store query and response, decide with ``policy``, and enqueue the answer (or the
    decline) post, in one transaction.

    With ``answer=None`` only looks for an answer stored by an earlier run of the task; its
    decision is made again from what was stored, so a re-run decides as the first run did.
    When the answer was streamed (by this run, ``shown``, or by one that died), the stream's
    finish is enqueued instead of the post (``bot.learner.stream_finish``).
    """
    async with deps.sessions.begin() as session:
        queries, responses = QueryRepository(session), ResponseRepository(session)
        stored = await _stored_answer(queries, responses, turn, message, policy)
        if stored is not None:
            return stored
        if answer is None:
            return None
        struggles = (
            await queries.count_lab_struggles(message.user_id, answer.lab_id)
            if answer.lab_id
            else 0
        )
        # Looked up with the response, so the stored persona is the one the learner sees and
        # the one whose trainer an escalation of this answer is suggested to.
        persona = (
            await persona_for(session, turn.course_id, message.user_id)
            if turn.course_id is not None
            else None
        )
        query = await queries.add_for_message(
            Query(
                conversation_id=turn.conversation_id,
                message_id=turn.message_id,
                learner_id=message.user_id,
                course_id=turn.course_id,
                text=message.text,
                intent=answer.intent.value,
                context={
                    "course_id": turn.course_id,
                    "lab_id": answer.lab_id,
                    "history_turns": len(turn.history),
                    "thread_ts": message.root_ts,
                    "retrieved": [c.chunk_id for c in answer.retrieved],
                },
            )
        )
        if query is None:
            # Another run of this task (its lease expired while this one ran) stored its answer
            # first and enqueued its post: this run reuses that answer and enqueues nothing.
            return await _stored_answer(queries, responses, turn, message, policy)
        response = await responses.add(
            Response(
                query_id=query.id,
                conversation_id=turn.conversation_id,
                persona_id=persona.id if persona else None,
                answer=answer.text,
                references=[ref.to_dict() for ref in answer.references],
                confidence=answer.confidence,
                confidence_signals=answer.confidence_signals,
                grounded=answer.grounded,
                intent=answer.intent.value,
                model=answer.model,
                prompt_tokens=answer.prompt_tokens,
                completion_tokens=answer.completion_tokens,
                word_count=answer.word_count,
                latency_ms=answer.latency_ms,
            )
        )
        decision = policy(answer, struggles)
        streamed = await enqueue_stream_finish(
            session,
            message_id=turn.message_id,
            response_id=response.id,
            answer=answer,
            posted=decision.outcome is Outcome.POST,
            shown=shown,
            threshold=turn.threshold,
            persona=persona,
            now=deps.clock.now(),
        )
        if decision.outcome is Outcome.DECLINE:
            await enqueue_decline_post(
                Outbox(session),
                channel=message.channel_id,
                thread_ts=message.root_ts,
                response_id=response.id,
                persona=persona,
            )
        if decision.outcome is Outcome.POST:
            conversations = ConversationRepository(session)
            conversation = await conversations.by_id(turn.conversation_id)
            assert conversation is not None
            await conversations.add_message(
                conversation, role="assistant", text=answer.text, author_id=None
            )
            if not streamed:
                await enqueue_answer_post(
                    Outbox(session),
                    channel=message.channel_id,
                    thread_ts=message.root_ts,
                    response_id=response.id,
                    answer=answer,
                    threshold=turn.threshold,
                    persona=persona,
                )
        return StoredAnswer(response.id, answer, decision)
