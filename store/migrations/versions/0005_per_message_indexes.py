"""per-message lookups: queries by message, a conversation's latest response

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every learner message looks up its query by message id (a re-run must not answer twice).
    op.create_index("ix_queries_message_id", "queries", ["message_id"])
    # The latest response of a conversation: one index step instead of fetch-all-and-sort.
    op.create_index("ix_responses_conversation_id_id", "responses", ["conversation_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_responses_conversation_id_id", table_name="responses")
    op.drop_index("ix_queries_message_id", table_name="queries")
