"""Who is a trainer, where they are allocated, and whose persona answered a learner."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.repositories.courses import CourseAdminRepository
from store.repositories.people import PeopleRepository
from tests.store.rows import add_course


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
