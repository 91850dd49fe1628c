"""Agent sessions: a learner's requests, from Slack's stop button, to stop an answer."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned


class SessionStop(WorkspaceOwned, Timestamped, Base):
    """One click on the stop button of a learner's DM thread (``agent_session_stopped``).

    Any process may be running the answer it stops, so the click is stored, and the answer's
    task watches for rows newer than the ones there when it started. ``message_id`` is the
    learner message whose answer it stopped, set by that task: a re-run of the task finds it
    and does not answer. A click while nothing runs stops nothing and keeps ``message_id`` NULL.
    """

    __tablename__ = "session_stops"
    __table_args__ = (
        # Slack retries an event it thinks was not received: the same click is stored once.
        UniqueConstraint("conversation_id", "event_ts", name="uq_session_stops_event"),
        Index("ix_session_stops_conversation_id_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[str | None] = mapped_column(String(32))
    event_ts: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
