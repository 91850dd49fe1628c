"""The card insights of escalations (summary, question embedding, similar tickets) and the
thread they are computed from; repositories never commit (services do)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from store.models.conversation import Message
from store.models.escalation import Escalation
from store.models.insight import EscalationInsight

THREAD_ROLES = ("learner", "assistant", "trainer")
# The newest messages a summary reads; older ones of a very long thread are left out.
THREAD_LIMIT = 200


class InsightRepository:
    """Reads and writes of ``escalation_insights``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, escalation_id: int) -> EscalationInsight | None:
        """The escalation's insight row, without its vector."""
        statement = (
            select(EscalationInsight)
            .options(defer(EscalationInsight.question_embedding))
            .where(EscalationInsight.escalation_id == escalation_id)
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def _upsert(self, escalation_id: int, values: dict[str, Any]) -> None:
        statement = insert(EscalationInsight).values(escalation_id=escalation_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[EscalationInsight.escalation_id],
                set_={**values, "updated_at": statement.excluded.updated_at},
            )
        )

    async def save_summary(self, escalation_id: int, summary: dict[str, Any], source: str) -> None:
        """Store (or replace) the thread's summary."""
        await self._upsert(escalation_id, {"summary": summary, "summary_source": source})

    async def save_embedding(self, escalation_id: int, vector: list[float], model: str) -> None:
        """Store (or replace) the question's embedding."""
        await self._upsert(
            escalation_id,
            {"question_embedding": vector, "embedding_model": model, "embedding_dim": len(vector)},
        )

    async def save_similar(self, escalation_id: int, similar: list[dict[str, Any]]) -> None:
        """Store the similar resolved tickets the card shows."""
        await self._upsert(escalation_id, {"similar": similar})

    async def embedding(self, escalation_id: int, model: str) -> list[float] | None:
        """The question's embedding by ``model``, None when it has none by that model."""
        statement = select(EscalationInsight.question_embedding).where(
            EscalationInsight.escalation_id == escalation_id,
            EscalationInsight.embedding_model == model,
        )
        vector = (await self._session.execute(statement)).scalar_one_or_none()
        return None if vector is None else [float(x) for x in vector]

    async def unembedded_resolved(
        self, course_id: int, model: str, limit: int
    ) -> list[tuple[int, str]]:
        """Resolved escalations of a course whose question has no embedding by ``model`` yet
        (those resolved before embeddings existed, or embedded by another model): id, question."""
        statement = (
            select(Escalation.id, Escalation.question)
            .outerjoin(
                EscalationInsight,
                and_(
                    EscalationInsight.escalation_id == Escalation.id,
                    EscalationInsight.question_embedding.is_not(None),
                    EscalationInsight.embedding_model == model,
                ),
            )
            .where(
                Escalation.course_id == course_id,
                Escalation.status == "resolved",
                EscalationInsight.escalation_id.is_(None),
            )
            .order_by(Escalation.id.desc())
            .limit(limit)
        )
        return [(row_id, question) for row_id, question in await self._session.execute(statement)]

    async def thread(self, conversation_id: int) -> list[Message]:
        """The conversation's learner, assistant and trainer messages, oldest first."""
        statement = (
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.role.in_(THREAD_ROLES))
            .order_by(Message.id.desc())
            .limit(THREAD_LIMIT)
        )
        return list(reversed((await self._session.execute(statement)).scalars().all()))
