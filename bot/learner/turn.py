"""A learner's message as stored in its conversation, with what the flow needs of its thread."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.coaching import course_mode
from bot.coach.courses import resolve_course
from bot.coach.types import HistoryTurn
from bot.content.coaching import CoachingMode
from bot.deps import Deps
from bot.inbox import InboundMessage
from store.repositories.conversations import ConversationRepository

HISTORY_TURNS = 10


@dataclass(frozen=True)
class Turn:
    """A stored learner message and what the flow needs to know about its thread."""

    conversation_id: int
    message_id: int
    learner_turns: int
    course_id: int | None
    threshold: float
    max_turns: int
    history: list[HistoryTurn]
    coaching: CoachingMode = CoachingMode.ANSWER  # the course's mode; a lab's own wins over it


async def store_turn(deps: Deps, message: InboundMessage, *, counts_as_turn: bool = True) -> Turn:
    """Store the learner's message in its conversation (once, even when the task re-runs);
    ``counts_as_turn=False`` keeps it out of the thread's turn count (an acknowledgement)."""
    settings = deps.settings
    async with deps.sessions.begin() as session:
        course = await resolve_course(session, message.user_id)
        repo = ConversationRepository(session)
        conversation = await repo.get_or_create(
            message.channel_id, message.root_ts, message.user_id, course.id if course else None
        )
        if conversation.course_id is None and course is not None:
            conversation.course_id = course.id
        stored = await repo.find_message(conversation.id, message.ts, "learner")
        if stored is None:
            stored = await repo.add_message(
                conversation,
                role="learner",
                text=message.text,
                author_id=message.user_id,
                slack_ts=message.ts,
                event_id=message.event_id,
                counts_as_turn=counts_as_turn,
            )
        earlier = await repo.history(conversation.id, stored.id, HISTORY_TURNS)
        threshold = settings.escalation_confidence_threshold
        max_turns = settings.escalation_max_turns
        coaching = course_mode(None, settings)
        if course is not None and course.id == conversation.course_id:
            coaching = course_mode(course.coaching_mode, settings)
            # An admin may set a threshold of 0.0 (never escalate on confidence): test for None.
            if course.confidence_threshold is not None:
                threshold = course.confidence_threshold
            if course.max_turns is not None:
                max_turns = course.max_turns
        return Turn(
            conversation_id=conversation.id,
            message_id=stored.id,
            learner_turns=conversation.learner_turns,
            course_id=conversation.course_id,
            threshold=threshold,
            max_turns=max_turns,
            history=[HistoryTurn(m.role, m.text) for m in earlier if m.role != "system"],
            coaching=coaching,
        )
