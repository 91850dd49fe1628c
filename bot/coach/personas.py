"""Coach personas: a trainer's named AI coach in one course, and how much of them it shares."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.replies import Listing, Notice
from bot.errors import NotFound, UsageError
from bot.people.enrolment import course_by_slug
from store.models import Persona, Trainer
from store.repositories.audit import AuditRepository
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository

MAX_NAME = 80


class ShareLevel(StrEnum):
    """How much of the trainer an answer's footer reveals."""

    NAME_ONLY = "name_only"
    NAME_EXPERTISE = "name_expertise"
    FULL = "full"


def _escape(text: str) -> str:
    """Escape the three characters Slack mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class PersonaView:
    """What an answer needs to post under a persona."""

    id: int
    trainer_id: str
    course_id: int
    name: str
    share_level: ShareLevel
    expertise: str | None
    bio: str | None
    icon_url: str | None
    trainer_name: str | None = None

    @property
    def footer(self) -> str:
        """The answer's mrkdwn footer line, revealing only what the share level allows.

        Name only: "Jane's AI Coach"; name and expertise: "Jane's AI Coach · Jane Doe, Python";
        full: the same followed by " · " and the bio.
        """
        parts = [_escape(self.name)]
        if self.share_level is ShareLevel.NAME_ONLY:
            return parts[0]
        # Without a cached display name, a mention still shows the trainer's name in Slack.
        who = _escape(self.trainer_name) if self.trainer_name else f"<@{self.trainer_id}>"
        parts.append(f"{who}, {_escape(self.expertise)}" if self.expertise else who)
        if self.share_level is ShareLevel.FULL and self.bio:
            parts.append(_escape(self.bio))
        return " · ".join(parts)


def _view(p: Persona, trainer: Trainer | None) -> PersonaView:
    return PersonaView(
        p.id,
        p.trainer_id,
        p.course_id,
        p.name,
        ShareLevel(p.share_level),
        p.expertise,
        p.bio,
        p.icon_url,
        trainer.display_name if trainer else None,
    )


async def persona_for(session: AsyncSession, course_id: int, learner_id: str) -> PersonaView | None:
    """The learner's assigned trainer's persona in the course, else the course's only persona."""
    repo, people = CourseAdminRepository(session), PeopleRepository(session)
    trainer_id = await people.enrolment_trainer(learner_id, course_id)
    persona = await repo.persona(trainer_id, course_id) if trainer_id is not None else None
    if persona is None:
        personas = await repo.personas(course_id)
        persona = personas[0][0] if len(personas) == 1 else None
    if persona is None:
        return None
    return _view(persona, await people.trainer(persona.trainer_id))


def parse_share(raw: str | None) -> ShareLevel:
    """A share level from ``share=...`` (default name only)."""
    if raw is None:
        return ShareLevel.NAME_ONLY
    try:
        return ShareLevel(raw.lower())
    except ValueError:
        raise UsageError(
            f"`share={raw}` is not a share level; use name_only, name_expertise or full."
        ) from None


async def set_persona(
    session: AsyncSession,
    *,
    trainer_id: str,
    slug: str,
    name: str,
    share: ShareLevel,
    expertise: str | None,
    bio: str | None,
    icon_url: str | None,
    by: str,
) -> Notice:
    """Create or replace a trainer's persona in a course."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise UsageError(f"A persona name needs 1 to {MAX_NAME} characters.")
    if icon_url is not None and not icon_url.startswith("https://"):
        raise UsageError("`icon=` must be an https:// image address.")
    trainer = await PeopleRepository(session).trainer(trainer_id)
    if trainer is None or not trainer.active:
        raise NotFound(f"<@{trainer_id}> is not a trainer, so they cannot have a persona.")
    course = await course_by_slug(session, slug)
    await CourseAdminRepository(session).upsert_persona(
        {
            "trainer_id": trainer_id,
            "course_id": course.id,
            "name": name,
            "share_level": share.value,
            "expertise": expertise,
            "bio": bio,
            "icon_url": icon_url,
        }
    )
    await PeopleRepository(session).allocate(trainer_id, course.id)
    await AuditRepository(session).record(
        "persona.set", by, trainer=trainer_id, course=course.slug, name=name, share=share.value
    )
    return Notice(
        f"AI answers in *{course.slug}* for <@{trainer_id}>'s learners now come from "
        f"*{name}* (shares {share.value.replace('_', ' ')}); "
        f"escalations go to <@{trainer_id}> first."
    )


async def remove_persona(session: AsyncSession, trainer_id: str, slug: str, by: str) -> Notice:
    """Remove a trainer's persona in a course."""
    course = await course_by_slug(session, slug)
    if not await CourseAdminRepository(session).delete_persona(trainer_id, course.id):
        raise NotFound(f"<@{trainer_id}> has no persona in *{course.slug}*.")
    await AuditRepository(session).record(
        "persona.removed", by, trainer=trainer_id, course=course.slug
    )
    return Notice(f"Removed <@{trainer_id}>'s persona in *{course.slug}*.")


async def list_personas(session: AsyncSession, command: str, page: int) -> Listing:
    """Every persona with its course, trainer and share level."""
    lines = [
        f"*{p.name}* · {slug} · <@{p.trainer_id}> · {p.share_level}"
        + (f" · {p.expertise}" if p.expertise else "")
        for p, slug in await CourseAdminRepository(session).personas()
    ]
    return Listing("Personas", tuple(lines), command, page, empty="No personas yet.")
