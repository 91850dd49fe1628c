"""Shared fixtures: a real PostgreSQL (embedded pgserver) per test session, migrated once."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from store.database import Database, create_database, migrate
from store.embedded import async_url, start_embedded
from store.tenancy import in_workspace

if TYPE_CHECKING:
    from tests.harness import BotHarness

# Tests never read a developer's .env or environment by accident.
for _name in list(os.environ):
    if _name.startswith(("SLACK_", "OPENAI_", "EMBEDDING_", "DATABASE_URL", "SMTP_")):
        del os.environ[_name]


@pytest.fixture(autouse=True)
def workspace() -> Iterator[str]:
    """Tests run as work of the fake Slack's workspace unless they choose another."""
    from tests.harness import TEAM_ID

    with in_workspace(TEAM_ID) as team:
        yield team


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL 16 + pgvector server private to this test session."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield async_url(external)
        return
    with tempfile.TemporaryDirectory(prefix="coachbot-test-") as tmp:
        yield async_url(start_embedded(Path(tmp)))


@pytest.fixture(scope="session")
async def database(pg_url: str) -> AsyncIterator[Database]:
    """A migrated database shared by the session's tests."""
    db = create_database(pg_url, pool_size=20)
    await migrate(db)
    yield db
    await db.close()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session whose work is rolled back after the test, so tests never see each other."""
    async with database.engine.connect() as conn:
        trans = await conn.begin()
        sess = AsyncSession(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield sess
        finally:
            await sess.close()
            await trans.rollback()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for tests: no external services, data under the test's temp dir."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test-token",  # type: ignore[arg-type]
        slack_signing_secret="test-signing-secret",  # type: ignore[arg-type]
        trainer_channel_id="C0TRAINERS",
        admin_user_ids=["UADMIN"],
        data_dir=tmp_path / "data",
    )


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[BotHarness]:
    """A running bot on an empty database, with fresh fake Slack and fake LLM servers."""
    from tests.harness import reset_database, running_bot

    await reset_database(database)
    async with running_bot(database) as harness:
        yield harness
