"""Migrations: upgrading to head creates what the models declare."""

from __future__ import annotations

from sqlalchemy import text

from store.database import Database


async def test_head_indexes_the_per_message_lookups(database: Database) -> None:
    async with database.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename IN ('queries', 'responses')"
            )
        )
        indexes = dict(rows.tuples().all())
    assert "(message_id)" in indexes["ix_queries_message_id"]
    assert "(conversation_id, id)" in indexes["ix_responses_conversation_id_id"]
