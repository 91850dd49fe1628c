"""Every ORM statement on a workspace's tables sees only the workspace it runs in."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, exists, func, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from store import tenancy
from store.models import Course, Trainer
from store.tenancy import WorkspaceUnknown, across_workspaces, current_team, in_workspace

A, B = "T0WSPACEA", "T0WSPACEB"


async def _two_workspaces(session: AsyncSession) -> None:
    for team in (A, B):
        with in_workspace(team):
            session.add(Course(slug="python", title=f"Python in {team}"))
            session.add(Trainer(slack_user_id="USAME", display_name=f"Jane of {team}"))
            await session.flush()


async def test_new_rows_belong_to_the_workspace_they_are_added_in(session: AsyncSession) -> None:
    await _two_workspaces(session)
    with across_workspaces():
        # (Other tests' committed rows may be there too.)
        owned = select(Course.team_id).where(Course.team_id.in_([A, B]))
        teams = (await session.execute(owned.order_by(Course.team_id))).all()
    assert [team for (team,) in teams] == [A, B]


async def test_reads_see_only_their_workspace(session: AsyncSession) -> None:
    await _two_workspaces(session)
    with in_workspace(A):
        titles = (await session.execute(select(Course.title))).scalars().all()
        assert titles == [f"Python in {A}"]
        assert await session.scalar(select(func.count()).select_from(Course)) == 1
        # In a subquery, an EXISTS and a UNION too.
        inner = select(Course.id).where(Course.slug == "python").scalar_subquery()
        assert await session.scalar(select(func.count(Course.id)).where(Course.id == inner)) == 1
        assert await session.scalar(select(exists().where(Course.title.like("%B")))) is False
        both = union_all(select(Course.title), select(Trainer.display_name))
        assert sorted((await session.execute(both)).scalars()) == [
            f"Jane of {A}",
            f"Python in {A}",
        ]
        # The same user id is a different trainer in each workspace.
        jane = await session.get(Trainer, (current_team(), "USAME"), populate_existing=True)
        assert jane is not None
        assert jane.display_name == f"Jane of {A}"


async def test_updates_and_deletes_touch_only_their_workspace(session: AsyncSession) -> None:
    await _two_workspaces(session)
    with in_workspace(B):
        changed = await session.execute(update(Course).values(title="renamed"))
        assert changed.rowcount == 1  # type: ignore[attr-defined]
        removed = await session.execute(delete(Trainer).where(Trainer.slack_user_id == "USAME"))
        assert removed.rowcount == 1  # type: ignore[attr-defined]
    with in_workspace(A):
        assert (await session.execute(select(Course.title))).scalars().all() == [f"Python in {A}"]
        assert await session.scalar(select(func.count()).select_from(Trainer)) == 1


async def test_an_unscoped_statement_fails_instead_of_seeing_everything(
    session: AsyncSession,
) -> None:
    with in_workspace(A):
        session.add(Course(slug="python", title="Python"))
        await session.flush()
    # Outside the test's own workspace: as a request or a task nobody placed in one.
    reset = tenancy._team.set(None)
    try:
        with pytest.raises(WorkspaceUnknown):
            await session.execute(select(Course))
        with pytest.raises(WorkspaceUnknown):
            current_team()
    finally:
        tenancy._team.reset(reset)


def test_across_workspaces_is_not_a_workspace() -> None:
    with across_workspaces(), pytest.raises(WorkspaceUnknown):
        current_team()


async def test_the_same_statement_run_in_each_workspace_sees_each_ones_rows(
    session: AsyncSession,
) -> None:
    await _two_workspaces(session)
    seen = {}
    for team in (A, B, A):
        with in_workspace(team):
            statement = select(Course.id, Course.title).order_by(Course.slug)
            seen[team] = (await session.execute(statement)).all()
    assert [title for _, title in seen[A]] == [f"Python in {A}"]
    assert [title for _, title in seen[B]] == [f"Python in {B}"]
