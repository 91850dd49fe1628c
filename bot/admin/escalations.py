"""Escalation commands: list open ones with filters and show one by ticket."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.parse import CommandArgs, mention_id, parse_slug
from bot.blocks.labels import ticket_label
from bot.blocks.replies import Listing, Notice
from bot.errors import NotFound, UsageError
from bot.people.enrolment import course_by_slug
from bot.people.permissions import require_course_visible
from store.models import OPEN_STATUSES
from store.repositories.report_rows import EscalationFilter, EscalationRow
from store.repositories.stats import StatsRepository

LIST_USAGE = "/coach escalations [course=slug] [status=pending|in_progress|reopened] [trainer=@who]"
STATUS_ICONS = {
    "pending": ":hourglass_flowing_sand:",
    "in_progress": ":speech_balloon:",
    "reopened": ":leftwards_arrow_with_hook:",
    "resolved": ":white_check_mark:",
    "dismissed": ":no_entry_sign:",
}


def escalation_line(row: EscalationRow) -> str:
    """One escalation in a list."""
    owner = f"<@{row.assignee_id}>" if row.assignee_id else "unclaimed"
    question = row.question.replace("\n", " ")
    if len(question) > 90:
        question = question[:87] + "..."
    icon = STATUS_ICONS.get(row.status, "")
    return (
        f"{icon} *{ticket_label(row.ticket)}* · {row.status} · {row.course_slug or 'no course'} "
        f"· <@{row.learner_id}> · {owner}\n> {question}"
    )


async def list_open(
    session: AsyncSession, args: CommandArgs, visible: list[int] | None, page: int
) -> Listing:
    """Open escalations filtered by course, status and trainer, within what the caller sees."""
    args.only({"course", "status", "trainer"}, LIST_USAGE)
    course_ids = visible
    if (slug := args.option("course")) is not None:
        course = await course_by_slug(session, parse_slug(slug))
        require_course_visible(visible, course.id, f"*{course.slug}*")
        course_ids = [course.id]
    statuses: tuple[str, ...] = OPEN_STATUSES
    if (status := args.option("status")) is not None:
        if status not in OPEN_STATUSES:
            raise UsageError(f"`{status}` is not an open status. Usage: `{LIST_USAGE}`")
        statuses = (status,)
    trainer = None
    if (who := args.option("trainer")) is not None:
        trainer = mention_id(who)
        if trainer is None:
            raise UsageError(f"Mention the trainer, e.g. `trainer=@jane`. Usage: `{LIST_USAGE}`")
    rows = await StatsRepository(session).escalations(
        EscalationFilter(course_ids=course_ids, statuses=statuses, assignee_id=trainer)
    )
    return Listing(
        f"Open escalations ({len(rows)})",
        tuple(escalation_line(r) for r in rows),
        args.text,
        page,
        empty="No open escalations match. :tada:",
    )


async def find_visible(
    session: AsyncSession, ticket: int, visible: list[int] | None
) -> EscalationRow:
    """The escalation with ``ticket`` if the caller may see it."""
    row = await StatsRepository(session).escalation_by_ticket(ticket)
    if row is None:
        raise NotFound(f"There is no escalation {ticket_label(ticket)}.")
    if visible is not None:
        course_ids = await _course_id_of(session, row)
        require_course_visible(visible, course_ids, ticket_label(ticket))
    return row


async def show(session: AsyncSession, ticket: int, visible: list[int] | None) -> Notice:
    """One escalation's details."""
    row = await find_visible(session, ticket, visible)
    lines = [
        f"*{ticket_label(row.ticket)}* · {row.status} · {row.course_slug or 'no course'}",
        f"Learner: <@{row.learner_id}> · Trainer: "
        + (f"<@{row.assignee_id}>" if row.assignee_id else "unclaimed")
        + (f" (suggested <@{row.suggested_trainer_id}>)" if row.suggested_trainer_id else ""),
        f"Triggers: {', '.join(row.triggers) or 'none'}",
        f"Opened: {row.created_at:%Y-%m-%d %H:%M} UTC"
        + (f" · claimed after {row.minutes_to_claim:.0f} min" if row.minutes_to_claim else "")
        + (f" · resolved after {row.minutes_to_resolve:.0f} min" if row.minutes_to_resolve else ""),
        f"> {row.question[:1500]}",
    ]
    return Notice("\n".join(lines))


async def _course_id_of(session: AsyncSession, row: EscalationRow) -> int | None:
    if row.course_slug is None:
        return None
    return (await course_by_slug(session, row.course_slug)).id
