"""What trainers do with the AI's help on a ticket: drafted replies and corrections of answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned

# The outcomes of a draft: the trainer sent it as drafted, sent an edited text, or closed it.
DRAFT_OUTCOMES = ("sent_unchanged", "edited", "discarded")


class ReplyDraft(WorkspaceOwned, Timestamped, Base):
    """A reply drafted for a trainer, and what the trainer did with it (acceptance is measured
    from these rows)."""

    __tablename__ = "reply_drafts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id", ondelete="CASCADE"), index=True
    )
    trainer_id: Mapped[str] = mapped_column(String(32))
    # The modal the draft is shown in (views.update fills it once the draft is written).
    view_id: Mapped[str | None] = mapped_column(String(64))
    # "llm" or "offline"; None while the draft is being written.
    source: Mapped[str | None] = mapped_column(String(20))
    draft_text: Mapped[str | None] = mapped_column(Text)
    sent_text: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None]


class AiCorrection(WorkspaceOwned, Timestamped, Base):
    """A trainer's correct answer to an AI answer that was wrong, with the passages it cited."""

    __tablename__ = "ai_corrections"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL"), index=True
    )
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id", ondelete="CASCADE"), index=True
    )
    trainer_id: Mapped[str] = mapped_column(String(32))
    correction: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # The chunks the wrong answer was built on: demoted for the question once saved as an FAQ.
    chunk_ids: Mapped[list[int]] = mapped_column(JSONB, default=list)
