"""What the coach could not answer, the not-helpful reasons, and the Home tab's cached gaps.

Repositories never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Course, Escalation, Feedback, GapSummary, Query, Response

# Declined answers carry this intent (bot.coach.types.Intent.OUT_OF_SCOPE).
DECLINED_INTENT = "out_of_scope"


@dataclass(frozen=True)
class UnansweredRow:
    """One question the coach handed on or declined, with where its answer looked."""

    source: str  # "escalated" | "declined"
    question: str
    course_id: int | None
    course_slug: str | None
    references: list[dict[str, Any]]
    created_at: datetime


def _in_courses(column: Any, course_ids: list[int] | None) -> ColumnElement[bool]:
    return literal(True) if course_ids is None else column.in_(course_ids)


class GapsRepository:
    """Reads for the content-gaps report and the per-course summary it leaves for the Home tab."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def unanswered(
        self, since: datetime, course_ids: list[int] | None, *, limit: int
    ) -> list[UnansweredRow]:
        """Escalations and declined answers since ``since``, oldest first (the newest ``limit``)."""
        escalated = select(
            literal("escalated").label("source"),
            Escalation.question.label("question"),
            Escalation.course_id.label("course_id"),
            Escalation.references.label("refs"),
            Escalation.created_at.label("created_at"),
        ).where(Escalation.created_at >= since, _in_courses(Escalation.course_id, course_ids))
        # A declined answer the learner then escalated is already counted as its escalation.
        handed_on = exists().where(Escalation.response_id == Response.id)
        declined = (
            select(
                literal("declined").label("source"),
                Query.text.label("question"),
                Query.course_id.label("course_id"),
                Response.references.label("refs"),
                Response.created_at.label("created_at"),
            )
            .join(Query, Query.id == Response.query_id)
            .where(
                Response.created_at >= since,
                Response.intent == DECLINED_INTENT,
                ~handed_on,
                _in_courses(Query.course_id, course_ids),
            )
        )
        both = escalated.union_all(declined).subquery()
        newest = (
            select(both, Course.slug)
            .outerjoin(Course, Course.id == both.c.course_id)
            .order_by(both.c.created_at.desc())
            .limit(limit)
        )
        rows = (await self._session.execute(newest)).all()
        return [
            UnansweredRow(
                source=r.source,
                question=r.question,
                course_id=r.course_id,
                course_slug=r.slug,
                references=list(r.refs or []),
                created_at=r.created_at,
            )
            for r in reversed(rows)
        ]

    async def not_helpful_reasons(
        self, since: datetime, course_ids: list[int] | None
    ) -> list[tuple[str | None, int]]:
        """Not-helpful verdicts since ``since`` counted by reason, most common first."""
        count = func.count(Feedback.id)
        statement = (
            select(Feedback.reason, count)
            .join(Response, Response.id == Feedback.response_id)
            .join(Query, Query.id == Response.query_id)
            .where(
                and_(
                    Feedback.helpful.is_(False),
                    Feedback.updated_at >= since,
                    _in_courses(Query.course_id, course_ids),
                )
            )
            .group_by(Feedback.reason)
            .order_by(count.desc(), Feedback.reason)
        )
        return [(reason, int(n)) for reason, n in (await self._session.execute(statement)).all()]

    async def unanswered_courses(self, since: datetime) -> list[int]:
        """Ids of courses with anything unanswered since ``since``."""
        escalated = select(Escalation.course_id).where(
            Escalation.created_at >= since, Escalation.course_id.is_not(None)
        )
        declined = (
            select(Query.course_id)
            .join(Response, Response.query_id == Query.id)
            .where(
                Response.created_at >= since,
                Response.intent == DECLINED_INTENT,
                Query.course_id.is_not(None),
            )
        )
        both = escalated.union(declined).subquery()
        return sorted(int(c) for c in (await self._session.scalars(select(both))).all())

    async def save_summary(
        self,
        course_id: int,
        *,
        days: int,
        questions: int,
        clusters: list[dict[str, Any]],
        computed_at: datetime,
    ) -> None:
        """Store (or replace) a course's summary."""
        values = {
            "course_id": course_id,
            "days": days,
            "questions": questions,
            "clusters": clusters,
            "computed_at": computed_at,
        }
        statement = insert(GapSummary).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[GapSummary.course_id],
            set_={k: statement.excluded[k] for k in values if k != "course_id"},
        )
        await self._session.execute(statement)

    async def drop_summaries_except(self, course_ids: list[int]) -> None:
        """Forget the summaries of courses that no longer have anything unanswered."""
        rows = await self._session.scalars(select(GapSummary))
        for row in rows.all():
            if row.course_id not in course_ids:
                await self._session.delete(row)

    async def summaries(self, course_ids: list[int] | None) -> list[tuple[str, GapSummary]]:
        """Stored summaries of the courses (None: all), with each course's slug, by slug."""
        statement = (
            select(Course.slug, GapSummary)
            .join(Course, Course.id == GapSummary.course_id)
            .where(_in_courses(GapSummary.course_id, course_ids))
            .order_by(Course.slug)
        )
        return [(slug, row) for slug, row in (await self._session.execute(statement)).all()]
