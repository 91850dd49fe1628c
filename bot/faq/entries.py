"""CourseFaq: save an entry from a ticket, remove one; both audited.

Saving stores the entry and enqueues ``faq.publish`` in one short transaction: the entry is
embedded and becomes a chunk of its course a moment later, never inside the Slack request or a
transaction. Removing marks the entry removed and deletes its chunk in one transaction, so the
next question no longer finds it. Trainers act on their own courses' entries, admins on all; a
refusal is audited in its own transaction before it is raised.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.faq_form import FaqSubmission
from bot.blocks.mrkdwn import clip, escape_mrkdwn
from bot.deps import Deps
from bot.errors import NotFound, PermissionDenied, UsageError
from bot.faq.publish import FAQ_PUBLISH
from bot.people.permissions import Role, role_of
from bot.settings import Settings
from bot.tasks.queue import enqueue
from store.models import FaqEntry
from store.repositories.audit import AuditRepository
from store.repositories.content import CourseRepository
from store.repositories.copilot import CorrectionRepository
from store.repositories.courses import CourseAdminRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.faq import FaqRepository
from store.repositories.people import PeopleRepository


async def faq_refusal(
    session: AsyncSession, settings: Settings, user_id: str, course_id: int, action: str
) -> str | None:
    """Why the user may not ``action`` the FAQ of ``course_id``; None when they may."""
    role = await role_of(session, settings, user_id)
    if role is Role.ADMIN:
        return None
    if role is Role.TRAINER and await CourseAdminRepository(session).is_allocated(
        user_id, course_id
    ):
        return None
    return f"Sorry, only the course's trainers or an admin can {action}."


class CourseFaq:
    """Entries of course FAQs, each change in one short transaction."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def save(self, escalation_id: int, user_id: str, faq: FaqSubmission) -> int:
        """Store an entry of the ticket's course answered by ``user_id``; returns its id.

        The caller has checked that the user may resolve the ticket (``Tickets.require``). The
        same question saved again from the same ticket while its entry is live is that entry.
        """
        async with self._deps.sessions.begin() as session:
            # Locked, so that a form submitted twice at once (a double click, two tabs) saves
            # one entry: the second finds the first's.
            escalation = await EscalationRepository(session).get(escalation_id, lock=True)
            if escalation is None:
                raise NotFound("That escalation no longer exists.")
            if escalation.course_id is None:
                raise UsageError("This ticket has no course, so it cannot become a course FAQ.")
            earlier = await FaqRepository(session).live_for_escalation(escalation.id)
            if earlier is not None and earlier.question == faq.question:
                return earlier.id
            trainer = await PeopleRepository(session).trainer(user_id)
            entry = await FaqRepository(session).add(
                FaqEntry(
                    course_id=escalation.course_id,
                    escalation_id=escalation.id,
                    question=faq.question,
                    answer=faq.answer,
                    answered_by=user_id,
                    # Empty: the publish task asks Slack for the name before writing the chunk.
                    answered_by_name=(trainer.display_name if trainer else None) or "",
                    # A corrected AI answer's passages no longer come first for this question.
                    demoted_chunk_ids=await CorrectionRepository(session).corrected_chunk_ids(
                        escalation.id
                    ),
                )
            )
            await AuditRepository(session).record(
                "faq_saved",
                user_id,
                escalation.id,
                faq_id=entry.id,
                course_id=escalation.course_id,
                question=faq.question,
            )
            await enqueue(
                session,
                FAQ_PUBLISH,
                {"entry_id": entry.id},
                ordering_key=f"faq:{entry.id}",
                dedupe_key=f"faq-publish:{entry.id}",
            )
            return entry.id

    async def remove(self, entry_id: int, user_id: str) -> str:
        """Remove a live entry and its chunk; returns the confirmation to show."""
        action = "remove its FAQ entries"
        async with self._deps.sessions.begin() as session:
            repo = FaqRepository(session)
            entry = await repo.get(entry_id, lock=True)
            if entry is None or entry.removed_at is not None:
                raise NotFound(
                    f"There is no course FAQ entry #{entry_id}. `/coach faq COURSE` lists them."
                )
            refusal = await faq_refusal(
                session, self._deps.settings, user_id, entry.course_id, action
            )
            audit = AuditRepository(session)
            if refusal is not None:
                await audit.record(
                    "refused",
                    user_id,
                    entry.escalation_id,
                    attempted="remove FAQ entry",
                    faq_id=entry.id,
                )
            else:
                await repo.mark_removed(entry.id, user_id, self._deps.clock.now())
                await repo.delete_chunk(entry.course_id, entry.id)
                await audit.record(
                    "faq_removed",
                    user_id,
                    entry.escalation_id,
                    faq_id=entry.id,
                    course_id=entry.course_id,
                    question=entry.question,
                )
            course = await CourseRepository(session).by_id(entry.course_id)
            slug = course.slug if course else "its course"
            question = escape_mrkdwn(clip(" ".join(entry.question.split()), 150))
        # Raised after the block so that the refusal's audit event is committed.
        if refusal is not None:
            raise PermissionDenied(refusal.replace("the course's", f"*{slug}*'s"))
        return (
            f"Removed FAQ #{entry_id} from *{slug}*: “{question}”. The coach no longer "
            "answers from it."
        )
