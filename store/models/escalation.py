"""Escalations to human trainers and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Sequence,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned

TICKET_SEQUENCE = Sequence("escalation_ticket_seq", start=1001)

# Statuses in which a thread belongs to a human and the AI stays silent.
OPEN_STATUSES = ("pending", "in_progress", "reopened")


class Escalation(WorkspaceOwned, Timestamped, Base):
    """A learner thread handed to a trainer; ``ticket`` is shown as ESC-<number>."""

    __tablename__ = "escalations"
    __table_args__ = (
        # At most one open escalation per conversation: a second trigger adds to it.
        Index(
            "uq_escalations_one_open",
            "conversation_id",
            unique=True,
            postgresql_where=text("status IN ('pending', 'in_progress', 'reopened')"),
        ),
        Index("ix_escalations_status_course", "status", "course_id"),
        Index("ix_escalations_team_status", "team_id", "status"),
        # A reply in a card's thread finds its ticket by the card (every channel reply asks).
        Index("ix_escalations_card", "card_ts", "card_channel"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    ticket: Mapped[int] = mapped_column(
        TICKET_SEQUENCE, server_default=TICKET_SEQUENCE.next_value(), unique=True
    )
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    learner_id: Mapped[str] = mapped_column(String(32), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))
    triggers: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    question: Mapped[str] = mapped_column(Text)
    ai_answer: Mapped[str | None] = mapped_column(Text)
    ai_confidence: Mapped[float | None]
    references: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id", ondelete="SET NULL"))
    learner_note: Mapped[str | None] = mapped_column(Text)
    suggested_trainer_id: Mapped[str | None] = mapped_column(String(32))
    assignee_id: Mapped[str | None] = mapped_column(String(32), index=True)
    claimed_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(32))
    resolution_notes: Mapped[str | None] = mapped_column(Text)
    minutes_to_resolve: Mapped[float | None]
    dismissed_reason: Mapped[str | None] = mapped_column(String(200))
    resolution_rating: Mapped[bool | None]
    reopened_count: Mapped[int] = mapped_column(default=0)
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    last_activity_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sla_reminded_at: Mapped[datetime | None]
    sla_admin_alerted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class AuditEvent(WorkspaceOwned, Timestamped, Base):
    """Who did what, when: every transition, relay and settings change."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalations.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(50), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
