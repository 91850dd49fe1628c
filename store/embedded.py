"""The embedded PostgreSQL 16 + pgvector server used when no DATABASE_URL is configured."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

import psycopg

from store.errors import DatabaseSetupError

log = logging.getLogger(__name__)

# Keeps the server handle alive for the life of the process: pgserver stops the server when the
# last handle of the last process using the data folder goes away.
_servers: dict[Path, Any] = {}


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the embedded server in ``data_dir/pgdata`` and return its URL."""
    import pgserver

    pgdata = (data_dir / "pgdata").resolve()
    if pgdata not in _servers:
        server_log = pgdata / "log"
        log_size = _size(server_log)
        try:
            pgdata.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(pgdata, cleanup_mode="stop")
            _create_vector_extension(str(server.get_uri()))
        except PermissionError as exc:
            raise DatabaseSetupError(
                f"Cannot use the data folder {pgdata}: {exc.strerror}. Set DATA_DIR to a writable "
                "folder, or DATABASE_URL to a PostgreSQL server with pgvector."
            ) from None
        except (
            subprocess.SubprocessError,
            OSError,
            RuntimeError,
            AssertionError,
            psycopg.Error,
        ) as exc:
            # pgserver logs the details (many lines); the user gets the reason in one line: the
            # server's last words when it failed to start, else what failed.
            reason = "" if isinstance(exc, psycopg.Error) else _last_line(server_log, log_size)
            reason = reason or _describe(exc)
            raise DatabaseSetupError(
                f"The embedded PostgreSQL server did not start: {reason} (server log: "
                f"{server_log}). Set DATABASE_URL to use another PostgreSQL server with pgvector."
            ) from exc
        log.info("embedded PostgreSQL running with data in %s", pgdata)
        _servers[pgdata] = server
    return str(_servers[pgdata].get_uri())


def _create_vector_extension(url: str) -> None:
    # Through psycopg rather than pgserver's psql, which lets the server's NOTICE ("extension
    # already exists") through to the terminal; an error arrives as an exception instead.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET client_min_messages = warning")
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _last_line(path: Path, start: int) -> str:
    """The last line the server wrote to its log after byte ``start``, if any (shortened)."""
    try:
        with path.open("rb") as file:
            file.seek(start)
            written = file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in written.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _describe(exc: BaseException) -> str:
    """``exc`` as a short phrase: the program that failed rather than its whole command line."""
    if isinstance(exc, subprocess.CalledProcessError | subprocess.TimeoutExpired):
        cmd = exc.cmd
        program = Path(str(cmd[0] if isinstance(cmd, list | tuple) else cmd).split(" ")[0]).name
        if isinstance(exc, subprocess.TimeoutExpired):
            return f"{program} did not finish within {exc.timeout:g} s"
        return f"{program} exited with status {exc.returncode}"
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def async_url(url: str) -> str:
    """Rewrite any PostgreSQL URL to use the psycopg 3 driver."""
    for prefix in (
        "postgresql+psycopg://",
        "postgresql+psycopg2://",
        "postgresql://",
        "postgres://",
    ):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise DatabaseSetupError(
        "DATABASE_URL must be a PostgreSQL URL such as postgresql://user:password@host:5432/dbname."
    )
