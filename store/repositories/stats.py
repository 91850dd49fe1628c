"""Reporting reads over queries, responses, escalations and feedback; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, and_, cast, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from store.models import (
    OPEN_STATUSES,
    Course,
    Escalation,
    Feedback,
    Query,
    Response,
)
from store.repositories.report_rows import (
    BreakdownRow,
    EscalationFilter,
    EscalationRow,
    PeriodCounts,
)

_MINUTES_TO_CLAIM = func.extract("epoch", Escalation.claimed_at - Escalation.created_at) / 60.0
_MINUTES_TO_RESOLVE = func.coalesce(
    Escalation.minutes_to_resolve,
    func.extract("epoch", Escalation.resolved_at - Escalation.created_at) / 60.0,
)


def _percentiles(column: Any) -> tuple[Any, Any]:
    return (
        func.percentile_cont(0.5).within_group(cast(column, Float)),
        func.percentile_cont(0.9).within_group(cast(column, Float)),
    )


def _course_clause(column: Any, course_ids: Sequence[int] | None) -> ColumnElement[bool]:
    return column.in_(list(course_ids)) if course_ids is not None else and_(True)


class StatsRepository:
    """Counts, percentiles and escalation rows for reports."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def escalations(self, where: EscalationFilter, limit: int = 1000) -> list[EscalationRow]:
        """Escalations matching ``where``, newest first."""
        statement = (
            select(Escalation, Course.slug, _MINUTES_TO_CLAIM, _MINUTES_TO_RESOLVE)
            .outerjoin(Course, Course.id == Escalation.course_id)
            .order_by(Escalation.created_at.desc(), Escalation.id.desc())
            .limit(limit)
        )
        if where.course_ids is not None:
            statement = statement.where(Escalation.course_id.in_(list(where.course_ids)))
        if where.statuses is not None:
            statement = statement.where(Escalation.status.in_(list(where.statuses)))
        if where.assignee_id is not None:
            statement = statement.where(Escalation.assignee_id == where.assignee_id)
        if where.learner_id is not None:
            statement = statement.where(Escalation.learner_id == where.learner_id)
        if where.since is not None:
            statement = statement.where(Escalation.created_at >= where.since)
        if where.unclaimed_only:
            statement = statement.where(Escalation.assignee_id.is_(None))
        rows = (await self._session.execute(statement)).tuples()
        return [_row(e, slug, claim, resolve) for e, slug, claim, resolve in rows]

    async def escalation_by_ticket(self, ticket: int) -> EscalationRow | None:
        """One escalation by its ticket number."""
        statement = (
            select(Escalation, Course.slug, _MINUTES_TO_CLAIM, _MINUTES_TO_RESOLVE)
            .outerjoin(Course, Course.id == Escalation.course_id)
            .where(Escalation.ticket == ticket)
        )
        found = (await self._session.execute(statement)).tuples().first()
        return _row(*found) if found else None

    async def counts(self, since: datetime, course_ids: Sequence[int] | None) -> PeriodCounts:
        """Questions, AI answers not escalated, escalations and feedback counts since ``since``."""
        escalated = exists().where(Escalation.response_id == Response.id)
        questions = select(func.count(Query.id)).where(
            Query.created_at >= since, _course_clause(Query.course_id, course_ids)
        )
        answered = (
            select(func.count(Response.id))
            .join(Query, Query.id == Response.query_id)
            .where(Response.created_at >= since, _course_clause(Query.course_id, course_ids))
            .where(~escalated)
        )
        escalations = select(func.count(Escalation.id)).where(
            Escalation.created_at >= since, _course_clause(Escalation.course_id, course_ids)
        )
        feedback = (
            select(Feedback.helpful, func.count())
            .join(Response, Response.id == Feedback.response_id)
            .join(Query, Query.id == Response.query_id)
            .where(Feedback.created_at >= since, _course_clause(Query.course_id, course_ids))
            .group_by(Feedback.helpful)
        )
        votes = dict((await self._session.execute(feedback)).tuples().all())
        return PeriodCounts(
            questions=int(await self._session.scalar(questions) or 0),
            answered=int(await self._session.scalar(answered) or 0),
            escalations=int(await self._session.scalar(escalations) or 0),
            helpful=int(votes.get(True, 0)),
            not_helpful=int(votes.get(False, 0)),
        )

    async def top_triggers(
        self, since: datetime, course_ids: Sequence[int] | None, limit: int = 5
    ) -> list[tuple[str, int]]:
        """The most frequent trigger kinds of escalations since ``since``."""
        trigger = func.jsonb_array_elements(Escalation.triggers).table_valued("value").alias("t")
        kind = trigger.c.value.op("->>")("kind")
        statement = (
            select(kind, func.count(func.distinct(Escalation.id)))
            .select_from(Escalation)
            .join(trigger, and_(True))
            .where(Escalation.created_at >= since)
            .where(_course_clause(Escalation.course_id, course_ids))
            .group_by(kind)
            .order_by(func.count(func.distinct(Escalation.id)).desc(), kind)
            .limit(limit)
        )
        return [(str(k), int(n)) for k, n in (await self._session.execute(statement)).tuples()]

    async def timing(
        self, since: datetime, course_ids: Sequence[int] | None
    ) -> tuple[tuple[float | None, float | None], tuple[float | None, float | None]]:
        """(median, p90) minutes to claim and to resolve for escalations since ``since``."""
        base = (Escalation.created_at >= since, _course_clause(Escalation.course_id, course_ids))
        claim = select(*_percentiles(_MINUTES_TO_CLAIM)).where(
            *base, Escalation.claimed_at.is_not(None)
        )
        resolve = select(*_percentiles(_MINUTES_TO_RESOLVE)).where(
            *base, Escalation.status == "resolved", Escalation.resolved_at.is_not(None)
        )
        c = (await self._session.execute(claim)).one()
        r = (await self._session.execute(resolve)).one()
        return (_opt(c[0]), _opt(c[1])), (_opt(r[0]), _opt(r[1]))

    async def per_day(self, since: datetime, course_ids: Sequence[int] | None) -> dict[date, int]:
        """Escalations created per UTC day since ``since``."""
        day = func.date(func.timezone("UTC", Escalation.created_at))
        statement = (
            select(day, func.count())
            .where(Escalation.created_at >= since)
            .where(_course_clause(Escalation.course_id, course_ids))
            .group_by(day)
        )
        return {d: int(n) for d, n in (await self._session.execute(statement)).tuples()}

    async def per_course(
        self, since: datetime, course_ids: Sequence[int] | None
    ) -> list[BreakdownRow]:
        """Each course's questions, escalations, resolutions and median times, by slug."""
        questions = (
            select(func.count(Query.id))
            .where(Query.course_id == Course.id, Query.created_at >= since)
            .scalar_subquery()
        )
        esc = Escalation.course_id == Course.id
        return await self._breakdown(
            select(Course.slug, questions), Course.id, esc, since, course_ids
        )

    async def per_trainer(
        self, since: datetime, course_ids: Sequence[int] | None
    ) -> list[BreakdownRow]:
        """Each assignee's escalations, resolutions and median times (no questions)."""
        statement = (
            select(
                Escalation.assignee_id,
                func.count(Escalation.id),
                func.count(Escalation.id).filter(Escalation.status == "resolved"),
                func.percentile_cont(0.5).within_group(cast(_MINUTES_TO_CLAIM, Float)),
                func.percentile_cont(0.5)
                .within_group(cast(_MINUTES_TO_RESOLVE, Float))
                .filter(Escalation.status == "resolved"),
            )
            .where(Escalation.created_at >= since, Escalation.assignee_id.is_not(None))
            .where(_course_clause(Escalation.course_id, course_ids))
            .group_by(Escalation.assignee_id)
            .order_by(Escalation.assignee_id)
        )
        rows = (await self._session.execute(statement)).tuples()
        return [
            BreakdownRow(uid, 0, int(n), int(done), _opt(c), _opt(r)) for uid, n, done, c, r in rows
        ]

    async def _breakdown(
        self,
        head: Any,
        course_id: Any,
        esc: ColumnElement[bool],
        since: datetime,
        course_ids: Sequence[int] | None,
    ) -> list[BreakdownRow]:
        in_period = and_(esc, Escalation.created_at >= since)
        statement = (
            head.add_columns(
                func.count(Escalation.id),
                func.count(Escalation.id).filter(Escalation.status == "resolved"),
                func.percentile_cont(0.5).within_group(cast(_MINUTES_TO_CLAIM, Float)),
                func.percentile_cont(0.5)
                .within_group(cast(_MINUTES_TO_RESOLVE, Float))
                .filter(Escalation.status == "resolved"),
            )
            .outerjoin(Escalation, in_period)
            .where(_course_clause(course_id, course_ids))
            .group_by(course_id)
            .order_by(head.selected_columns[0])
        )
        rows = (await self._session.execute(statement)).tuples()
        return [
            BreakdownRow(s, int(q), int(n), int(d), _opt(c), _opt(r)) for s, q, n, d, c, r in rows
        ]

    async def open_counts_by_course(self, course_ids: Sequence[int] | None) -> int:
        """How many escalations are open now."""
        statement = select(func.count(Escalation.id)).where(
            Escalation.status.in_(OPEN_STATUSES), _course_clause(Escalation.course_id, course_ids)
        )
        return int(await self._session.scalar(statement) or 0)


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


def _row(e: Escalation, slug: str | None, claim: Any, resolve: Any) -> EscalationRow:
    kinds = tuple(dict.fromkeys(str(t.get("kind", "")) for t in e.triggers or []))
    return EscalationRow(
        id=e.id,
        ticket=e.ticket,
        status=e.status,
        course_slug=slug,
        learner_id=e.learner_id,
        assignee_id=e.assignee_id,
        suggested_trainer_id=e.suggested_trainer_id,
        triggers=kinds,
        question=e.question,
        created_at=e.created_at,
        claimed_at=e.claimed_at,
        resolved_at=e.resolved_at,
        minutes_to_claim=_opt(claim),
        minutes_to_resolve=_opt(resolve) if e.resolved_at is not None else None,
        rating=e.resolution_rating,
        card_channel=e.card_channel,
        card_ts=e.card_ts,
    )
