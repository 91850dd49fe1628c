"""Content gaps kept per course for the Home tab, so opening it never clusters anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base
from store.tenancy import WorkspaceOwned


class GapSummary(WorkspaceOwned, Base):
    """The top clusters of a course's unanswered questions, as last computed by the timer."""

    __tablename__ = "gap_summaries"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    days: Mapped[int]
    questions: Mapped[int]
    # [{"count": 4, "examples": ["..."], "chapter": "Lists" | None}, ...], largest first.
    clusters: Mapped[list[dict[str, Any]]]
    computed_at: Mapped[datetime]
