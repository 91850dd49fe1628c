"""Durable work: the task queue (inbound events and the Slack outbox) and periodic timers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned


class Task(WorkspaceOwned, Timestamped, Base):
    """A unit of work stored before it is acknowledged and done at least once, at most once.

    ``dedupe_key`` makes enqueueing idempotent (a Slack retry carries the same ``event_id``);
    ``ordering_key`` serialises tasks of one thread: only the oldest unfinished task of a key may
    run, which keeps relays in order and one answer in flight per thread.
    """

    __tablename__ = "tasks"
    __table_args__ = (
        Index(
            "ix_tasks_ready",
            "run_at",
            postgresql_where=text("status IN ('pending', 'running')"),
        ),
        Index("ix_tasks_failed", "finished_at", postgresql_where=text("status = 'failed'")),
        # A dedupe key is a workspace's own (its event ids, channels and timestamps).
        UniqueConstraint("team_id", "dedupe_key", name="uq_tasks_team_dedupe"),
        Index(
            "ix_tasks_ordering_open",
            "ordering_key",
            "id",
            postgresql_where=text("status IN ('pending', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    ordering_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(
        String(20), default="pending"
    )  # pending|running|done|failed|cancelled (its workspace uninstalled the app)
    attempts: Mapped[int] = mapped_column(default=0)
    run_at: Mapped[datetime] = mapped_column(server_default=func.now())
    deadline_at: Mapped[datetime | None]
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # The Slack request that caused the task, so its logs can be followed across processes.
    request_id: Mapped[str | None] = mapped_column(String(64))
    # When admins were told that this task failed for good (once per task).
    alerted_at: Mapped[datetime | None]


class Timer(Base):
    """A periodic job: whichever process moves ``next_run_at`` forward first runs it, once."""

    __tablename__ = "timers"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[datetime]
    last_run_at: Mapped[datetime | None]
    last_run_by: Mapped[str | None] = mapped_column(String(100))
    # The ``last_run_at`` of the last tick whose job returned (or failed). Behind ``last_run_at``
    # means that tick's job is still running, or its process died and the next tick redoes it.
    last_finished_at: Mapped[datetime | None]
