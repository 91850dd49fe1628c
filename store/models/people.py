"""Trainers, their course allocation, enrolments and coach personas."""

from __future__ import annotations

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped
from store.tenancy import WorkspaceOwned, current_team


class Trainer(WorkspaceOwned, Timestamped, Base):
    """A Slack user an admin made a trainer."""

    __tablename__ = "trainers"

    # A user id is a workspace's own: the same one may be a trainer in two workspaces.
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True, default=current_team)
    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(default=True)
    backup_trainer_id: Mapped[str | None] = mapped_column(String(32))
    added_by: Mapped[str | None] = mapped_column(String(32))


class TrainerCourse(WorkspaceOwned, Timestamped, Base):
    """Allocation of a trainer to a course."""

    __tablename__ = "trainer_courses"
    __table_args__ = (
        ForeignKeyConstraint(
            ["team_id", "trainer_id"],
            ["trainers.team_id", "trainers.slack_user_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )

    trainer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )


class Enrolment(WorkspaceOwned, Timestamped, Base):
    """A learner's enrolment in a course, with the trainer assigned from the allocation."""

    __tablename__ = "enrolments"
    __table_args__ = (
        # Only the trainer is cleared when the trainer goes (PostgreSQL 15's column list).
        ForeignKeyConstraint(
            ["team_id", "trainer_id"],
            ["trainers.team_id", "trainers.slack_user_id"],
            ondelete="SET NULL (trainer_id)",
            onupdate="CASCADE",
        ),
        Index("ix_enrolments_team_id", "team_id"),
    )

    learner_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    trainer_id: Mapped[str | None] = mapped_column(String(32))
    enrolled_by: Mapped[str | None] = mapped_column(String(32))


class Persona(WorkspaceOwned, Timestamped, Base):
    """A trainer's coach persona in one course, e.g. "Jane's AI Coach"."""

    __tablename__ = "personas"
    __table_args__ = (
        UniqueConstraint("trainer_id", "course_id", name="uq_personas_trainer"),
        ForeignKeyConstraint(
            ["team_id", "trainer_id"],
            ["trainers.team_id", "trainers.slack_user_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[str] = mapped_column(String(32))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    share_level: Mapped[str] = mapped_column(String(20))  # name_only | name_expertise | full
    expertise: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    icon_url: Mapped[str | None] = mapped_column(String(500))
