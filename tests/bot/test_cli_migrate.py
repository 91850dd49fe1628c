"""``coachbot migrate``: the one-shot step that migrates a database before replicas start."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from store.database import alembic_config

COACHBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def _run(database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_"))}
    env.update(DATABASE_URL=database_url, DATA_DIR=str(tmp_path))
    return subprocess.run(
        [*COACHBOT, "migrate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=120,
    )


def _plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def empty_database(pg_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server (dropped afterwards)."""
    name = f"coachbot_migrate_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_plain(pg_url), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_plain(pg_url), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_migrate_brings_an_empty_database_to_the_latest_schema_once(
    empty_database: str, tmp_path: Path
) -> None:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    done = _run(empty_database, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "schema is up to date" in done.stdout
    with psycopg.connect(_plain(empty_database)) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        vector = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    assert version == (head,)
    assert vector == (1,)
    again = _run(empty_database, tmp_path)
    assert again.returncode == 0, again.stderr


def test_migrate_says_in_one_line_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    done = _run("postgresql://nobody@127.0.0.1:1/none", tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("coachbot: Cannot reach the database")
