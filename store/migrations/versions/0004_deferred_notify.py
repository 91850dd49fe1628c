"""ack path: connections that announce new tasks themselves skip the trigger's NOTIFY

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A transaction that NOTIFYs takes a database-wide lock from pre-commit to the end of its commit,
# WAL flush included, so concurrent acks committed one after another. Connections opened with
# ``coachbot.defer_notify=on`` (the ack path's) skip it here and announce after committing.
_NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION coachbot_tasks_notify() RETURNS trigger AS $$
BEGIN
    IF current_setting('coachbot.defer_notify', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('coachbot_tasks', '');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

_PREVIOUS_FUNCTION = """
CREATE OR REPLACE FUNCTION coachbot_tasks_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('coachbot_tasks', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.execute(sa.text(_NOTIFY_FUNCTION))


def downgrade() -> None:
    op.execute(sa.text(_PREVIOUS_FUNCTION))
