"""Who is a trainer, where they are allocated, and whose persona answered a learner."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Message, Persona, Query, Response
from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository
from tests.store.rows import add_conversation, add_course


async def _trainer(people: PeopleRepository, user_id: str) -> None:
    await people.upsert_trainer(user_id, display_name=None, email=None, added_by="UADMIN")


async def test_only_an_active_trainer_is_one(session: AsyncSession) -> None:
    people = PeopleRepository(session)
    await _trainer(people, "USTOREACTIVE")
    await _trainer(people, "USTOREGONE")
    await people.deactivate_trainer("USTOREGONE")
    assert await people.is_active_trainer("USTOREACTIVE") is True
    assert await people.is_active_trainer("USTOREGONE") is False
    assert await people.is_active_trainer("USTORENOBODY") is False


async def test_trainer_course_ids_are_the_trainers_own_allocations(session: AsyncSession) -> None:
    people = PeopleRepository(session)
    one = await add_course(session, "store-one")
    two = await add_course(session, "store-two")
    await add_course(session, "store-three")
    await _trainer(people, "USTOREJANE")
    await _trainer(people, "USTOREBOB")
    await people.allocate("USTOREJANE", one.id)
    await people.allocate("USTOREJANE", two.id)
    await people.allocate("USTOREBOB", two.id)
    courses = CourseAdminRepository(session)
    assert sorted(await courses.trainer_course_ids("USTOREJANE")) == sorted([one.id, two.id])
    assert await courses.trainer_course_ids("USTOREBOB") == [two.id]
    assert await courses.trainer_course_ids("USTORENOBODY") == []


async def _answer(
    session: AsyncSession, conversation_id: int, persona_id: int | None, learner: str = "UL"
) -> None:
    message = Message(conversation_id=conversation_id, role="learner", text="q")
    session.add(message)
    await session.flush()
    query = Query(
        conversation_id=conversation_id, message_id=message.id, learner_id=learner, text="q"
    )
    session.add(query)
    await session.flush()
    session.add(
        Response(
            query_id=query.id,
            conversation_id=conversation_id,
            answer="a",
            confidence=0.9,
            grounded=True,
            model="m",
            persona_id=persona_id,
        )
    )
    await session.flush()


async def test_answering_trainer_is_the_persona_of_the_latest_answer(
    session: AsyncSession,
) -> None:
    people = PeopleRepository(session)
    course = await add_course(session, "store-answering")
    other_course = await add_course(session, "store-elsewhere")
    personas = {}
    for trainer, course_id in (("USTOREJANE", course.id), ("USTOREBOB", course.id)):
        await _trainer(people, trainer)
        persona = Persona(trainer_id=trainer, course_id=course_id, name=trainer, share_level="x")
        session.add(persona)
        await session.flush()
        personas[trainer] = persona.id
    await _trainer(people, "USTOREEVE")
    eve = Persona(trainer_id="USTOREEVE", course_id=other_course.id, name="E", share_level="x")
    session.add(eve)
    await session.flush()

    assert await people.answering_trainer(course.id, "UL") is None
    janes = await add_conversation(session, learner_id="UL", course_id=course.id)
    await _answer(session, janes.id, personas["USTOREJANE"])
    await _answer(session, janes.id, None)  # a plain answer, no persona: does not count
    assert await people.answering_trainer(course.id, "UL") == "USTOREJANE"

    bobs = await add_conversation(session, learner_id="UL", course_id=course.id)
    await _answer(session, bobs.id, personas["USTOREBOB"])
    elsewhere = await add_conversation(session, learner_id="UL", course_id=other_course.id)
    await _answer(session, elsewhere.id, eve.id)
    someone_else = await add_conversation(session, learner_id="UOTHER", course_id=course.id)
    await _answer(session, someone_else.id, personas["USTOREJANE"], learner="UOTHER")

    assert await people.answering_trainer(course.id, "UL") == "USTOREBOB"  # the latest
    assert await people.answering_trainer(course.id, "UL", janes.id) == "USTOREJANE"
    assert await people.answering_trainer(other_course.id, "UL") == "USTOREEVE"
    assert await people.answering_trainer(course.id, "UL", elsewhere.id) is None
