"""What a drafted reply is written from: the thread, the course passages and past resolutions.

Passages are retrieved as the coach retrieves them (``Retriever``), so a course FAQ entry that
matches the question comes first. Resolved tickets of the same course with a close question
join the material: the ones the card lists (``bot.escalation.similar``), searched now when the
card's insights are not computed yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.coach.retrieval import Retriever
from bot.coach.types import RetrievedChunk
from bot.deps import Deps
from bot.escalation.similar import TicketQuestion, find_similar
from store.models import Escalation, Message
from store.repositories.escalations import EscalationRepository
from store.repositories.insights import InsightRepository

# Passages a draft is written from: fewer than an answer, the trainer reads the result.
DRAFT_PASSAGES = 4


@dataclass(frozen=True)
class ThreadLine:
    """One message of the learner's thread: who (learner, assistant, trainer) and what."""

    role: str
    text: str


@dataclass(frozen=True)
class SimilarResolution:
    """A resolved ticket of the same course with a close question, and how it was resolved."""

    ticket: int
    question: str
    notes: str


@dataclass(frozen=True)
class DraftMaterial:
    """Everything the draft is written from."""

    question: str
    thread: list[ThreadLine]
    passages: list[RetrievedChunk]
    resolutions: list[SimilarResolution] = field(default_factory=list)


def thread_lines(messages: list[Message]) -> list[ThreadLine]:
    """The stored thread as lines; internal notes are never stored as messages."""
    return [ThreadLine(m.role, m.text) for m in messages if m.text.strip()]


async def similar_resolutions(deps: Deps, escalation: Escalation) -> list[SimilarResolution]:
    """Resolved tickets of the escalation's course whose questions are closest to its own, with
    how they were resolved: those its card lists, else searched now (no transaction open)."""
    async with deps.sessions.begin() as session:
        insight = await InsightRepository(session).get(escalation.id)
    listed = insight.similar if insight is not None and insight.similar is not None else None
    if listed is None:
        ticket = TicketQuestion(escalation.id, escalation.course_id, escalation.question)
        listed = await find_similar(deps, ticket)
    found: list[SimilarResolution] = []
    async with deps.sessions.begin() as session:
        escalations = EscalationRepository(session)
        for item in listed:
            resolved = await escalations.get(int(item["escalation_id"]))
            if resolved is not None and item.get("notes"):
                found.append(SimilarResolution(resolved.ticket, resolved.question, item["notes"]))
    return found


async def gather(deps: Deps, escalation: Escalation, thread: list[ThreadLine]) -> DraftMaterial:
    """Retrieve the passages for the ticket's question and its latest learner message.

    Called with no transaction open: retrieval embeds the question first.
    """
    latest = next((line.text for line in reversed(thread) if line.role == "learner"), "")
    query = (
        escalation.question if latest in escalation.question else f"{escalation.question}\n{latest}"
    )
    passages: list[RetrievedChunk] = []
    if escalation.course_id is not None:
        retriever = Retriever(deps.sessions, deps.embedder)
        passages = await retriever.retrieve(escalation.course_id, query, DRAFT_PASSAGES)
    return DraftMaterial(
        question=escalation.question,
        thread=thread,
        passages=passages,
        resolutions=await similar_resolutions(deps, escalation),
    )
