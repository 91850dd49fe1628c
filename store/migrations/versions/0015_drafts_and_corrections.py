"""reply_drafts and ai_corrections; faq_entries.demoted_chunk_ids

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column[datetime]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "reply_drafts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("escalation_id", sa.BigInteger(), nullable=False),
        sa.Column("trainer_id", sa.String(length=32), nullable=False),
        sa.Column("view_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("draft_text", sa.Text(), nullable=True),
        sa.Column("sent_text", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_reply_drafts_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_drafts")),
    )
    op.create_index(
        op.f("ix_reply_drafts_escalation_id"), "reply_drafts", ["escalation_id"], unique=False
    )
    op.create_table(
        "ai_corrections",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("response_id", sa.BigInteger(), nullable=True),
        sa.Column("escalation_id", sa.BigInteger(), nullable=False),
        sa.Column("trainer_id", sa.String(length=32), nullable=False),
        sa.Column("correction", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("chunk_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_ai_corrections_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_ai_corrections_response_id_responses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_corrections")),
    )
    op.create_index(
        op.f("ix_ai_corrections_escalation_id"), "ai_corrections", ["escalation_id"], unique=False
    )
    op.create_index(
        op.f("ix_ai_corrections_response_id"), "ai_corrections", ["response_id"], unique=False
    )
    op.add_column(
        "faq_entries",
        sa.Column(
            "demoted_chunk_ids",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("faq_entries", "demoted_chunk_ids")
    op.drop_index(op.f("ix_ai_corrections_response_id"), table_name="ai_corrections")
    op.drop_index(op.f("ix_ai_corrections_escalation_id"), table_name="ai_corrections")
    op.drop_table("ai_corrections")
    op.drop_index(op.f("ix_reply_drafts_escalation_id"), table_name="reply_drafts")
    op.drop_table("reply_drafts")
