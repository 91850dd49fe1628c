"""Fixtures of the reliability tests: PgBouncer in front of the test PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.pgbouncer import PgBouncer


@pytest.fixture(scope="session")
def pgbouncer(pg_url: str) -> Iterator[PgBouncer]:
    """A PgBouncer in transaction pooling mode in front of the session's database."""
    with PgBouncer(pg_url) as bouncer:
        yield bouncer
