"""Engine, session factory and schema migrations."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from store.embedded import async_url, start_embedded
from store.errors import DatabaseSetupError

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant works; it only has to be the same in every process that migrates this database.
MIGRATION_LOCK_ID = 7_242_001
# Marks a session whose transaction enqueued a task (``TaskRepository.enqueue`` sets it), so the
# database can tell this process's workers once that transaction has committed.
TASKS_ENQUEUED = "coachbot_tasks_enqueued"


@dataclass(frozen=True)
class Database:
    """The engine and the session factory every service uses, and the ack path's engine."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Autocommit connections for writes that are one statement (its own transaction), so an
    # ack costs one round trip instead of BEGIN, statement and COMMIT. No pre-ping: its round
    # trip cost as much as the statement; a dead connection is retried by the caller instead.
    autocommit: AsyncEngine
    _task_listeners: list[weakref.WeakMethod[Callable[[], None]]] = field(default_factory=list)

    def on_tasks_committed(self, listener: Callable[[], None]) -> None:
        """Call the bound method ``listener`` after every commit that enqueued a task.

        It is held weakly, so a listener goes away with its owner (tests build many).
        """
        self._task_listeners.append(weakref.WeakMethod(listener))

    def tasks_committed(self) -> None:
        """Tell the listeners that new tasks are visible (after an autocommit enqueue, say)."""
        alive = []
        for ref in self._task_listeners:
            listener = ref()
            if listener is not None:
                alive.append(ref)
                listener()
        self._task_listeners[:] = alive

    async def close(self) -> None:
        """Dispose of pooled connections."""
        await self.engine.dispose()
        await self.autocommit.dispose()

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (OperationalError, OSError):
            return False
        return True


def resolve_url(database_url: str | None, data_dir: Path) -> str:
    """The database URL to use: the configured one, or the embedded server's."""
    if database_url:
        return async_url(database_url)
    return async_url(start_embedded(data_dir))


def create_database(url: str, *, pool_size: int = 10) -> Database:
    """Create the engine (psycopg 3, asyncio) and the session factory."""
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )
    # Its own pool, so acks never wait behind the worker's transactions for a connection; no
    # overflow, because overflow connections were opened and closed again all through a burst.
    # Its connections skip the tasks trigger's NOTIFY (migration 0004): a NOTIFY serialises
    # commits database-wide, so the ack path announces new tasks after committing instead.
    autocommit = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=False,
        isolation_level="AUTOCOMMIT",
        connect_args={"options": "-c coachbot.defer_notify=on"},
    )
    # A session class of this database's own, so its commit hook reaches only its listeners.
    session_class = type("CoachbotSession", (Session,), {})
    sessions = async_sessionmaker(engine, expire_on_commit=False, sync_session_class=session_class)
    db = Database(engine, sessions, autocommit)

    @event.listens_for(session_class, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(TASKS_ENQUEUED, False):
            db.tasks_committed()

    @event.listens_for(session_class, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(TASKS_ENQUEUED, None)

    return db


def alembic_config() -> Config:
    """An Alembic configuration pointing at the bundled migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    # The advisory lock makes concurrent start-ups of several processes migrate one at a time.
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    try:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        connection.commit()
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()


async def migrate(db: Database) -> None:
    """Bring the schema to the latest revision."""
    try:
        async with db.engine.connect() as conn:
            await conn.run_sync(_upgrade)
    except OperationalError as exc:
        raise DatabaseSetupError(
            f"Cannot reach the database: {str(exc.orig).strip().splitlines()[0]}. Check "
            "DATABASE_URL, or unset it to use the embedded server."
        ) from None


async def open_database(
    database_url: str | None, data_dir: Path, *, pool_size: int = 10
) -> Database:
    """Start or connect to the database and migrate it: the one call the entry points make."""
    url = await asyncio.to_thread(resolve_url, database_url, data_dir)
    db = create_database(url, pool_size=pool_size)
    await migrate(db)
    return db
