"""Which Slack workspace a unit of work belongs to, and the scoping of every ORM query by it.

One deployment serves many workspaces, and none may see another's rows. Every table that holds a
workspace's data carries ``team_id`` (the :class:`WorkspaceOwned` mixin), and work runs inside
:func:`in_workspace`: a request inside the workspace Slack signed it for, a task inside the
workspace that enqueued it. Within it, SQLAlchemy's ``do_orm_execute`` hook adds
``team_id = <that workspace>`` to every ORM SELECT, UPDATE and DELETE of those tables
(``with_loader_criteria``, SQLAlchemy's documented recipe for global criteria), and new rows get
the workspace as their column default, in ORM adds and Core INSERTs alike. Nothing else has to
remember the filter, so a forgotten ``WHERE`` cannot leak another workspace's rows.

Work that spans workspaces (claiming tasks, the periodic sweeps) says so with
:func:`across_workspaces`. An ORM statement with neither fails: unscoped work is a bug to find in
a test, never a query that quietly sees everything. Raw SQL (``text()``) is not rewritten; its few
statements pass :func:`current_team` as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import String, event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

# Rows stored before workspaces existed; a single-workspace deployment adopts them at start.
UNASSIGNED = ""
# Marks a statement that may touch every workspace's rows (set with ``across_workspaces``).
_ACROSS = "__across__"

_team: ContextVar[str | None] = ContextVar("coachbot_team", default=None)


class WorkspaceUnknown(RuntimeError):
    """An ORM statement ran outside ``in_workspace`` and ``across_workspaces``: a bug."""


class WorkspaceOwned:
    """Mixin for tables whose rows belong to one workspace: adds ``team_id``.

    Tables reached through a parent's id (a conversation's messages, a course's chunks) need no
    index of their own on it; those listed by workspace declare one in their table args.
    """

    @declared_attr
    def team_id(cls) -> Mapped[str]:
        return mapped_column(String(32), default=lambda: current_team())


def current_team() -> str:
    """The workspace the running work belongs to; raises outside ``in_workspace``."""
    team = _team.get()
    if team is None or team == _ACROSS:
        raise WorkspaceUnknown("no workspace chosen: wrap the work in in_workspace(team_id)")
    return team


def team_or_none() -> str | None:
    """The workspace the running work belongs to, or None (outside one, or across all)."""
    team = _team.get()
    return None if team == _ACROSS else team


@contextmanager
def in_workspace(team_id: str) -> Iterator[str]:
    """Run the block as work of ``team_id``: its ORM queries see only that workspace's rows."""
    if team_id == _ACROSS:
        raise ValueError("not a team id")
    token = _team.set(team_id)
    try:
        yield team_id
    finally:
        _team.reset(token)


def enter_workspace(team_id: str) -> None:
    """Make the rest of the current context work of ``team_id``, with no block to leave.

    For work whose end no ``with`` can wrap: Bolt runs a listener only after every global
    middleware has returned. Each Slack request is handled in an asyncio task of its own
    (aiohttp's per-request task, Socket Mode's per-message task), so the choice ends with it.
    """
    if team_id == _ACROSS:
        raise ValueError("not a team id")
    _team.set(team_id)


@contextmanager
def across_workspaces() -> Iterator[None]:
    """Run the block unscoped, for work that spans workspaces (the task claim, sweeps)."""
    token = _team.set(_ACROSS)
    try:
        yield
    finally:
        _team.reset(token)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_workspace(state: ORMExecuteState) -> None:
    """Add ``team_id = current`` to every ORM read and write of a workspace's tables."""
    if not (state.is_select or state.is_update or state.is_delete):
        return  # inserts get the workspace as their column default
    if state.is_column_load or state.is_relationship_load:
        return  # the parent load's criteria already apply
    team = _team.get()
    if team == _ACROSS:
        return
    if team is None:
        if not state.is_orm_statement:
            return  # text(): its SQL passes the team itself
        raise WorkspaceUnknown(
            "an ORM statement ran outside in_workspace(team_id) and across_workspaces()"
        )
    state.statement = state.statement.options(
        with_loader_criteria(
            WorkspaceOwned,
            lambda cls: cls.team_id == team,
            include_aliases=True,
        )
    )
