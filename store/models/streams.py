"""Streamed answers: the Slack message a learner's answer is streaming into."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned


class AnswerStream(WorkspaceOwned, Timestamped, Base):
    """One streamed answer to one learner message, stored as soon as Slack gives its ``ts``.

    The row exists from just before ``chat.startStream`` (``ts`` still NULL) so that whoever runs
    the message's task again, in this process or another, finishes or replaces that message
    instead of posting a second answer. ``finished_at`` is set once its final form is enqueued.
    """

    __tablename__ = "answer_streams"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    finished_at: Mapped[datetime | None]
