"""``/coach`` end to end: an admin sets up a course, trainers, enrolment and thresholds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from store.models import AuditEvent, Course, Enrolment, TrainerCourse
from tests.harness import BotHarness


async def add_course(bot: BotHarness, slug: str = "py101", title: str = "Python 101") -> int:
    """A course row, as ingest would create it."""
    async with bot.deps.sessions.begin() as session:
        course = Course(slug=slug, title=title)
        session.add(course)
        await session.flush()
        return course.id


async def run(bot: BotHarness, user: str, text: str) -> dict[str, Any]:
    """Run ``/coach text`` and return what was posted to the response_url."""
    before = len(bot.slack.calls_to("response_url"))
    status, _ = await bot.command(user, text)
    assert status == 200
    calls = await bot.slack.wait_for("response_url", count=before + 1)
    return calls[-1].args


def shown(reply: dict[str, Any]) -> str:
    """All text of a reply, blocks included."""
    return str(reply.get("text", "")) + str(reply.get("blocks", ""))


async def test_admin_sets_up_course_trainers_and_enrolment(bot: BotHarness) -> None:
    course_id = await add_course(bot)

    reply = await run(bot, "UADMIN", "trainer add <@UJANE|jane>")
    assert "<@UJANE> is now a trainer" in shown(reply)
    assert reply["response_type"] == "ephemeral"
    await run(bot, "UADMIN", "trainer add <@UBOB>")
    await run(bot, "UADMIN", "trainer allocate <@UJANE> py101")
    await run(bot, "UADMIN", "trainer allocate <@UBOB> py101")

    reply = await run(bot, "UADMIN", "enroll <@UL1> <@UL2> <@UL3> py101")
    assert "Enrolled 3 learners in *py101*" in shown(reply)

    async with bot.deps.sessions.begin() as session:
        enrolments = (
            await session.scalars(select(Enrolment).where(Enrolment.course_id == course_id))
        ).all()
        allocated = (await session.scalars(select(TrainerCourse.trainer_id))).all()
    assert sorted(e.learner_id for e in enrolments) == ["UL1", "UL2", "UL3"]
    # Spread over both allocated trainers rather than all on one.
    assert {e.trainer_id for e in enrolments} == {"UJANE", "UBOB"}
    assert sorted(allocated) == ["UBOB", "UJANE"]

    reply = await run(bot, "UJANE", "learner <@UL1>")
    assert "*py101*" in shown(reply)

    reply = await run(bot, "UADMIN", "trainers")
    assert "<@UJANE> · py101 · 0 open" in shown(reply)
    reply = await run(bot, "UADMIN", "courses")
    assert "*py101* · Python 101 · 0 chunks · never indexed" in shown(reply)
    assert bot.slack.errors == []


async def test_settings_change_is_validated_and_audited(bot: BotHarness) -> None:
    await add_course(bot)
    reply = await run(bot, "UADMIN", "settings py101 threshold=1.5")
    assert "`threshold` must be between 0 and 1" in shown(reply)

    reply = await run(bot, "UADMIN", "settings py101 threshold=0.55 turns=5")
    assert "confidence_threshold: default → 0.55" in shown(reply)

    async with bot.deps.sessions.begin() as session:
        course = await session.scalar(select(Course).where(Course.slug == "py101"))
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "course.setting_changed")
            )
        ).all()
    assert course is not None
    assert (course.confidence_threshold, course.max_turns) == (0.55, 5)
    changes = {e.details["setting"]: (e.details["old"], e.details["new"]) for e in events}
    assert changes == {"confidence_threshold": (None, 0.55), "max_turns": (None, 5)}

    reply = await run(bot, "UADMIN", "settings py101 threshold=0.6")
    assert "0.55 → 0.6" in shown(reply)


async def test_coaching_mode_is_set_shown_and_validated(bot: BotHarness) -> None:
    await add_course(bot)
    reply = await run(bot, "UADMIN", "settings py101")
    assert "coaching mode (`mode`): answer (default)" in shown(reply)

    reply = await run(bot, "UADMIN", "settings py101 mode hints")
    assert "`hints` is not a coaching mode; use `answer`, `hint` or `socratic`." in shown(reply)
    reply = await run(bot, "UADMIN", "settings py101 mode")
    assert "Usage: `/coach settings course-slug mode hint`" in shown(reply)

    reply = await run(bot, "UADMIN", "settings py101 mode Hint")
    assert "coaching_mode: default → hint" in shown(reply)
    reply = await run(bot, "UADMIN", "settings py101 coaching=socratic threshold=0.5")
    assert "coaching_mode: hint → socratic" in shown(reply)
    assert "coaching mode (`mode`): socratic" in shown(reply)

    async with bot.deps.sessions.begin() as session:
        course = await session.scalar(select(Course).where(Course.slug == "py101"))
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "course.setting_changed")
            )
        ).all()
    assert course is not None
    assert course.coaching_mode == "socratic"
    changes = [
        (e.details["old"], e.details["new"])
        for e in events
        if e.details["setting"] == "coaching_mode"
    ]
    assert changes == [(None, "hint"), ("hint", "socratic")]


async def test_unknown_subcommand_and_bad_arguments_get_usage(bot: BotHarness) -> None:
    reply = await run(bot, "UADMIN", "frobnicate")
    assert "I don't know `/coach frobnicate`" in shown(reply)
    reply = await run(bot, "UADMIN", "enroll")
    assert "Usage: `/coach enroll" in shown(reply)
    reply = await run(bot, "UADMIN", "enroll <@UL1> nosuchcourse")
    assert "There is no course `nosuchcourse`" in shown(reply)
    reply = await run(bot, "UADMIN", "stats 9999")
    assert "not a period" in shown(reply)
    assert bot.slack.errors == []
