"""Block Kit for ``/coach stats`` and the admin Home tab's stats at a glance."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.mrkdwn import FIELD_LIMIT, HEADER_LIMIT, SECTION_LIMIT, clip
from bot.blocks.replies import Breakdown, StatsReport

MAX_BREAKDOWN_ROWS = 10


def pct(value: float | None) -> str:
    """A ratio as a percentage, or an em dash when there is no data."""
    return "—" if value is None else f"{value * 100:.0f}%"


def minutes(value: float | None) -> str:
    """Minutes as ``12 min`` / ``3.5 h``, or an em dash when there is no data."""
    if value is None:
        return "—"
    return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"


def build_stats_summary(report: StatsReport) -> SectionBlock:
    """The headline figures as one two-column section."""
    triggers = ", ".join(f"{kind} ({n})" for kind, n in report.top_triggers) or "—"
    fields = [
        f"*Questions*\n{report.questions}",
        f"*AI answer rate*\n{pct(report.ai_answer_rate)}",
        f"*Escalations*\n{report.escalations} ({pct(report.escalation_rate)})",
        f"*Top triggers*\n{triggers}",
        f"*Time to claim*\nmedian {minutes(report.claim_minutes[0])}"
        f" · p90 {minutes(report.claim_minutes[1])}",
        f"*Time to resolve*\nmedian {minutes(report.resolve_minutes[0])}"
        f" · p90 {minutes(report.resolve_minutes[1])}",
        f"*Helpful*\n{report.helpful} :thumbsup: / {report.not_helpful} :thumbsdown:"
        f" ({pct(report.helpful_ratio)})",
    ]
    return SectionBlock(fields=[MarkdownTextObject(text=clip(f, FIELD_LIMIT)) for f in fields])


def draft_acceptance_text(outcomes: tuple[tuple[str, int], ...]) -> str | None:
    """ "Draft replies: 4 (1 sent unchanged, 2 edited, 1 discarded): 75% sent, 25% as drafted",
    or None when no draft was decided in the period."""
    counts = dict(outcomes)
    unchanged, edited = counts.get("sent_unchanged", 0), counts.get("edited", 0)
    discarded = counts.get("discarded", 0)
    total = unchanged + edited + discarded
    if not total:
        return None
    return (
        f"*Draft replies:* {total} ({unchanged} sent unchanged, {edited} edited, "
        f"{discarded} discarded): {pct((unchanged + edited) / total)} sent, "
        f"{pct(unchanged / total)} as drafted"
    )


def _breakdown_text(title: str, rows: tuple[Breakdown, ...], questions: bool) -> str:
    lines = [f"*{title}*"]
    for row in rows[:MAX_BREAKDOWN_ROWS]:
        asked = f"{row.questions} questions · " if questions else ""
        lines.append(
            f"• {row.name}: {asked}{row.escalations} escalations · {row.resolved} resolved · "
            f"claim {minutes(row.median_claim_minutes)} · "
            f"resolve {minutes(row.median_resolve_minutes)}"
        )
    if len(rows) > MAX_BREAKDOWN_ROWS:
        lines.append(f"… and {len(rows) - MAX_BREAKDOWN_ROWS} more (see `/coach export`)")
    return clip("\n".join(lines), SECTION_LIMIT)


def build_stats_blocks(report: StatsReport) -> list[Block]:
    """The full ``/coach stats`` reply."""
    scope = f" · {report.course_slug}" if report.course_slug else ""
    blocks: list[Block] = [
        HeaderBlock(text=clip(f"Stats, last {report.days} days{scope}", HEADER_LIMIT)),
        build_stats_summary(report),
    ]
    if report.per_course:
        blocks += [
            DividerBlock(),
            SectionBlock(text=_breakdown_text("Per course", report.per_course, True)),
        ]
    if report.per_trainer:
        blocks.append(SectionBlock(text=_breakdown_text("Per trainer", report.per_trainer, False)))
    drafts = draft_acceptance_text(report.draft_outcomes)
    if drafts:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=drafts)))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=":bar_chart: A chart of escalations per day is on its way to your DM."
                )
            ]
        )
    )
    return blocks


def stats_fallback_text(report: StatsReport) -> str:
    """Notification text for the stats reply."""
    return (
        f"Last {report.days} days: {report.questions} questions, "
        f"{report.escalations} escalations, AI answer rate {pct(report.ai_answer_rate)}."
    )
