"""Nearest resolved tickets of a course by question embedding: the vector SQL over escalations.

Like ``store.vector_search`` for chunks, the embedding column has no fixed dimension (the
embedding model may change), so only rows embedded by the same model with the same dimension
are compared, through ``embedding::vector(<dim>)``. A course's resolved tickets are few (hundreds,
not hundreds of thousands), so this is an exact scan through the ``(status, course_id)`` index
of escalations, with perfect recall and no per-course vector index to keep up.
"""

from __future__ import annotations

from pgvector.sqlalchemy import Vector
from sqlalchemy import cast, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.escalation import Escalation
from store.models.insight import EscalationInsight


async def similar_resolved(
    session: AsyncSession,
    *,
    course_id: int,
    embedding: list[float],
    model: str,
    exclude_id: int,
    k: int,
) -> list[tuple[Escalation, float]]:
    """The ``k`` resolved escalations of the course nearest to ``embedding``, with their cosine
    distance, nearest first (never ``exclude_id``, the ticket being looked at)."""
    dim = len(embedding)
    query = cast(literal(embedding, Vector(dim)), Vector(dim))
    distance = (
        cast(EscalationInsight.question_embedding, Vector(dim))
        .cosine_distance(query)
        .label("distance")
    )
    statement = (
        select(Escalation, distance)
        .join(EscalationInsight, EscalationInsight.escalation_id == Escalation.id)
        .where(
            Escalation.course_id == course_id,
            Escalation.status == "resolved",
            Escalation.id != exclude_id,
            EscalationInsight.question_embedding.is_not(None),
            EscalationInsight.embedding_model == model,
            EscalationInsight.embedding_dim == dim,
        )
        .order_by(distance)
        .limit(int(k))
    )
    rows = await session.execute(statement)
    return [(row, float(score)) for row, score in rows.tuples()]
