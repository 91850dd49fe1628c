"""ack path: index the backlog of unfinished tasks per learner

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every learner DM counts that learner's unfinished messages (flood control) before it is
    # acknowledged; without this index that count scanned every open task of the kind.
    op.create_index(
        "ix_tasks_open_by_user",
        "tasks",
        ["kind", sa.text("(payload->>'user_id')")],
        postgresql_where=sa.text("status IN ('pending', 'running')"),
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_open_by_user", table_name="tasks")
