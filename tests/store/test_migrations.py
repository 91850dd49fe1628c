"""Migrations: upgrading to head creates what the models declare."""

from __future__ import annotations

import uuid

from alembic import command
from sqlalchemy import Connection, make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from store.database import Database, alembic_config
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


async def _add_course(conn: AsyncConnection, slug: str) -> int:
    """A course of workspace T in the connection's transaction; its id."""
    added = await conn.execute(
        text("INSERT INTO courses (team_id, slug, title) VALUES ('T', :slug, :slug) RETURNING id"),
        {"slug": slug},
    )
    return int(added.scalar_one())


async def test_head_computes_the_search_vector_the_model_declares(database: Database) -> None:
    async with database.engine.connect() as conn:
        trans = await conn.begin()
        course = await _add_course(conn, "mig")
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


_INSERT_CHUNK = (
    "INSERT INTO chunks (team_id, course_id, source_path, anchor, ordinal, location, text, "
    "content_hash, token_estimate, embedding, embedding_model, updated_at) "
    "VALUES ('T', :course, 'a.md', :anchor, 0, '{}'::jsonb, 'Short text.', 'h', 1, "
    "CAST(:embedding AS vector), 'm', now())"
)
# 512 dimensions take 2,052 bytes, more than a row keeps before PostgreSQL moves values out.
_WIDE = "[" + ",".join(f"{(i * 7919 % 1000) / 1000 + 0.0001 * i:.6f}" for i in range(512)) + "]"


async def _out_of_row_values(conn: AsyncConnection) -> int:
    """How many values of the chunks table over 1 kB live in its TOAST table, out of their rows.

    (Small ones may go too: PostgreSQL moves the text and search vector out first.)
    """
    toast = (
        await conn.execute(
            text(
                "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = 'chunks'::regclass"
            )
        )
    ).scalar_one()
    values = await conn.execute(
        text(
            f"SELECT count(*) FROM (SELECT chunk_id FROM {toast} GROUP BY chunk_id "
            "HAVING sum(length(chunk_data)) > 1000) AS big"
        )
    )
    return int(values.scalar_one())


async def test_head_keeps_a_chunks_embedding_in_its_row(database: Database) -> None:
    # An exact search reads every embedding of a course: one kept out of its row costs two more
    # page reads each (bench/retrieval_bench.py).
    async with database.engine.connect() as conn:
        trans = await conn.begin()
        course = await _add_course(conn, "wide")
        before = await _out_of_row_values(conn)
        await conn.execute(
            text(_INSERT_CHUNK), {"course": course, "anchor": "a", "embedding": _WIDE}
        )
        after = await _out_of_row_values(conn)
        await trans.rollback()
    assert after == before


async def test_upgrade_moves_stored_embeddings_into_their_rows(pg_url: str) -> None:
    name = f"coachbot_storage_{uuid.uuid4().hex[:8]}"
    server = create_async_engine(pg_url, isolation_level="AUTOCOMMIT")
    async with server.connect() as conn:
        await conn.execute(text(f"CREATE DATABASE {name}"))
    engine = create_async_engine(make_url(pg_url).set(database=name))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
            await conn.run_sync(_upgrade_to, "0018")
            course = await _add_course(conn, "old")
            for anchor in ("a", "b"):
                await conn.execute(
                    text(_INSERT_CHUNK), {"course": course, "anchor": anchor, "embedding": _WIDE}
                )
        async with engine.connect() as conn:
            stored_out = await _out_of_row_values(conn)
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade_to, "head")
            lexemes = (
                await conn.execute(
                    text("SELECT chunks FROM course_lexemes WHERE course_id = :c AND lexeme = ''"),
                    {"c": course},
                )
            ).scalar_one()
        async with engine.connect() as conn:
            left_out = await _out_of_row_values(conn)
            kept = (await conn.execute(text("SELECT count(*) FROM chunks"))).scalar_one()
    finally:
        await engine.dispose()
        async with server.connect() as conn:
            await conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        await server.dispose()
    assert (stored_out, left_out) == (2, 0)
    # The rows are the same rows: the course still counts two chunks.
    assert (kept, lexemes) == (2, 2)


def _upgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
