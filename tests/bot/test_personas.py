"""Personas: which one a learner's answers use, and what each share level reveals."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coach.personas import PersonaView, ShareLevel, persona_for, set_persona
from bot.people.enrolment import enrol_learners
from store.models import Course
from store.repositories.people import PeopleRepository


async def _setup(session: AsyncSession) -> int:
    course = Course(slug="py101", title="Python 101")
    session.add(course)
    await session.flush()
    people = PeopleRepository(session)
    for trainer in ("UJANE", "UBOB"):
        await people.upsert_trainer(trainer, display_name=None, email=None, added_by="UADMIN")
        await people.allocate(trainer, course.id)
    return course.id


async def test_learner_gets_their_trainers_persona(session: AsyncSession) -> None:
    course_id = await _setup(session)
    for trainer, name in (("UJANE", "Jane's AI Coach"), ("UBOB", "Bob's Bot")):
        await set_persona(
            session, trainer_id=trainer, slug="py101", name=name, share=ShareLevel.FULL,
            expertise="Async", bio="Ten years of Python", icon_url=None, by="UADMIN",
        )  # fmt: skip
    result = await enrol_learners(session, ["UL1"], "py101", "UADMIN")
    trainer = result.assigned["UL1"]
    persona = await persona_for(session, course_id, "UL1")
    assert persona is not None
    assert persona.trainer_id == trainer
    # Two personas and no enrolment: no way to choose, so none.
    assert await persona_for(session, course_id, "USTRANGER") is None


async def test_single_persona_applies_and_share_level_limits_footer(session: AsyncSession) -> None:
    course_id = await _setup(session)
    await set_persona(
        session, trainer_id="UJANE", slug="py101", name="Jane's AI Coach",
        share=ShareLevel.NAME_ONLY, expertise="Async", bio="Bio", icon_url=None, by="UADMIN",
    )  # fmt: skip
    persona = await persona_for(session, course_id, "USTRANGER")
    assert persona is not None
    assert persona.name == "Jane's AI Coach"
    assert "Async" not in persona.footer
    assert "Bio" not in persona.footer
    await set_persona(
        session, trainer_id="UJANE", slug="py101", name="Jane's AI Coach",
        share=ShareLevel.NAME_EXPERTISE, expertise="Async", bio="Bio", icon_url=None, by="UADMIN",
    )  # fmt: skip
    persona = await persona_for(session, course_id, "USTRANGER")
    assert persona is not None
    assert "Async" in persona.footer
    assert "Bio" not in persona.footer


def _jane(share: ShareLevel, **overrides: str | None) -> PersonaView:
    values: dict[str, Any] = {
        "id": 1,
        "trainer_id": "UJANE",
        "course_id": 1,
        "name": "Jane's AI Coach",
        "share_level": share,
        "expertise": "Python and data",
        "bio": "Ten years teaching",
        "icon_url": None,
        "trainer_name": "Jane Doe",
    } | overrides
    return PersonaView(**values)


def test_footer_per_share_level() -> None:
    assert _jane(ShareLevel.NAME_ONLY).footer == "Jane's AI Coach"
    assert _jane(ShareLevel.NAME_EXPERTISE).footer == "Jane's AI Coach · Jane Doe, Python and data"
    assert _jane(ShareLevel.FULL).footer == (
        "Jane's AI Coach · Jane Doe, Python and data · Ten years teaching"
    )


def test_footer_without_display_name_expertise_or_bio() -> None:
    # No cached display name: a mention, which Slack renders as the trainer's name.
    bare = _jane(ShareLevel.FULL, trainer_name=None, expertise=None, bio=None)
    assert bare.footer == "Jane's AI Coach · <@UJANE>"


def test_footer_escapes_admin_text() -> None:
    odd = _jane(ShareLevel.FULL, name="R&D <Coach>", bio="<!channel> fan")
    assert odd.footer == "R&amp;D &lt;Coach&gt; · Jane Doe, Python and data · &lt;!channel&gt; fan"


async def test_persona_carries_the_trainers_display_name(session: AsyncSession) -> None:
    course_id = await _setup(session)
    await PeopleRepository(session).remember_profile("UJANE", display_name="Jane Doe", email=None)
    await set_persona(
        session, trainer_id="UJANE", slug="py101", name="Jane's AI Coach",
        share=ShareLevel.NAME_EXPERTISE, expertise="Async", bio=None,
        icon_url="https://img.example.com/j.png", by="UADMIN",
    )  # fmt: skip
    persona = await persona_for(session, course_id, "USTRANGER")
    assert persona is not None
    assert persona.footer == "Jane's AI Coach · Jane Doe, Async"
    assert persona.icon_url == "https://img.example.com/j.png"
