"""Similar resolved tickets of the same course, for a new ticket's card.

Each escalation's question is embedded once (by the insights task, after the escalation
commits); resolved tickets from before embeddings existed, or embedded by an earlier model, are
embedded lazily here, a batch at a time, when a ticket of their course looks for neighbours. Only
tickets of the same course with a cosine similarity of at least ``SIMILAR_TICKET_FLOOR`` are
listed, at most three, each with its resolution notes and a link to its card's thread (from
``chat.getPermalink``, asked here in the task, never while a transaction is open).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.deps import Deps
from bot.escalation.summary import similarity_text
from store.repositories.insights import InsightRepository
from store.ticket_search import similar_resolved

log = logging.getLogger(__name__)

SIMILAR_SHOWN = 3
# Old resolved tickets embedded per run: a course's history is caught up over a few tickets.
BACKFILL_BATCH = 64
NOTES_CHARS = 600


@dataclass(frozen=True)
class TicketQuestion:
    """The ticket looking for neighbours."""

    escalation_id: int
    course_id: int | None
    question: str


async def question_vector(deps: Deps, ticket: TicketQuestion) -> list[float]:
    """The ticket's question embedding, stored the first time (or when the model changed)."""
    model = deps.embedder.model
    async with deps.sessions.begin() as session:
        stored = await InsightRepository(session).embedding(ticket.escalation_id, model)
    if stored is not None:
        return stored
    [vector] = await deps.embedder.embed([similarity_text(ticket.question)])
    async with deps.sessions.begin() as session:
        await InsightRepository(session).save_embedding(ticket.escalation_id, vector, model)
    return vector


async def backfill(deps: Deps, course_id: int) -> int:
    """Embed up to a batch of the course's resolved tickets that have no embedding yet."""
    model = deps.embedder.model
    async with deps.sessions.begin() as session:
        missing = await InsightRepository(session).unembedded_resolved(
            course_id, model, BACKFILL_BATCH
        )
    if not missing:
        return 0
    vectors = await deps.embedder.embed([similarity_text(question) for _, question in missing])
    async with deps.sessions.begin() as session:
        repo = InsightRepository(session)
        for (escalation_id, _), vector in zip(missing, vectors, strict=True):
            await repo.save_embedding(escalation_id, vector, model)
    return len(missing)


async def _permalink(deps: Deps, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        response = await (await deps.slack_client()).chat_getPermalink(
            channel=channel, message_ts=ts
        )
    except (SlackApiError, SlackClientError, OSError, TimeoutError):
        log.warning("no permalink for the card %s/%s; listed without a link", channel, ts)
        return None
    link = response.get("permalink")
    return str(link) if link else None


async def find_similar(deps: Deps, ticket: TicketQuestion) -> list[dict[str, Any]]:
    """Up to three resolved tickets of the course above the floor, nearest first (stored form)."""
    if ticket.course_id is None:
        return []
    vector = await question_vector(deps, ticket)
    await backfill(deps, ticket.course_id)
    floor = deps.settings.similar_ticket_floor
    async with deps.sessions.begin() as session:
        rows = await similar_resolved(
            session,
            course_id=ticket.course_id,
            embedding=vector,
            model=deps.embedder.model,
            exclude_id=ticket.escalation_id,
            k=SIMILAR_SHOWN,
        )
        near = [
            (
                row.id,
                row.ticket,
                1.0 - distance,
                row.resolution_notes,
                row.card_channel,
                row.card_ts,
            )
            for row, distance in rows
            if 1.0 - distance >= floor
        ]
    found: list[dict[str, Any]] = []
    for escalation_id, number, similarity, notes, channel, ts in near:
        found.append(
            {
                "escalation_id": escalation_id,
                "ticket": number,
                "similarity": round(similarity, 4),
                "notes": notes[:NOTES_CHARS] if notes else None,
                "link": await _permalink(deps, channel, ts),
            }
        )
    return found
