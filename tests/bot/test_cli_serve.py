"""The ``coachbot`` entry point as a person runs it: real processes, real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

COACHBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_"))}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_help_lists_the_commands() -> None:
    done = subprocess.run([*COACHBOT, "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "serve" in done.stdout


def test_a_missing_token_stops_serve_with_one_friendly_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [*COACHBOT, "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(),
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SLACK_BOT_TOKEN" in lines[0]
    assert "Traceback" not in done.stderr


def test_http_mode_without_a_signing_secret_stops_serve_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [*COACHBOT, "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(SLACK_BOT_TOKEN="xoxb-1", DATA_DIR=str(tmp_path)),
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "SLACK_SIGNING_SECRET" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "pgdata").exists()  # stopped before starting anything


def test_many_workspaces_in_socket_mode_stop_serve_with_one_line(tmp_path: Path) -> None:
    env = _clean_env(
        SLACK_CLIENT_ID="1.2",
        SLACK_CLIENT_SECRET="shh",
        SLACK_SIGNING_SECRET="s",
        SLACK_APP_TOKEN="xapp-1",
        DATA_DIR=str(tmp_path),
    )
    done = subprocess.run(
        [*COACHBOT, "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "HTTP mode" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "pgdata").exists()


def test_an_invalid_setting_names_the_variable(tmp_path: Path) -> None:
    env = _clean_env(
        SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", ESCALATION_CONFIDENCE_THRESHOLD="2"
    )
    done = subprocess.run(
        [*COACHBOT, "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("coachbot: ESCALATION_CONFIDENCE_THRESHOLD")
    assert "Traceback" not in done.stderr


def test_serve_starts_the_embedded_database_and_answers_health_checks(tmp_path: Path) -> None:
    port = _free_port()
    env = _clean_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [*COACHBOT, "serve", "--port", str(port), "--host", "127.0.0.1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.2)
        assert status == 200, proc.stdout.read() if proc.poll() is not None and proc.stdout else ""
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/slack/events", data=b"{}", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as unsigned:
            urllib.request.urlopen(request, timeout=5)
        assert unsigned.value.code == 401
        assert (tmp_path / "pgdata" / "PG_VERSION").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0
