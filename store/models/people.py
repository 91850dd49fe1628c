"""Trainers, their course allocation, enrolments and coach personas."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamped


class Trainer(Timestamped, Base):
    """A Slack user an admin made a trainer."""

    __tablename__ = "trainers"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(default=True)
    backup_trainer_id: Mapped[str | None] = mapped_column(String(32))
    added_by: Mapped[str | None] = mapped_column(String(32))


class TrainerCourse(Timestamped, Base):
    """Allocation of a trainer to a course."""

    __tablename__ = "trainer_courses"

    trainer_id: Mapped[str] = mapped_column(
        ForeignKey("trainers.slack_user_id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )


class Enrolment(Timestamped, Base):
    """A learner's enrolment in a course, with the trainer assigned from the allocation."""

    __tablename__ = "enrolments"

    learner_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    trainer_id: Mapped[str | None] = mapped_column(
        ForeignKey("trainers.slack_user_id", ondelete="SET NULL")
    )
    enrolled_by: Mapped[str | None] = mapped_column(String(32))


class Persona(Timestamped, Base):
    """A trainer's coach persona in one course, e.g. "Jane's AI Coach"."""

    __tablename__ = "personas"
    __table_args__ = (UniqueConstraint("trainer_id", "course_id", name="uq_personas_trainer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[str] = mapped_column(
        ForeignKey("trainers.slack_user_id", ondelete="CASCADE")
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    share_level: Mapped[str] = mapped_column(String(20))  # name_only | name_expertise | full
    expertise: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    icon_url: Mapped[str | None] = mapped_column(String(500))
