"""The card's view of what is stored beside an escalation: the thread's summary, similar
resolved tickets, and a trainer's correction of the AI answer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.card_insights import CardSimilar, CardSummary
from bot.blocks.escalation_card import CardFacts
from bot.escalation.summary import ThreadSummary
from store.repositories.copilot import CorrectionRepository
from store.repositories.insights import InsightRepository


def card_summary(stored: dict[str, Any]) -> CardSummary:
    """The card's summary from its stored form."""
    summary = ThreadSummary.from_dict(stored)
    return CardSummary(
        wants=summary.wants,
        tried=summary.tried,
        answered=summary.answered,
        answered_from=summary.answered_from,
        still_open=summary.still_open,
        generated=summary.source == "model",
    )


def card_similar(stored: list[dict[str, Any]]) -> list[CardSimilar]:
    """The card's similar tickets from their stored form."""
    return [
        CardSimilar(
            ticket=int(item["ticket"]),
            similarity=float(item["similarity"]),
            notes=item.get("notes"),
            link=item.get("link"),
        )
        for item in stored
    ]


async def with_insights(session: AsyncSession, facts: CardFacts) -> CardFacts:
    """``facts`` with the escalation's summary and similar tickets, once they are computed, and
    the newest correction of its AI answer."""
    facts = replace(facts, **await CorrectionRepository(session).card_fields(facts.escalation_id))
    insight = await InsightRepository(session).get(facts.escalation_id)
    if insight is None:
        return facts
    return replace(
        facts,
        summary=card_summary(insight.summary) if insight.summary else None,
        similar=card_similar(insight.similar or []),
    )
