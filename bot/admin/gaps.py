"""``/coach gaps [COURSE] [DAYS] [csv]``: the questions the coach could not answer, grouped.

Clustering embeds every question, so the command always runs in a task (``bot.admin.deferred``):
the ack only parses it and checks the caller may see the course. The scope is read in a
transaction of its own, and a refusal's audit event is committed before the refusal is raised;
the embedding then happens with no transaction open (``bot.gaps.report``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.admin.parse import CommandArgs, parse_days, parse_slug
from bot.admin.uploads import enqueue_upload
from bot.blocks.gaps import build_gaps_lines
from bot.blocks.replies import Listing, Notice, Reply
from bot.deps import Deps
from bot.errors import PermissionDenied, UsageError
from bot.gaps.report import compute_gaps
from bot.people.enrolment import course_by_slug
from bot.people.permissions import Role, require_course_visible, require_role, visible_course_ids
from store.repositories.audit import AuditRepository

USAGE = "/coach gaps [course-slug] [days] [csv]"
ACTION = "see content gaps"
DEFAULT_DAYS = 30
GAPS_CSV = "gaps_csv"
_DAYS = re.compile(r"^\d+(?:d|days?)?$")


@dataclass(frozen=True)
class GapsRequest:
    """``/coach gaps`` as parsed: an optional course, the period, and whether to send a CSV."""

    slug: str | None
    days: int
    csv: bool


def parse_gaps(args: CommandArgs) -> GapsRequest:
    """The course, period and CSV flag in any order; anything else gets the usage."""
    args.only({"course"}, USAGE)
    slug = parse_slug(args.option("course") or "") if args.option("course") else None
    days: int | None = None
    csv = False
    for word in args.words:
        low = word.lower()
        if low == "csv":
            repeated, csv = csv, True
        elif _DAYS.match(low):
            repeated, days = days is not None, parse_days(low)
        else:
            repeated, slug = slug is not None, parse_slug(low)
        if repeated:
            raise UsageError(f"Usage: `{USAGE}`")
    return GapsRequest(slug, DEFAULT_DAYS if days is None else days, csv)


async def gaps_scope(
    deps: Deps, user_id: str, request: GapsRequest
) -> tuple[list[int] | None, str]:
    """The course ids (None: all) the caller asked for and may see, with a label for them."""
    async with deps.sessions.begin() as session:
        try:
            await require_role(session, deps.settings, user_id, Role.TRAINER, ACTION)
            visible = await visible_course_ids(session, deps.settings, user_id)
            if request.slug is None:
                return visible, "all courses" if visible is None else "your courses"
            course = await course_by_slug(session, request.slug)
            require_course_visible(visible, course.id, f"*{course.slug}*")
            return [course.id], course.slug
        except PermissionDenied as exc:
            refusal = exc
            await AuditRepository(session).record(
                "refused", user_id, None, attempted=ACTION, course=request.slug
            )
    # Raised after the block, so that the refusal's audit event is committed.
    raise refusal


async def check_gaps(deps: Deps, user_id: str, args: CommandArgs) -> None:
    """The checks the ack runs before queueing the command."""
    await gaps_scope(deps, user_id, parse_gaps(args))


async def run_gaps(
    deps: Deps, user_id: str, args: CommandArgs, page: int = 1, *, key: str | None = None
) -> Reply:
    """The grouped report, one page of it; or, with ``csv``, the file queued for the DM."""
    request = parse_gaps(args)
    course_ids, label = await gaps_scope(deps, user_id, request)
    period = f"the last {request.days} days ({label})"
    if request.csv:
        async with deps.sessions.begin() as session:
            await enqueue_upload(
                session,
                kind=GAPS_CSV,
                user_id=user_id,
                days=request.days,
                course_ids=course_ids,
                label=label,
                key=key,
            )
        return Notice(
            f"Exporting the questions the coach could not answer in {period} as CSV; "
            "I'll send the file to you in a DM in a moment."
        )
    gaps = await compute_gaps(deps, course_ids, request.days)
    noun = "question" if len(gaps.questions) == 1 else "questions"
    return Listing(
        title=(
            f"Content gaps, last {request.days} days ({label}): "
            f"{len(gaps.questions)} {noun} the coach could not answer"
        ),
        lines=build_gaps_lines(gaps.clusters, gaps.chapters, gaps.reasons)
        if gaps.questions or gaps.reasons
        else (),
        command=args.text,
        page=page,
        empty=f"Nothing went unanswered in {period}. :tada:",
    )
