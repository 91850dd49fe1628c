"""The ack path's queue writes: one autocommit statement per inbound message, NOTIFY after.

An inbound Slack message is stored as a task before the 200 is returned, so this path is as short
as it can be: one statement, its own transaction, and the cross-process wake-up (a NOTIFY, which
serialises commits database-wide) sent afterwards, off the ack.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from store.database import Database
from store.tasks import NOTIFY_CHANNEL
from store.tenancy import current_team

log = logging.getLogger(__name__)

# The ack path's statement: written out rather than built per call, because building the inserts
# and the CTEs with SQLAlchemy's constructs cost about as much CPU as the rest of the ack, and run
# on the psycopg connection itself, because under a burst SQLAlchemy's text() binding and result
# processing still added a quarter or more to the statement's time (bench/README.md). One
# statement, run in autocommit, is the whole ack's transaction: one round trip.
# Every CTE reads the snapshot from before the statement, so the new task is not in the backlog.
# The flood notice is only inserted when this message is new and the backlog is at the limit; its
# key names the oldest waiting message, which stays the same until the backlog is worked through,
# so a backlog gets one notice however many messages join it.
# A new message is due `delay` seconds from now (the burst window), and so is every task of its
# kind still pending in its ordering key: the oldest, when it runs, answers the burst together.
# Its companion (the "seen" reaction) is due at once; being a short Slack write, it is of a kind
# workers claim before the answers already due (``store.task_claim``'s urgent kinds).
_ENQUEUE_WITH_NOTICE_SQL = """
    WITH inserted AS (
      INSERT INTO tasks (team_id, request_id, kind, payload, ordering_key, dedupe_key, status,
                         attempts, run_at)
      VALUES (%(team_id)s, %(request_id)s, %(kind)s, %(payload)s, %(ordering_key)s,
              %(dedupe_key)s, 'pending', 0,
              now() + make_interval(secs => CAST(%(delay)s AS double precision)))
      ON CONFLICT (team_id, dedupe_key) DO NOTHING
      RETURNING id
    ), postponed AS (
      UPDATE tasks
      SET run_at = greatest(
        run_at, now() + make_interval(secs => CAST(%(delay)s AS double precision))
      )
      WHERE team_id = %(team_id)s AND kind = %(kind)s AND ordering_key = %(ordering_key)s
        AND status = 'pending' AND CAST(%(delay)s AS double precision) > 0
        AND EXISTS (SELECT 1 FROM inserted)
      RETURNING id
    ), companion AS (
      INSERT INTO tasks (team_id, request_id, kind, payload, ordering_key, dedupe_key, status,
                         attempts)
      SELECT %(team_id)s, %(request_id)s, CAST(%(companion_kind)s AS text),
             %(companion_payload)s, CAST(%(companion_ordering_key)s AS text),
             CAST(%(companion_dedupe_key)s AS text), 'pending', 0
      FROM inserted WHERE CAST(%(companion_kind)s AS text) IS NOT NULL
      ON CONFLICT (team_id, dedupe_key) DO NOTHING
      RETURNING id
    ), backlog AS (
      SELECT count(*) AS waiting, min(id) AS oldest FROM tasks
      WHERE kind = %(kind)s AND status IN ('pending', 'running') AND team_id = %(team_id)s
        AND payload->>'user_id' = CAST(%(user_id)s AS text)
    ), notice AS (
      INSERT INTO tasks (team_id, request_id, kind, payload, ordering_key, dedupe_key, status,
                         attempts)
      SELECT %(team_id)s, %(request_id)s, %(notice_kind)s, %(notice_payload)s,
             %(notice_ordering_key)s, CAST(%(notice_key_prefix)s AS text) || backlog.oldest,
             'pending', 0
      FROM backlog JOIN inserted ON true
      WHERE backlog.waiting >= CAST(%(notice_limit)s AS integer)
      ON CONFLICT (team_id, dedupe_key) DO NOTHING
      RETURNING id
    )
    SELECT inserted.id, backlog.waiting, backlog.oldest, (SELECT id FROM notice) AS notice_id
    FROM backlog LEFT JOIN inserted ON true
    """
# The JSON parameters, sent as jsonb.
_JSONB_PARAMS = ("payload", "notice_payload", "companion_payload")


_ANNOUNCE_SQL = text(f"SELECT pg_notify('{NOTIFY_CHANNEL}', '')")


class TaskAnnouncer:
    """Wakes every process's worker for tasks enqueued on ``defer_notify`` connections.

    Runs after the enqueueing statement committed, off the ack path; announcements asked for
    while one is being sent are folded into one more, so a burst of acks costs a few NOTIFYs.
    A lost announcement only delays other processes until their next poll.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._due = False
        self._sending: asyncio.Task[None] | None = None

    def announce(self) -> None:
        """Schedule a NOTIFY for the tasks enqueued so far."""
        self._due = True
        if self._sending is None or self._sending.done():
            self._sending = asyncio.get_running_loop().create_task(self._send())

    async def _send(self) -> None:
        while self._due:
            self._due = False
            try:
                async with self._engine.connect() as conn:
                    await conn.execute(_ANNOUNCE_SQL)
            except (DBAPIError, OSError):
                log.warning("could not announce new tasks; other processes will poll for them")
                return


@dataclass(frozen=True)
class BacklogNotice:
    """A task to enqueue beside an inbound message once its sender has ``limit`` waiting."""

    kind: str
    payload: dict[str, Any]
    ordering_key: str
    key_prefix: str  # the notice's dedupe key is this followed by the oldest waiting task's id
    limit: int


@dataclass(frozen=True)
class Companion:
    """A task to enqueue, due at once, beside an inbound message that is new."""

    kind: str
    payload: dict[str, Any]
    ordering_key: str
    dedupe_key: str


@dataclass(frozen=True)
class Backlog:
    """What ``enqueue_with_backlog_notice`` did and found."""

    task_id: int | None  # None when the dedupe key was already enqueued
    waiting: int  # unfinished tasks of the kind for the user, before this one
    oldest_id: int | None  # the oldest of those
    notice_id: int | None  # the notice enqueued now; None when none was due or it already was


async def enqueue_with_backlog_notice(
    db: Database,
    kind: str,
    payload: dict[str, Any],
    *,
    user_id: str,
    ordering_key: str,
    dedupe_key: str,
    notice: BacklogNotice,
    request_id: str | None = None,
    delay_seconds: float = 0.0,
    companion: Companion | None = None,
) -> Backlog:
    """Enqueue an inbound message and, when its sender's backlog is full, ``notice``: one statement.

    Everything is enqueued in the current workspace (``store.tenancy``), whose tasks alone count.

    The statement runs on the autocommit engine, so it is its own transaction and the ack of an
    inbound message costs one round trip, on a connection that is not pinged first. A connection
    that died meanwhile (the database restarted) is retried once on a fresh one; the dedupe keys
    make a retry harmless. This process's workers are woken once it committed.

    ``delay_seconds`` > 0: the message is due that long from now, and so are the pending tasks
    of ``kind`` already waiting in ``ordering_key`` (a burst answered together, once).
    ``companion``: enqueued with a new message, due at once (a sign of life while it waits;
    workers claim it before the answers already due when its kind is urgent).
    """
    params: dict[str, Any] = {
        "team_id": current_team(),
        "kind": kind,
        "payload": payload,
        "user_id": user_id,
        "ordering_key": ordering_key,
        "dedupe_key": dedupe_key,
        "request_id": request_id,
        "notice_kind": notice.kind,
        "notice_payload": notice.payload,
        "notice_ordering_key": notice.ordering_key,
        "notice_key_prefix": notice.key_prefix,
        "notice_limit": notice.limit,
        "delay": delay_seconds,
        "companion_kind": companion.kind if companion else None,
        "companion_payload": companion.payload if companion else None,
        "companion_ordering_key": companion.ordering_key if companion else None,
        "companion_dedupe_key": companion.dedupe_key if companion else None,
    }
    for name in _JSONB_PARAMS:
        if params[name] is not None:
            params[name] = Jsonb(params[name])
    try:
        row = await _execute(db, params)
    except _ConnectionLost:
        # The database restarted, so the pool's other idle connections are dead too: a fresh
        # pool (acks in flight keep theirs). Harmless to repeat: every insert is deduplicated.
        await db.autocommit.dispose()
        row = await _execute(db, params)
    db.tasks_committed()
    task_id, waiting, oldest_id, notice_id = row
    return Backlog(task_id=task_id, waiting=int(waiting), oldest_id=oldest_id, notice_id=notice_id)


class _ConnectionLost(Exception):
    """The pooled connection was dead (the database restarted); it was dropped from the pool."""


async def _execute(db: Database, params: dict[str, Any]) -> tuple[Any, ...]:
    """Run the ack statement on an autocommit connection of the pool, on psycopg directly."""
    async with db.autocommit.connect() as conn:
        dbapi = await conn.get_raw_connection()
        driver = dbapi.driver_connection
        assert isinstance(driver, psycopg.AsyncConnection)
        try:
            cursor = await driver.execute(_ENQUEUE_WITH_NOTICE_SQL, params)
            row = await cursor.fetchone()
        except psycopg.OperationalError as exc:
            if not (driver.broken or driver.closed):
                raise
            await conn.invalidate()
            raise _ConnectionLost(str(exc)) from exc
    assert row is not None  # the statement always returns the backlog's row
    return tuple(row)
