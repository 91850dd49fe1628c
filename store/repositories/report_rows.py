"""The named rows reporting reads return: period counts, breakdowns, escalations as listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PeriodCounts:
    """Volumes of a period: questions, answers that did not escalate, escalations, votes."""

    questions: int
    answered: int
    escalations: int
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class BreakdownRow:
    """Escalation figures of one course (or one trainer) over a period."""

    name: str  # the course slug, or the trainer's Slack user id
    questions: int  # 0 for trainers: questions are not assigned to anyone
    escalations: int
    resolved: int
    median_claim_minutes: float | None
    median_resolve_minutes: float | None


@dataclass(frozen=True)
class EscalationRow:
    """An escalation as lists, the Home tab and the CSV export show it."""

    id: int
    ticket: int
    status: str
    course_slug: str | None
    learner_id: str
    assignee_id: str | None
    suggested_trainer_id: str | None
    triggers: tuple[str, ...]
    question: str
    created_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None
    minutes_to_claim: float | None
    minutes_to_resolve: float | None
    rating: bool | None
    card_channel: str | None
    card_ts: str | None


@dataclass(frozen=True)
class EscalationFilter:
    """Which escalations to read; ``course_ids`` None means every course."""

    course_ids: Sequence[int] | None = None
    statuses: Sequence[str] | None = None
    assignee_id: str | None = None
    learner_id: str | None = None
    since: datetime | None = None
    unclaimed_only: bool = False
