"""``coachbot tasks``: an operator queues failed tasks again, one or all, once fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from store.database import Database
from tests.harness import reset_database

COACHBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def _run(pg_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_"))}
    env.update(DATABASE_URL=pg_url, DATA_DIR=str(tmp_path))
    return subprocess.run(
        [*COACHBOT, "tasks", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=120,
    )


async def _failed(database: Database, n: int) -> None:
    async with database.sessions.begin() as session:
        for i in range(n):
            await session.execute(
                text(
                    "INSERT INTO tasks (team_id, kind, payload, ordering_key, status, attempts, "
                    "finished_at, last_error) "
                    "VALUES ('T0FAKE001', 'slack.call', '{}', :key, 'failed', 3, now(), 'boom')"
                ),
                {"key": f"test:{i}"},
            )


async def _statuses(database: Database) -> list[str]:
    async with database.engine.connect() as conn:
        rows = await conn.execute(text("SELECT status FROM tasks ORDER BY id"))
        return [row[0] for row in rows]


async def test_retry_failed_queues_every_failed_task_again(
    database: Database, pg_url: str, tmp_path: Path
) -> None:
    await reset_database(database)
    await _failed(database, 3)
    done = _run(pg_url, tmp_path, "--retry-failed")
    assert done.returncode == 0, done.stderr
    assert "3 failed tasks are queued again" in done.stdout
    assert await _statuses(database) == ["pending"] * 3
    again = _run(pg_url, tmp_path, "--retry-failed")
    assert again.returncode == 0, again.stderr
    assert "No failed tasks." in again.stdout


async def test_retry_one_and_retry_all_do_not_mix(
    database: Database, pg_url: str, tmp_path: Path
) -> None:
    await reset_database(database)
    done = _run(pg_url, tmp_path, "--retry", "1", "--retry-failed")
    assert done.returncode == 2
    assert "not both" in done.stderr
