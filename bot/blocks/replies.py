"""What a `/coach` command replies with: view models that ``bot.blocks.admin`` renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Notice:
    """A short confirmation or explanation."""

    text: str


@dataclass(frozen=True)
class Working(Notice):
    """The command goes on in a task, which answers through the response_url when it is done."""


@dataclass(frozen=True)
class Listing:
    """A titled list of mrkdwn lines; the builder shows one page and Prev/Next buttons."""

    title: str
    lines: tuple[str, ...]
    command: str
    page: int = 1
    empty: str = "Nothing to show."


@dataclass(frozen=True)
class OpenEnrolModal:
    """Ask the handler to open the bulk-enrol modal for a course."""

    course_slug: str


@dataclass(frozen=True)
class Breakdown:
    """Stats of one course or one trainer."""

    name: str
    questions: int = 0
    escalations: int = 0
    resolved: int = 0
    median_claim_minutes: float | None = None
    median_resolve_minutes: float | None = None


@dataclass(frozen=True)
class StatsReport:
    """Everything ``/coach stats`` shows for a period."""

    days: int
    course_slug: str | None
    questions: int
    answered_by_ai: int
    escalations: int
    top_triggers: tuple[tuple[str, int], ...]
    claim_minutes: tuple[float | None, float | None]
    resolve_minutes: tuple[float | None, float | None]
    helpful: int
    not_helpful: int
    per_day: tuple[tuple[date, int], ...] = ()
    per_course: tuple[Breakdown, ...] = ()
    per_trainer: tuple[Breakdown, ...] = ()
    chart_queued: bool = field(default=False)
    # Reply drafts by outcome: sent_unchanged, edited, discarded.
    draft_outcomes: tuple[tuple[str, int], ...] = ()

    @property
    def ai_answer_rate(self) -> float | None:
        """Share of questions the AI answered without escalating."""
        return self.answered_by_ai / self.questions if self.questions else None

    @property
    def escalation_rate(self) -> float | None:
        """Escalations per question."""
        return self.escalations / self.questions if self.questions else None

    @property
    def helpful_ratio(self) -> float | None:
        """Share of feedback that was helpful."""
        total = self.helpful + self.not_helpful
        return self.helpful / total if total else None


Reply = Notice | Listing | OpenEnrolModal | StatsReport
