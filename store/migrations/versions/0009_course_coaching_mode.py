"""courses.coaching_mode: a course's coaching mode (answer, hint or socratic), NULL = the default

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("courses", sa.Column("coaching_mode", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("courses", "coaching_mode")
