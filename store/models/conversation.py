"""Learner conversations: threads, their messages, queries, AI responses and feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned


class Conversation(WorkspaceOwned, Timestamped, Base):
    """A DM thread: the learner's first message's ``ts`` is the thread root."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "thread_ts", name="uq_conversations_thread"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str] = mapped_column(String(32))
    learner_id: Mapped[str] = mapped_column(String(32), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    learner_turns: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Message(WorkspaceOwned, Timestamped, Base):
    """Every message in a conversation, whoever wrote it; the thread's history and audit."""

    __tablename__ = "messages"
    # An event is stored once; its id is unique within its workspace.
    __table_args__ = (UniqueConstraint("team_id", "event_id", name="uq_messages_team_event"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))  # learner | assistant | trainer | system
    author_id: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    event_id: Mapped[str | None] = mapped_column(String(64))


class Query(WorkspaceOwned, Timestamped, Base):
    """A learner question as the coach understood it."""

    __tablename__ = "queries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # One query per learner message: a second run of its task reuses the first answer.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True, unique=True
    )
    learner_id: Mapped[str] = mapped_column(String(32), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(32))
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Response(WorkspaceOwned, Timestamped, Base):
    """The coach's answer to a query, with everything needed to judge it later."""

    __tablename__ = "responses"
    # A conversation's latest response without sorting all of them.
    __table_args__ = (Index("ix_responses_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    query_id: Mapped[int] = mapped_column(ForeignKey("queries.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[str] = mapped_column(Text)
    references: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    confidence: Mapped[float]
    confidence_signals: Mapped[dict[str, Any]] = mapped_column(default=dict)
    grounded: Mapped[bool]
    intent: Mapped[str | None] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200))
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    word_count: Mapped[int] = mapped_column(default=0)
    latency_ms: Mapped[int] = mapped_column(default=0)
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("personas.id", ondelete="SET NULL"))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class Feedback(WorkspaceOwned, Timestamped, Base):
    """A learner's verdict on one response; a second click changes it."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("response_id", "learner_id", name="uq_feedback_once"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    learner_id: Mapped[str] = mapped_column(String(32))
    helpful: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(50))
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
