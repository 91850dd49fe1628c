"""What the trainer's card knows beyond the escalation itself: the thread's summary and the
question's embedding (for similar resolved tickets), computed in a task after the fact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import BigInteger, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.tenancy import WorkspaceOwned


class EscalationInsight(WorkspaceOwned, Base):
    """One row per escalation, written by the ``escalation.insights`` task."""

    __tablename__ = "escalation_insights"

    escalation_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("escalations.id", ondelete="CASCADE"), primary_key=True
    )
    summary: Mapped[dict[str, Any] | None]
    # ``extractive`` or ``model``.
    summary_source: Mapped[str | None] = mapped_column(String(20))
    # No fixed dimension, like chunks: the embedding model may change (see store.ticket_search).
    question_embedding: Mapped[list[float] | None] = mapped_column(Vector())
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    embedding_dim: Mapped[int | None]
    # The similar resolved tickets the card shows: ticket, similarity, notes, link.
    similar: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
