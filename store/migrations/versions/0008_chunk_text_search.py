"""chunks.search_vector for full-text search (GIN), and per-course lexeme counts

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of store.models.content.SEARCH_VECTOR as it was when this revision was written: a
# migration must keep building the same column whatever the model says later.
_HEAD = (
    "coalesce('Day ' || (location->>'day'), '') || ' ' || coalesce(location->>'day_title', '')"
    " || ' ' || coalesce(location->>'chapter_title', '') || ' ' || coalesce('Lab ' || "
    "(location->>'lab_id'), '') || ' ' || coalesce(location->>'lab_title', '') || ' ' || "
    "coalesce(section, '')"
)
_BODY = r"regexp_replace(text, '([[:alnum:]_])\.(?=[[:alpha:]_])', '\1 ', 'g')"
_BODY_KEYWORDS = (
    r"regexp_replace(text, '\m(?!(all|and|any|as|for|from|if|in|is|not|or|while|with)\M)"
    r"[[:alnum:]_]+', ' ', 'gi')"
)
SEARCH_VECTOR = (
    f"setweight(to_tsvector('english'::regconfig, {_HEAD}), 'A') || "
    f"setweight(to_tsvector('simple'::regconfig, {_HEAD}), 'A') || "
    f"setweight(to_tsvector('english'::regconfig, {_BODY}), 'B') || "
    f"setweight(to_tsvector('simple'::regconfig, {_BODY_KEYWORDS}), 'B')"
)

# How many chunks of each course hold each lexeme, and (lexeme '') how many chunks the course
# has: the document frequencies text search weighs words by. Statement triggers with transition
# tables keep them exact for every write, COPY included, at one aggregate per statement.
_COUNT_FUNCTION = """
CREATE FUNCTION chunks_count_lexemes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE course_lexemes AS counted SET chunks = counted.chunks - gone.chunks
        FROM (
            SELECT course_id, lexeme, count(*) AS chunks
            FROM old_chunks, unnest(old_chunks.search_vector) GROUP BY course_id, lexeme
            UNION ALL
            SELECT course_id, '', count(*) FROM old_chunks GROUP BY course_id
        ) AS gone
        WHERE counted.course_id = gone.course_id AND counted.lexeme = gone.lexeme;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO course_lexemes AS counted (course_id, lexeme, chunks)
        SELECT course_id, lexeme, count(*)
        FROM new_chunks, unnest(new_chunks.search_vector) GROUP BY course_id, lexeme
        UNION ALL
        SELECT course_id, '', count(*) FROM new_chunks GROUP BY course_id
        ON CONFLICT (course_id, lexeme)
        DO UPDATE SET chunks = counted.chunks + excluded.chunks;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM course_lexemes
        WHERE chunks <= 0 AND course_id IN (SELECT DISTINCT course_id FROM old_chunks);
    END IF;
    RETURN NULL;
END
$$
"""
_TRIGGERS = {
    "chunks_count_lexemes_insert": "AFTER INSERT ON chunks REFERENCING NEW TABLE AS new_chunks",
    "chunks_count_lexemes_update": (
        "AFTER UPDATE ON chunks REFERENCING OLD TABLE AS old_chunks NEW TABLE AS new_chunks"
    ),
    "chunks_count_lexemes_delete": "AFTER DELETE ON chunks REFERENCING OLD TABLE AS old_chunks",
}


def upgrade() -> None:
    # Adding a stored generated column rewrites the table once, filling it for existing rows.
    op.add_column(
        "chunks",
        sa.Column(
            "search_vector", postgresql.TSVECTOR(), sa.Computed(SEARCH_VECTOR, persisted=True)
        ),
    )
    op.create_index("ix_chunks_search_vector", "chunks", ["search_vector"], postgresql_using="gin")
    op.create_table(
        "course_lexemes",
        sa.Column(
            "course_id",
            sa.Integer(),
            sa.ForeignKey(
                "courses.id", ondelete="CASCADE", name="fk_course_lexemes_course_id_courses"
            ),
            nullable=False,
        ),
        sa.Column("lexeme", sa.Text(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("course_id", "lexeme", name="pk_course_lexemes"),
    )
    op.execute(
        "INSERT INTO course_lexemes (course_id, lexeme, chunks) "
        "SELECT course_id, lexeme, count(*) FROM chunks, unnest(chunks.search_vector) "
        "GROUP BY course_id, lexeme "
        "UNION ALL SELECT course_id, '', count(*) FROM chunks GROUP BY course_id"
    )
    op.execute(_COUNT_FUNCTION)
    for name, when in _TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT "
            "EXECUTE FUNCTION chunks_count_lexemes()"
        )


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON chunks")
    op.execute("DROP FUNCTION chunks_count_lexemes()")
    op.drop_table("course_lexemes")
    op.drop_index("ix_chunks_search_vector", table_name="chunks")
    op.drop_column("chunks", "search_vector")
