"""The one workspace of a SLACK_BOT_TOKEN deployment, and which workspace a command works in."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot.clock import Clock
from bot.errors import ConfigError
from bot.workspaces import across_workspaces, in_workspace
from bot.workspaces.choice import choose_workspace
from store.database import Database
from store.models import Course, Enrolment, Trainer, TrainerCourse, Workspace
from store.repositories.workspaces import WorkspaceRepository
from store.tenancy import UNASSIGNED
from tests.harness import TEAM_ID, reset_database, running_bot


async def _record(database: Database, *teams: str) -> None:
    with across_workspaces():
        async with database.sessions.begin() as session:
            for team in teams:
                await WorkspaceRepository(session).record(
                    team, name=team, installed_by=None, now=Clock().now()
                )


async def test_a_command_works_in_the_one_workspace_or_is_told_to_choose(
    database: Database,
) -> None:
    await reset_database(database)
    assert await choose_workspace(database.sessions, None) == UNASSIGNED
    await _record(database, "T0ONE0001")
    assert await choose_workspace(database.sessions, None) == "T0ONE0001"
    await _record(database, "T0TWO0002")
    with pytest.raises(ConfigError, match="--workspace"):
        await choose_workspace(database.sessions, None)
    assert await choose_workspace(database.sessions, " T0TWO0002 ") == "T0TWO0002"


async def test_the_tokens_workspace_is_recorded_and_adopts_rows_stored_before(
    database: Database,
) -> None:
    await reset_database(database)
    # Stored before workspaces existed (or by `coachbot ingest` before the first start).
    with in_workspace(UNASSIGNED):
        async with database.sessions.begin() as session:
            course = Course(slug="python", title="Python")
            session.add_all([course, Trainer(slack_user_id="U0TRAIN01")])
            await session.flush()
            session.add_all(
                [
                    TrainerCourse(trainer_id="U0TRAIN01", course_id=course.id),
                    Enrolment(learner_id="U0LEARN01", course_id=course.id, trainer_id=None),
                ]
            )
    # Adopted as the bot starts, before it serves anything.
    async with running_bot(database, known_workspace=False) as bot:
        assert bot.deps.single_workspace.registering is None
        assert [c.method for c in bot.slack.calls] == ["auth.test"]
        await bot.command("UADMIN", "help")
        registering = bot.deps.single_workspace.registering
        assert registering is not None
        assert await registering == 0  # nothing left to adopt

    with in_workspace(TEAM_ID):
        async with database.sessions() as session:
            assert (await session.scalars(select(Course.slug))).all() == ["python"]
            assert (await session.scalars(select(TrainerCourse.trainer_id))).all() == ["U0TRAIN01"]
            assert (await session.scalars(select(Enrolment.learner_id))).all() == ["U0LEARN01"]
            assert (await session.get(Workspace, TEAM_ID)) is not None
    async with database.engine.connect() as conn:
        left = await conn.execute(text("SELECT count(*) FROM courses WHERE team_id = ''"))
        assert left.scalar_one() == 0


async def test_a_workspace_that_removed_the_app_is_served_again_with_a_new_token(
    database: Database,
) -> None:
    await reset_database(database)
    await _record(database, TEAM_ID)
    with across_workspaces():
        async with database.sessions.begin() as session:
            await WorkspaceRepository(session).mark_uninstalled(TEAM_ID, Clock().now())

    async with running_bot(database, run_workers=False, known_workspace=False) as bot:
        # Nothing waits to be adopted: the bot starts without asking Slack anything.
        assert bot.slack.calls == []
        await bot.command("UADMIN", "help")
        registering = bot.deps.single_workspace.registering
        assert registering is not None
        await registering

    with across_workspaces():
        async with database.sessions() as session:
            workspace = await session.get(Workspace, TEAM_ID)
            active = await WorkspaceRepository(session).active_team_ids()
    assert workspace is not None
    assert workspace.uninstalled_at is None
    assert active == [TEAM_ID]
