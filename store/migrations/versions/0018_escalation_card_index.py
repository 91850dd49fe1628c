"""An index on the escalation card's message, for replies in a card's thread

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_escalations_card", "escalations", ["card_ts", "card_channel"])


def downgrade() -> None:
    op.drop_index("ix_escalations_card", table_name="escalations")
