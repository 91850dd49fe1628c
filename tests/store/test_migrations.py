"""Migrations: upgrading to head creates what the models declare."""

from __future__ import annotations

from sqlalchemy import text

from store.database import Database
from store.models.content import SEARCH_VECTOR


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


async def test_head_computes_the_search_vector_the_model_declares(database: Database) -> None:
    async with database.engine.connect() as conn:
        trans = await conn.begin()
        course = (
            await conn.execute(
                text(
                    "INSERT INTO courses (team_id, slug, title) VALUES ('T', 'mig', 'M') "
                    "RETURNING id"
                )
            )
        ).scalar_one()
        await conn.execute(
            text(
                "INSERT INTO chunks (team_id, course_id, source_path, anchor, ordinal, location, "
                "section, text, content_hash, token_estimate, embedding, embedding_model, "
                "updated_at) "
                "VALUES ('T', :course, 'a.md', 'a', 0, CAST(:location AS jsonb), 'Slicing', "
                "'Use lst.append(x) for while loops.', 'h', 1, '[1,0]', 'm', now())"
            ),
            {
                "course": course,
                "location": '{"day": 2, "day_title": "Lists", "lab_id": "2.1", '
                '"lab_title": "FizzBuzz", "section": "Slicing"}',
            },
        )
        # The model's expression, evaluated on the row, equals what the database stored.
        same = await conn.execute(
            text(
                f"SELECT search_vector = ({SEARCH_VECTOR}), search_vector::text FROM chunks "
                "WHERE course_id = :course"
            ),
            {"course": course},
        )
        [(equal, stored)] = same.tuples().all()
        indexes = await conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_chunks_search_vector'")
        )
        definition = indexes.scalar_one()
        await trans.rollback()
    assert equal
    # The method called on a name, a keyword kept as written, the lab's title and id.
    assert [w for w in ("'append':", "'while':", "'fizzbuzz':", "'2.1':") if w not in stored] == []
    assert "USING gin (search_vector)" in definition
