"""A workspace uninstalled longer ago than WORKSPACE_RETENTION_DAYS is deleted for good, every
row of it, in short transactions; recently uninstalled and installed workspaces keep everything."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from bot.clock import FrozenClock
from bot.deps import Deps
from bot.jobs import default_jobs
from bot.workspaces import across_workspaces, in_workspace
from bot.workspaces.lifecycle import purge_expired_workspaces, workspace_uninstalled
from store.base import Base
from store.database import Database
from store.models import (
    AiCorrection,
    AnswerStream,
    AuditEvent,
    Chunk,
    Conversation,
    Course,
    Enrolment,
    Escalation,
    EscalationInsight,
    FaqEntry,
    Feedback,
    GapSummary,
    IndexRun,
    Message,
    Persona,
    Query,
    ReplyDraft,
    Response,
    SessionStop,
    Task,
    Trainer,
    TrainerCourse,
    WorkspaceAdmin,
)
from store.repositories.workspace_lifecycle import INSTALLATION_TABLES
from store.repositories.workspaces import WorkspaceRepository
from store.tasks import TaskRepository
from tests.harness import TEAM_ID, BotHarness, reset_database, running_bot

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
OLD, RECENT, INSTALLED = "T0OLD0001", "T0RECENT1", TEAM_ID
MESSAGES = 7
# Tables that belong to no workspace: the job schedule.
GLOBAL_TABLES = {"timers"}


def _owned_tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables if "team_id" in t.c]


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[BotHarness]:
    """A bot without workers, serving three workspaces full of data; one uninstalled long ago,
    one recently."""
    await reset_database(database)
    async with running_bot(database, clock=FrozenClock(NOW), run_workers=False) as harness:
        deps = harness.deps
        with across_workspaces():
            async with deps.sessions.begin() as session:
                for team in (OLD, RECENT, INSTALLED):
                    await WorkspaceRepository(session).record(
                        team, name=team, installed_by=None, now=NOW - timedelta(days=90)
                    )
        for team in (OLD, RECENT, INSTALLED):
            await _fill(deps, team)
        await workspace_uninstalled(deps, OLD, NOW - timedelta(days=30, minutes=1))
        await workspace_uninstalled(deps, RECENT, NOW - timedelta(days=29, hours=23))
        yield harness


async def _fill(deps: Deps, team: str) -> None:
    """One or more rows in every table of a workspace's."""
    with in_workspace(team):
        async with deps.sessions.begin() as s:
            course = Course(slug="py101", title="Python 101")
            s.add(course)
            await s.flush()
            s.add(
                Chunk(
                    course_id=course.id,
                    source_path="day1.md",
                    anchor="loops",
                    ordinal=0,
                    location={"day": 1},
                    text="Loops repeat a block of code over the items of a list.",
                    content_hash="h1",
                    token_estimate=12,
                    embedding=[0.1] * 8,
                    embedding_model="test",
                    updated_at=NOW,
                )
            )
            s.add(IndexRun(course_id=course.id, source="x", embedding_model="m", status="done"))
            conversation = Conversation(
                channel_id="D0LEARNER", thread_ts="1.000001", learner_id="ULEARN"
            )
            conversation.course_id = course.id
            s.add(conversation)
            await s.flush()
            messages = [
                Message(conversation_id=conversation.id, role="learner", text=f"question {i}")
                for i in range(MESSAGES)
            ]
            s.add_all(messages)
            await s.flush()
            query = Query(
                conversation_id=conversation.id,
                message_id=messages[0].id,
                learner_id="ULEARN",
                text="question 0",
                course_id=course.id,
            )
            s.add(query)
            await s.flush()
            response = Response(
                query_id=query.id,
                conversation_id=conversation.id,
                answer="An answer.",
                confidence=0.9,
                grounded=True,
                model="m",
            )
            s.add(response)
            await s.flush()
            s.add(Feedback(response_id=response.id, learner_id="ULEARN", helpful=True))
            escalation = Escalation(
                conversation_id=conversation.id,
                learner_id="ULEARN",
                status="pending",
                question="help",
                course_id=course.id,
                response_id=response.id,
            )
            s.add(escalation)
            await s.flush()
            s.add(AuditEvent(escalation_id=escalation.id, action="claimed"))
            s.add(ReplyDraft(escalation_id=escalation.id, trainer_id="UTRAINER"))
            s.add(
                AiCorrection(
                    escalation_id=escalation.id,
                    response_id=response.id,
                    trainer_id="UTRAINER",
                    correction="Better said.",
                )
            )
            s.add(
                FaqEntry(
                    course_id=course.id,
                    escalation_id=escalation.id,
                    question="q",
                    answer="a",
                    answered_by="UTRAINER",
                    answered_by_name="Ada",
                )
            )
            s.add(
                GapSummary(course_id=course.id, days=7, questions=1, clusters=[], computed_at=NOW)
            )
            s.add(EscalationInsight(escalation_id=escalation.id))
            s.add(SessionStop(conversation_id=conversation.id, event_ts="1.000002"))
            s.add(AnswerStream(message_id=messages[1].id, channel_id="D0LEARNER", thread_ts="1.1"))
            s.add(Trainer(slack_user_id="UTRAINER"))
            s.add(WorkspaceAdmin(user_id="UADMIN"))
            await s.flush()
            s.add(TrainerCourse(trainer_id="UTRAINER", course_id=course.id))
            s.add(Enrolment(learner_id="ULEARN", course_id=course.id, trainer_id="UTRAINER"))
            s.add(
                Persona(trainer_id="UTRAINER", course_id=course.id, name="Ada", share_level="full")
            )
            await TaskRepository(s).enqueue("test.work", {}, ordering_key="k:1")


async def _counts(deps: Deps) -> dict[tuple[str, str], int]:
    """How many rows each workspace has in each table (course_lexemes through its courses)."""
    counts: dict[tuple[str, str], int] = {}
    async with deps.db.engine.connect() as conn:
        for table in _owned_tables():
            rows = await conn.execute(text(f"SELECT team_id, count(*) FROM {table} GROUP BY 1"))
            counts.update({(table, team): n for team, n in rows.all()})
        rows = await conn.execute(
            text(
                "SELECT c.team_id, count(*) FROM course_lexemes l "
                "JOIN courses c ON c.id = l.course_id GROUP BY 1"
            )
        )
        counts.update({("course_lexemes", team): n for team, n in rows.all()})
        orphans = await conn.execute(
            text(
                "SELECT count(*) FROM course_lexemes "
                "WHERE course_id NOT IN (SELECT id FROM courses)"
            )
        )
        assert orphans.scalar_one() == 0
    return counts


def _of(counts: dict[tuple[str, str], int], team: str) -> dict[str, int]:
    return {table: n for (table, owner), n in counts.items() if owner == team}


async def test_only_workspaces_past_retention_are_deleted(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    deps = bot.deps
    caplog.set_level(logging.INFO, logger="bot.workspaces.lifecycle")
    before = await _counts(deps)
    # The test covers every table of a workspace's (and the lexeme counts hanging off its courses).
    assert set(_of(before, OLD)) == {*_owned_tables(), "course_lexemes"}
    # What slack-sdk's store kept of its revoked token (tokens_revoked deletes only the bot).
    async with deps.db.engine.begin() as conn:
        for team in (OLD, RECENT):
            await conn.execute(
                text(
                    "INSERT INTO slack_installations (client_id, app_id, team_id, user_id, "
                    "is_enterprise_install, "
                    "installed_at) VALUES ('c', 'A0APP0001', :team, 'U0INSTALL', false, now())"
                ),
                {"team": team},
            )

    with across_workspaces():
        deleted = await purge_expired_workspaces(deps, NOW, batch=3)
    async with deps.db.engine.connect() as conn:
        kept = await conn.execute(text("SELECT team_id FROM slack_installations"))
        assert list(kept.scalars()) == [RECENT]

    after = await _counts(deps)
    assert _of(after, OLD) == {}
    assert _of(after, RECENT) == _of(before, RECENT)
    assert _of(after, INSTALLED) == _of(before, INSTALLED)
    logged = [r.getMessage() for r in caplog.records if "for good" in r.getMessage()]
    assert len(logged) == 1
    assert f"deleted workspace {OLD} for good:" in logged[0]
    assert f"messages {MESSAGES}," in logged[0]
    # What it counts: the workspace's rows, not the lexeme counts its triggers took along.
    assert deleted == sum(_of(before, OLD).values()) - before[("course_lexemes", OLD)]
    with across_workspaces():
        async with deps.sessions() as session:
            workspaces = WorkspaceRepository(session)
            assert await workspaces.get(OLD) is None
            assert await workspaces.get(RECENT) is not None
            assert await workspaces.active_team_ids() == [INSTALLED]
        # Idempotent: nothing is left to delete.
        assert await purge_expired_workspaces(deps, NOW, batch=3) == 0


async def test_no_statement_deletes_more_than_a_batch(bot: BotHarness) -> None:
    deletes: list[tuple[str, int]] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append((statement.split()[2], cursor.rowcount))

    engine = bot.deps.db.engine.sync_engine
    event.listen(engine, "after_cursor_execute", record)
    try:
        with across_workspaces():
            await purge_expired_workspaces(bot.deps, NOW, batch=3)
    finally:
        event.remove(engine, "after_cursor_execute", record)
    assert deletes
    assert max(n for _, n in deletes) <= 3
    assert [n for table, n in deletes if table == "messages"] == [3, 3, 1]


async def test_a_reinstalled_workspace_is_kept(bot: BotHarness) -> None:
    deps = bot.deps
    before = await _counts(deps)
    with across_workspaces():
        async with deps.sessions.begin() as session:
            await WorkspaceRepository(session).record(OLD, name=OLD, installed_by=None, now=NOW)
        assert await purge_expired_workspaces(deps, NOW, batch=3) == 0
    assert await _counts(deps) == before


async def test_the_job_cancels_tasks_that_arrived_after_the_uninstall(bot: BotHarness) -> None:
    deps = bot.deps
    with in_workspace(RECENT):
        async with deps.sessions.begin() as session:
            late = await TaskRepository(session).enqueue("test.work", {}, ordering_key="k:late")
    with across_workspaces():
        await purge_expired_workspaces(deps, NOW, batch=3)
        async with deps.sessions() as session:
            task = await session.get(Task, late)
    assert task is not None
    assert task.status == "cancelled"


def test_the_retention_job_runs_across_workspaces() -> None:
    jobs = {job.name: job for job in default_jobs()}
    job = jobs["workspaces.purge_uninstalled"]
    assert job.run is purge_expired_workspaces
    assert job.across_workspaces


def test_every_table_without_a_workspace_goes_with_its_parent() -> None:
    """A table without team_id is either global or deleted by cascade with a workspace's row."""
    for table in Base.metadata.sorted_tables:
        if "team_id" in table.c or table.name in GLOBAL_TABLES:
            continue
        assert table.foreign_keys, f"{table.name} has neither team_id nor a parent"
        for fk in table.foreign_keys:
            assert fk.ondelete == "CASCADE", f"{table.name}.{fk.parent.name} must cascade"
            assert "team_id" in fk.column.table.c, f"{table.name}'s parent has no team_id"


async def test_the_schema_has_no_table_the_models_do_not_know(database: Database) -> None:
    async with database.engine.connect() as conn:
        rows = await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))
        names = set(rows.scalars())
    # slack-sdk's installation and OAuth state stores keep tables of their own.
    assert names - set(Base.metadata.tables) == {
        "alembic_version",
        *INSTALLATION_TABLES,
        "slack_oauth_states",
    }


async def test_two_processes_purging_at_once_delete_each_row_once(bot: BotHarness) -> None:
    deps = bot.deps
    before = await _counts(deps)
    with across_workspaces():
        done = await asyncio.gather(
            purge_expired_workspaces(deps, NOW, batch=2),
            purge_expired_workspaces(deps, NOW, batch=3),
        )
    assert sum(done) == sum(_of(before, OLD).values()) - before[("course_lexemes", OLD)]
    after = await _counts(deps)
    assert _of(after, OLD) == {}
    assert _of(after, RECENT) == _of(before, RECENT)


async def test_a_reinstall_during_the_purge_stops_it(bot: BotHarness) -> None:
    deps = bot.deps
    first_delete = asyncio.Event()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            first_delete.set()

    async def reinstall() -> None:
        await first_delete.wait()
        with across_workspaces():
            async with deps.sessions.begin() as session:
                await WorkspaceRepository(session).record(OLD, name=OLD, installed_by=None, now=NOW)

    engine = deps.db.engine.sync_engine
    event.listen(engine, "after_cursor_execute", record)
    try:
        with across_workspaces():
            _, deleted = await asyncio.gather(
                reinstall(), purge_expired_workspaces(deps, NOW, batch=1)
            )
    finally:
        event.remove(engine, "after_cursor_execute", record)

    remaining = _of(await _counts(deps), OLD)
    assert deleted > 0
    assert remaining["courses"] == 1  # the purge stopped; parents go last
    with across_workspaces():
        async with deps.sessions() as session:
            assert OLD in await WorkspaceRepository(session).active_team_ids()
