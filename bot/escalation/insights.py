"""The ``escalation.insights`` task: the card's thread summary and similar resolved tickets.

Scheduled in the transaction that opens an escalation, adds to an open one, or relays a
learner's new message to its card (``schedule_insights``); it runs after that commits. It reads
the thread, writes the summary (with the model when one is configured, else extractive; see
``bot.escalation.summary_model``), embeds the question and looks for similar resolved tickets
(``bot.escalation.similar``), all with no transaction open, then stores the result and updates
the card through the outbox in one short transaction. Re-running it recomputes the same thing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.escalation.publish import Publisher
from bot.escalation.similar import TicketQuestion, find_similar
from bot.escalation.summary import ThreadFacts, ThreadMessage
from bot.escalation.summary_model import summarise_thread
from bot.escalation.triggers import TriggerKind, triggers_of
from bot.tasks.kinds import TaskRegistry
from bot.tasks.queue import enqueue
from store.models import Escalation, Message
from store.repositories.escalations import EscalationRepository
from store.repositories.insights import InsightRepository
from store.tasks import ClaimedTask

INSIGHTS = "escalation.insights"


async def schedule_insights(session: AsyncSession, escalation_id: int, *, reason: str) -> None:
    """Enqueue the insights of an escalation in the caller's transaction (once per reason)."""
    await enqueue(
        session,
        INSIGHTS,
        {"escalation_id": escalation_id},
        ordering_key=f"insights:{escalation_id}",
        dedupe_key=f"insights:{escalation_id}:{reason}",
    )


def thread_facts(escalation: Escalation, messages: list[Message]) -> ThreadFacts:
    """What the summary is made from: the escalation and its stored thread."""
    return ThreadFacts(
        question=escalation.question,
        messages=[ThreadMessage(m.role, m.text) for m in messages],
        ai_answer=escalation.ai_answer,
        references=[
            str(r.get("label") or r.get("source_path") or "a course page")
            for r in escalation.references or []
        ],
        reasons=[t.detail for t in triggers_of(escalation)],
    )


async def refresh_insights(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: recompute and store the escalation's insights, then update its card."""
    return await compute_insights(deps, int(task.payload["escalation_id"]), change=str(task.id))


async def compute_insights(deps: Deps, escalation_id: int, *, change: str) -> dict[str, Any]:
    """The task's work, callable alone."""
    async with deps.sessions.begin() as session:
        escalation = await EscalationRepository(session).get(escalation_id)
        if escalation is None:
            return {"skipped": "no escalation"}
        messages = await InsightRepository(session).thread(escalation.conversation_id)
        facts = thread_facts(escalation, messages)
        ticket = TicketQuestion(escalation.id, escalation.course_id, escalation.question)
        urgent = any(t.kind is TriggerKind.SAFETY for t in triggers_of(escalation))
    settings = deps.settings
    # A safety or wellbeing concern is never sent to the model for a summary: the card leads
    # with the concern, and the learner's words are not shared any further than they must be.
    summary = await summarise_thread(
        deps.llm if settings.card_summary_model and not urgent else None,
        settings.chat_model,
        facts,
        request_seconds=settings.llm_timeout_seconds,
    )
    similar = await find_similar(deps, ticket)
    async with deps.sessions.begin() as session:
        repo = InsightRepository(session)
        await repo.save_summary(escalation_id, summary.to_dict(), summary.source)
        await repo.save_similar(escalation_id, similar)
        escalation = await EscalationRepository(session).get(escalation_id)
        assert escalation is not None  # escalations are never deleted
        # A card sent to admins by DM cannot be edited: a new DM per summary would be noise, so
        # the next change's card shows it.
        if escalation.card_channel:
            # Only the card changed: the learner's agent session keeps its status.
            await Publisher(session, settings).update_card(
                escalation, change=f"insights:{change}", agent=False
            )
    return {"summary": summary.source, "similar": [s["ticket"] for s in similar]}


def register(tasks: TaskRegistry) -> None:
    """Register the insights task kind."""
    tasks.register(INSIGHTS, refresh_insights)
