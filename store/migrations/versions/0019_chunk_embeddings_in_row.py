"""chunks.embedding kept in its row (storage MAIN), existing rows rewritten

pgvector gives ``vector`` EXTERNAL storage, so PostgreSQL moves an embedding out of its row as
soon as the row passes about 2 kB: a 384-dimension embedding (1,544 bytes) beside a paragraph of
text and its ``search_vector`` does. An exact search reads every embedding of a course, and each
one kept outside its row costs a TOAST index lookup and another page: on a course of 1,500 chunks
the scan read 4,878 buffers, and 378 with the embeddings in their rows (2.0 ms against 0.4 ms).
MAIN keeps the embedding in the row and moves the text and ``search_vector`` out first; an
embedding goes out only when the row cannot fit a page otherwise (above about 2,000 dimensions).

The new storage applies to rows written from now on, so existing rows are rewritten with a copy
of their embedding. Their text and location do not change, so the trigger that counts lexemes
(0008) is paused for that statement: its counts stay right without it.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REWRITE = "UPDATE chunks SET embedding = embedding::real[]::vector"


def _set_storage(storage: str) -> None:
    op.execute(f"ALTER TABLE chunks ALTER COLUMN embedding SET STORAGE {storage}")
    op.execute("ALTER TABLE chunks DISABLE TRIGGER chunks_count_lexemes_update")
    op.execute(_REWRITE)
    op.execute("ALTER TABLE chunks ENABLE TRIGGER chunks_count_lexemes_update")


def upgrade() -> None:
    _set_storage("MAIN")


def downgrade() -> None:
    _set_storage("EXTERNAL")
