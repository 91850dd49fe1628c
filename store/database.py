"""Engine, session factory and schema migrations."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, make_url, text
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
    # Where to LISTEN for other processes' new tasks (a psycopg URL), or None to rely on polling:
    # a transaction pooler hands each transaction to any server connection, so a LISTEN on it
    # would hear nothing.
    listen_url: str | None = None
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


def create_database(
    url: str,
    *,
    pool_size: int = 10,
    transaction_pooling: bool = False,
    direct_url: str | None = None,
) -> Database:
    """Create the engine (psycopg 3, asyncio) and the session factory.

    ``transaction_pooling``: ``url`` leads to a transaction pooler (PgBouncer's
    ``pool_mode=transaction``), where consecutive transactions of one connection may run on
    different server connections, so nothing may outlive a transaction there: no prepared
    statements, no startup options, no LISTEN. ``direct_url`` (straight to PostgreSQL) is then
    used for LISTEN only; without it, other processes' tasks are found by polling.
    """
    # psycopg prepares a statement on the server after it ran a few times; behind a transaction
    # pooler the next run may land on a server connection that never saw it.
    connect_args: dict[str, object] = {"prepare_threshold": None} if transaction_pooling else {}
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args=connect_args,
    )
    # Its own pool, so acks never wait behind the worker's transactions for a connection; no
    # overflow, because overflow connections were opened and closed again all through a burst.
    # Its connections skip the tasks trigger's NOTIFY (migration 0004): a NOTIFY serialises
    # commits database-wide, so the ack path announces new tasks after committing instead. A
    # pooler cannot pass that startup option on (PgBouncer refuses it), so behind one the
    # trigger notifies as it does for every other connection.
    autocommit = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=False,
        isolation_level="AUTOCOMMIT",
        connect_args=(
            connect_args if transaction_pooling else {"options": "-c coachbot.defer_notify=on"}
        ),
    )
    # A session class of this database's own, so its commit hook reaches only its listeners.
    session_class = type("CoachbotSession", (Session,), {})
    sessions = async_sessionmaker(engine, expire_on_commit=False, sync_session_class=session_class)
    listen = direct_url or (None if transaction_pooling else url)
    db = Database(engine, sessions, autocommit, _psycopg_url(listen) if listen else None)

    @event.listens_for(session_class, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(TASKS_ENQUEUED, False):
            db.tasks_committed()

    @event.listens_for(session_class, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(TASKS_ENQUEUED, None)

    return db


def _psycopg_url(url: str) -> str:
    """``url`` as psycopg itself takes it (no SQLAlchemy driver name)."""
    parsed = make_url(async_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def alembic_config() -> Config:
    """An Alembic configuration pointing at the bundled migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    # One transaction under a transaction-level advisory lock: concurrent start-ups of several
    # processes migrate one at a time, and the lock ends with the transaction. A session-level
    # lock would span transactions, which a transaction pooler may run on different server
    # connections: the unlock would miss, and the lock would outlive the migration.
    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        config = alembic_config()
        config.attributes["connection"] = connection
        # Alembic runs the migrations inside the transaction it finds open.
        command.upgrade(config, "head")


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
    database_url: str | None,
    data_dir: Path,
    *,
    pool_size: int = 10,
    transaction_pooling: bool = False,
    direct_url: str | None = None,
) -> Database:
    """Start or connect to the database and migrate it: the one call the entry points make.

    ``transaction_pooling`` and ``direct_url`` apply to a configured ``database_url`` (see
    ``create_database``); the embedded server is always reached directly.
    """
    url = await asyncio.to_thread(resolve_url, database_url, data_dir)
    pooled = transaction_pooling and database_url is not None
    db = create_database(
        url,
        pool_size=pool_size,
        transaction_pooling=pooled,
        direct_url=direct_url if pooled else None,
    )
    await migrate(db)
    return db
