"""``/coach faq COURSE`` lists a course's FAQ entries; ``/coach faq remove ID`` removes one.

Listing is for the course's trainers and admins, in the command's transaction. Removing goes
through ``bot.faq.entries.CourseFaq``, which opens its own transactions so that a refusal is
audited even though the command fails.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.parse import CommandArgs, parse_slug
from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import clip, escape_mrkdwn
from bot.blocks.replies import Listing, Notice
from bot.deps import Deps
from bot.errors import UsageError
from bot.faq.entries import CourseFaq
from bot.people.enrolment import course_by_slug
from bot.people.permissions import require_course_visible
from store.repositories.faq import FaqRepository

LIST_USAGE = "/coach faq course-slug"
REMOVE_USAGE = "/coach faq remove ID"
_ENTRY_ID = re.compile(r"^(?:#|faq-?)?(\d{1,12})$", re.IGNORECASE)
QUESTION_CHARS = 150


def parse_entry_id(word: str) -> int:
    """An FAQ entry id from ``12``, ``#12`` or ``faq-12``."""
    found = _ENTRY_ID.match(word.strip())
    if not found:
        raise UsageError(f"`{word}` is not an FAQ entry id; `/coach faq course-slug` lists them.")
    return int(found.group(1))


async def remove(deps: Deps, args: CommandArgs, user_id: str) -> Notice:
    """``/coach faq remove ID``: roles are checked (and refusals audited) by CourseFaq."""
    entry_id = parse_entry_id(args.word(1, REMOVE_USAGE))
    return Notice(await CourseFaq(deps).remove(entry_id, user_id))


async def listing(
    session: AsyncSession, args: CommandArgs, visible: list[int] | None, page: int
) -> Listing:
    """The course's live entries, oldest first: id, question, who answered, when, from where."""
    course = await course_by_slug(session, parse_slug(args.word(0, LIST_USAGE)))
    require_course_visible(visible, course.id, f"*{course.slug}*")
    lines = []
    for entry, ticket in await FaqRepository(session).live_with_tickets(course.id):
        question = escape_mrkdwn(clip(" ".join(entry.question.split()), QUESTION_CHARS))
        name = escape_mrkdwn(entry.answered_by_name or entry.answered_by)
        saved = entry.created_at
        day = f"<!date^{int(saved.timestamp())}^{{date_short}}|{saved:%Y-%m-%d}>"
        line = f"*#{entry.id}* · “{question}” · answered by {name} · {day}"
        if ticket is not None:
            line += f" · from {ticket_label(ticket)}"
        if entry.published_at is None:
            line += " · _being indexed_"
        lines.append(line)
    return Listing(
        f"Course FAQ of {course.slug}",
        tuple(lines),
        args.text,
        page,
        empty=(
            f"*{course.slug}* has no FAQ entries yet: resolve a ticket with “Save as course "
            "FAQ” to add one."
        ),
    )
