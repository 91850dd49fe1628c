"""One-shot commands print their own output only: the embedded database stays out of sight."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

COACHBOT = [sys.executable, "-c", "from bot.cli import main; main()"]
SUMMARY = re.compile(r"^tiny: added 1, updated 0, unchanged 0, removed 0 \(1 embedded\)\.$")
# What pgserver logs around every pg_ctl call: the command line and the stdout/stderr separators.
SERVER_NOISE = re.compile(r"pg_ctl|pgserver|^(stdout|stderr):$|^---$", re.MULTILINE)


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "OPENAI_", "EMBEDDING_", "DATABASE_URL"))
    }
    env["DATA_DIR"] = str(data_dir)
    return env


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COACHBOT, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no stray .env
        env=_env(tmp_path / "data"),
        check=False,
        timeout=120,
    )


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    (folder / "day-1-basics").mkdir(parents=True)
    (folder / "day-1-basics" / "01-hello.md").write_text(
        "# Hello\n\nPrint a greeting with the print function.\n", encoding="utf-8"
    )
    return folder


def test_ingest_prints_only_its_summary_and_verbose_shows_the_server(
    tmp_path: Path, course: Path
) -> None:
    quiet = _run(tmp_path, "ingest", str(course), "--course", "tiny")

    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    # Not a terminal, so no progress bar either: the summary is the whole output.
    assert SUMMARY.match(quiet.stdout.strip()), quiet.stdout
    assert quiet.stderr == ""
    assert (tmp_path / "data" / "pgdata" / "PG_VERSION").exists()  # the embedded server did run

    verbose = _run(tmp_path, "ingest", str(course), "--course", "tiny", "--verbose")

    assert verbose.returncode == 0, verbose.stdout + verbose.stderr
    assert "unchanged 1" in verbose.stdout
    assert "pg_ctl" in verbose.stderr
    assert re.search(r"^stdout:$", verbose.stderr, re.MULTILINE)


def test_a_database_that_cannot_start_is_one_line(tmp_path: Path, course: Path) -> None:
    pgdata = tmp_path / "data" / "pgdata"
    pgdata.mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text("16\n")  # looks initialised, but has no configuration

    done = _run(tmp_path, "ingest", str(course), "--course", "tiny")

    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("coachbot: The embedded PostgreSQL server did not start")
    assert "postgresql.conf" in lines[0]  # the server's own reason
    assert not SERVER_NOISE.search(done.stderr)


def test_tasks_and_ask_print_only_their_own_lines(tmp_path: Path) -> None:
    tasks = _run(tmp_path, "tasks")
    ask = _run(tmp_path, "ask", "What is a list?", "--course", "nope")

    assert tasks.returncode == 0, tasks.stderr
    assert tasks.stdout.startswith("tasks: ")
    assert len(tasks.stdout.strip().splitlines()) == 1
    assert tasks.stderr == ""
    assert ask.returncode == 2
    assert ask.stdout == ""
    assert ask.stderr.strip().splitlines() == [
        "coachbot: There is no course 'nope': index it first with coachbot ingest."
    ]
