"""Which trainer an escalation is suggested to when a course has several personas."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.coach.personas import ShareLevel, persona_for, set_persona
from bot.escalation.suggest import suggest_trainer
from store.models import Conversation, Course, Message, Query, Response
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository


async def _course(session: AsyncSession) -> int:
    """A course where Bob's persona is older (lower id) than Jane's."""
    course = Course(slug="py101", title="Python 101")
    session.add(course)
    await session.flush()
    people = PeopleRepository(session)
    for trainer, name in (("UBOB", "Bob's Bot"), ("UJANE", "Jane's AI Coach")):
        await people.upsert_trainer(trainer, display_name=None, email=None, added_by="UADMIN")
        await set_persona(
            session, trainer_id=trainer, slug="py101", name=name, share=ShareLevel.NAME_ONLY,
            expertise=None, bio=None, icon_url=None, by="UADMIN",
        )  # fmt: skip
    return course.id


async def _answered(session: AsyncSession, course_id: int, ts: str, persona_id: int | None) -> int:
    """A conversation of the learner with one answer posted as ``persona_id``; returns its id."""
    conversation = Conversation(channel_id="D1", thread_ts=ts, learner_id="UL", course_id=course_id)
    session.add(conversation)
    await session.flush()
    message = Message(conversation_id=conversation.id, role="learner", text="q", author_id="UL")
    session.add(message)
    await session.flush()
    query = Query(conversation_id=conversation.id, message_id=message.id, learner_id="UL", text="q")
    session.add(query)
    await session.flush()
    session.add(
        Response(
            query_id=query.id,
            conversation_id=conversation.id,
            answer="a",
            confidence=0.9,
            grounded=True,
            model="m",
            persona_id=persona_id,
        )
    )
    await session.flush()
    return conversation.id


async def _suggest(
    session: AsyncSession, course_id: int, conversation_id: int | None = None
) -> str | None:
    return await suggest_trainer(
        PeopleRepository(session),
        CourseAdminRepository(session),
        course_id=course_id,
        learner_id="UL",
        conversation_id=conversation_id,
    )


async def test_learners_own_trainers_persona_beats_the_courses_first(session: AsyncSession) -> None:
    course_id = await _course(session)
    assert await _suggest(session, course_id) == "UBOB"  # nothing else known: first persona
    await CourseAdminRepository(session).enrol("UL", course_id, "UJANE", "UADMIN")
    assert await _suggest(session, course_id) == "UJANE"


async def test_the_persona_that_answered_comes_first(session: AsyncSession) -> None:
    course_id = await _course(session)
    repo = CourseAdminRepository(session)
    await repo.enrol("UL", course_id, "UJANE", "UADMIN")
    jane = await persona_for(session, course_id, "UL")
    assert jane is not None
    janes_thread = await _answered(session, course_id, "1.0", jane.id)
    # Later the learner moved to Bob, and Bob's persona answered in a new thread.
    await repo.enrol("UL", course_id, "UBOB", "UADMIN")
    bob = await persona_for(session, course_id, "UL")
    assert bob is not None
    assert bob.trainer_id == "UBOB"
    bobs_thread = await _answered(session, course_id, "2.0", bob.id)

    assert await _suggest(session, course_id, janes_thread) == "UJANE"
    assert await _suggest(session, course_id, bobs_thread) == "UBOB"
    assert await _suggest(session, course_id) == "UBOB"  # the learner's latest answer


async def test_inactive_answering_trainer_hands_over_to_their_backup(
    session: AsyncSession,
) -> None:
    course_id = await _course(session)
    people = PeopleRepository(session)
    await people.upsert_trainer("UBACKUP", display_name=None, email=None, added_by="UADMIN")
    await CourseAdminRepository(session).enrol("UL", course_id, "UJANE", "UADMIN")
    jane = await persona_for(session, course_id, "UL")
    assert jane is not None
    thread = await _answered(session, course_id, "1.0", jane.id)
    trainer = await people.trainer("UJANE")
    assert trainer is not None
    trainer.backup_trainer_id = "UBACKUP"
    await people.deactivate_trainer("UJANE")
    assert await _suggest(session, course_id, thread) == "UBACKUP"
