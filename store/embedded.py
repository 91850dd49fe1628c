"""The embedded PostgreSQL 16 + pgvector server used when no DATABASE_URL is configured."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

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
        try:
            pgdata.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(pgdata, cleanup_mode="stop")
            server.psql("CREATE EXTENSION IF NOT EXISTS vector;")
        except PermissionError as exc:
            raise DatabaseSetupError(
                f"Cannot use the data folder {pgdata}: {exc.strerror}. Set DATA_DIR to a writable "
                "folder, or DATABASE_URL to a PostgreSQL server with pgvector."
            ) from None
        log.info("embedded PostgreSQL running with data in %s", pgdata)
        _servers[pgdata] = server
    return str(_servers[pgdata].get_uri())


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
