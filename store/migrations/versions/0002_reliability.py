"""reliability: task request ids, failure alerts and cross-process wake-ups

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A NOTIFY sent by a trigger is delivered when the enqueueing transaction commits, and not at all
# if it rolls back: every process's worker wakes at once without polling, and only for real work.
_NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION coachbot_tasks_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('coachbot_tasks', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.add_column("tasks", sa.Column("request_id", sa.String(length=64), nullable=True))
    op.add_column("tasks", sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_tasks_failed",
        "tasks",
        ["finished_at"],
        postgresql_where=sa.text("status = 'failed'"),
    )
    op.execute(sa.text(_NOTIFY_FUNCTION))
    op.execute(
        sa.text(
            "CREATE TRIGGER tasks_enqueued AFTER INSERT ON tasks "
            "FOR EACH STATEMENT EXECUTE FUNCTION coachbot_tasks_notify()"
        )
    )
    # A finished task unblocks the next task of its ordering key, possibly in another process.
    op.execute(
        sa.text(
            "CREATE TRIGGER tasks_finished AFTER UPDATE OF status ON tasks "
            "FOR EACH ROW WHEN (OLD.status = 'running' AND NEW.status <> 'running') "
            "EXECUTE FUNCTION coachbot_tasks_notify()"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("DROP TRIGGER IF EXISTS tasks_finished ON tasks"))
    op.execute(sa.text("DROP TRIGGER IF EXISTS tasks_enqueued ON tasks"))
    op.execute(sa.text("DROP FUNCTION IF EXISTS coachbot_tasks_notify()"))
    op.drop_index("ix_tasks_failed", table_name="tasks")
    op.drop_column("tasks", "alerted_at")
    op.drop_column("tasks", "request_id")
