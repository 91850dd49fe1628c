"""one query per learner message: queries.message_id unique

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A message answered twice before this index keeps its first query; the later ones lose
    # their link to the message (NULL, as for old rows: a unique index allows many NULLs).
    op.execute(
        "UPDATE queries SET message_id = NULL WHERE message_id IS NOT NULL AND id <> "
        "(SELECT min(first.id) FROM queries AS first WHERE first.message_id = queries.message_id)"
    )
    op.drop_index("ix_queries_message_id", table_name="queries")
    op.create_index("ix_queries_message_id", "queries", ["message_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_queries_message_id", table_name="queries")
    op.create_index("ix_queries_message_id", "queries", ["message_id"])
