"""Alembic environment: migrations run on a connection handed over by ``store.database``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import store.models  # noqa: F401  (registers every table)
from store.base import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(str(url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
