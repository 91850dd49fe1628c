"""session_stops: clicks on the agent session's stop button, and the answer each one stopped

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "session_stops",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("event_ts", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_session_stops_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name="fk_session_stops_message_id_messages",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_session_stops"),
        sa.UniqueConstraint("conversation_id", "event_ts", name="uq_session_stops_event"),
    )
    op.create_index(
        "ix_session_stops_conversation_id_id", "session_stops", ["conversation_id", "id"]
    )
    op.create_index("ix_session_stops_message_id", "session_stops", ["message_id"])


def downgrade() -> None:
    op.drop_table("session_stops")
