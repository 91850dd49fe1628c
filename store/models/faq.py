"""Course FAQ entries: a trainer-approved question and answer, saved when a ticket is resolved.

The entry is the source of truth; while it is live it is also one chunk of its course
(``source_path`` ``FAQ_SOURCE_PATH``, anchor ``faq_anchor(id)``), written by the ``faq.publish``
task once the question is embedded, so retrieval, citation and answerability read it like course
text. Removing an entry deletes that chunk; ingest never touches FAQ chunks except to re-embed them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned

# The source path of every FAQ chunk: no course file has it (course files end in .md).
FAQ_SOURCE_PATH = "faq"


def faq_anchor(entry_id: int) -> str:
    """The anchor of an FAQ entry's chunk."""
    return f"faq-{int(entry_id)}"


class FaqEntry(WorkspaceOwned, Timestamped, Base):
    """One question and its approved answer in a course's FAQ."""

    __tablename__ = "faq_entries"
    __table_args__ = (
        Index(
            "ix_faq_entries_live",
            "course_id",
            "id",
            postgresql_where=text("removed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalations.id", ondelete="SET NULL")
    )
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    # Who approved the answer (the trainer or admin who resolved the ticket), and their name as
    # it was when the entry was saved: the chunk's location shows it ("FAQ · answered by Jane").
    answered_by: Mapped[str] = mapped_column(String(32))
    answered_by_name: Mapped[str] = mapped_column(String(200))
    # Set by the faq.publish task once the chunk is written; None while it waits.
    published_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(32))
    # Chunks an AI answer to this question was wrongly built on (a trainer corrected it): when a
    # question matches this entry they go after every other passage.
    demoted_chunk_ids: Mapped[list[int]] = mapped_column(JSONB, default=list, server_default="[]")
