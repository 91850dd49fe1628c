"""A real PgBouncer in transaction pooling mode in front of the test PostgreSQL.

``./scripts/test`` installs Debian's ``pgbouncer`` package when it can; a machine without it
fails these tests (with how to install it) rather than skipping them, since a skipped test
cannot fail.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import psycopg
import pytest
from sqlalchemy import make_url

from store.database import Database, create_database

# Debian and Ubuntu install it here, outside an ordinary user's PATH.
DEBIAN_BINARY = Path("/usr/sbin/pgbouncer")
DATABASE_NAME = "coachbot"

INSTALL_HINT = (
    "pgbouncer is not installed, so the tests that run the bot through PgBouncer cannot run. "
    "Install it (Debian/Ubuntu: `sudo apt-get install -y pgbouncer`; macOS: "
    "`brew install pgbouncer`), or set PGBOUNCER to its path. ./scripts/test installs it itself "
    "when it runs as root or with password-less sudo."
)


def find_pgbouncer() -> str:
    """The pgbouncer binary; fails the test, saying how to install it, when there is none."""
    configured = os.environ.get("PGBOUNCER")
    if configured:
        if not Path(configured).is_file():
            pytest.fail(f"PGBOUNCER={configured} is not a file. {INSTALL_HINT}")
        return configured
    found = shutil.which("pgbouncer") or (str(DEBIAN_BINARY) if DEBIAN_BINARY.is_file() else None)
    if found is None:
        pytest.fail(INSTALL_HINT)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class PgBouncer:
    """``pgbouncer`` in ``pool_mode=transaction`` in front of the server at ``server_url``.

    Clients connect over TCP without a password (``auth_type=trust``); PgBouncer logs in to
    PostgreSQL as the URL's user. ``server_round_robin`` hands consecutive transactions of one
    client to different server connections whenever the pool has several, so anything that
    relies on session state across transactions breaks here as it would under load.
    """

    def __init__(self, server_url: str) -> None:
        server = make_url(server_url)
        host = server.host or str(server.query.get("host") or "/tmp")
        self._server = {
            "host": host,
            "port": str(server.port or 5432),
            "dbname": server.database or "postgres",
            "user": server.username or "postgres",
        }
        if server.password:
            self._server["password"] = str(server.password)
        self.user = self._server["user"]
        self.port = _free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="coachbot-pgbouncer-"))
        self.log = self._dir / "pgbouncer.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The URL clients use (SQLAlchemy's psycopg form)."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _write_config(self) -> Path:
        server = " ".join(f"{key}={_quote(value)}" for key, value in self._server.items())
        userlist = self._dir / "userlist.txt"
        userlist.write_text(f'"{self.user}" ""\n')
        ini = self._dir / "pgbouncer.ini"
        ini.write_text(
            "\n".join(
                [
                    "[databases]",
                    f"{DATABASE_NAME} = {server}",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {userlist}",
                    "pool_mode = transaction",
                    "server_round_robin = 1",
                    "max_client_conn = 1000",
                    "default_pool_size = 20",
                    f"logfile = {self.log}",
                    f"pidfile = {self._dir / 'pgbouncer.pid'}",
                    "",
                ]
            )
        )
        return ini

    def _command(self, binary: str, ini: Path) -> list[str]:
        if os.geteuid() != 0:
            return [binary, str(ini)]
        # PgBouncer refuses to run as root. It runs as the owner of the server's socket folder
        # (the embedded server's user), who can reach the socket, or else as nobody.
        host = Path(self._server["host"])
        owner = host.stat().st_uid if host.is_absolute() and host.exists() else None
        user = "nobody" if not owner else _user_name(owner)
        uid = owner or _uid_of(user)
        for path in (self._dir, *self._dir.iterdir()):
            os.chown(path, uid, -1)
        return [binary, "-u", user, str(ini)]

    def start(self, timeout: float = 30) -> Self:
        """Start PgBouncer and wait until a query through it succeeds."""
        command = self._command(find_pgbouncer(), self._write_config())
        output = self._dir / "stdout.log"
        with output.open("ab") as out:
            self._proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        conninfo = f"host=127.0.0.1 port={self.port} dbname={DATABASE_NAME} user={self.user}"
        while True:
            if self._proc.poll() is not None:
                raise AssertionError(f"pgbouncer exited:\n{self._logs()}")
            try:
                with psycopg.connect(conninfo, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return self
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"pgbouncer did not answer:\n{self._logs()}") from None
                time.sleep(0.05)

    def _logs(self) -> str:
        parts = [
            p.read_text(errors="replace")[-3000:] for p in (self._dir / "stdout.log", self.log)
        ]
        return "\n".join(part for part in parts if part)

    def stop(self) -> None:
        """Stop PgBouncer (at once: open client connections are closed) and remove its files."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(10)
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _user_name(uid: int) -> str:
    return pwd.getpwuid(uid).pw_name


def _uid_of(name: str) -> int:
    return pwd.getpwnam(name).pw_uid


def pooled_database(
    pgbouncer: PgBouncer, *, direct_url: str | None, pool_size: int = 10
) -> Database:
    """A bot process's database through ``pgbouncer``: LISTEN on ``direct_url``, or polling."""
    return create_database(
        pgbouncer.url, pool_size=pool_size, transaction_pooling=True, direct_url=direct_url
    )
