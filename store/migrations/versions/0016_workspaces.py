"""Workspaces: the workspaces table, its admins, and team_id on every workspace's row

Rows stored before are left unassigned (team_id ''); a single-workspace deployment adopts them
into its workspace when it starts (bot.workspaces.adoption).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table holding one workspace's rows (store.tenancy.WorkspaceOwned).
OWNED = (
    "courses",
    "chunks",
    "index_runs",
    "conversations",
    "messages",
    "queries",
    "responses",
    "feedback",
    "reply_drafts",
    "ai_corrections",
    "escalations",
    "audit_events",
    "faq_entries",
    "gap_summaries",
    "escalation_insights",
    "tasks",
    "trainers",
    "trainer_courses",
    "enrolments",
    "personas",
    "session_stops",
    "answer_streams",
)
_TRAINER_REFS = (
    ("trainer_courses", "CASCADE"),
    ("personas", "CASCADE"),
    ("enrolments", "SET NULL (trainer_id)"),
)


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("trainer_channel_id", sa.String(length=32), nullable=True),
        sa.Column("installed_by", sa.String(length=32), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uninstalled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_workspaces")),
    )
    op.create_table(
        "workspace_admins",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_workspace_admins")),
    )
    for table in OWNED:
        # A constant default fills existing rows without rewriting the table; it is dropped so
        # that an INSERT that forgets the workspace fails instead of landing nowhere.
        op.execute(f"ALTER TABLE {table} ADD COLUMN team_id varchar(32) NOT NULL DEFAULT ''")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN team_id DROP DEFAULT")

    for table, _ in _TRAINER_REFS:
        op.drop_constraint(f"fk_{table}_trainer_id_trainers", table, type_="foreignkey")
    op.drop_constraint("pk_trainers", "trainers", type_="primary")
    op.create_primary_key("pk_trainers", "trainers", ["team_id", "slack_user_id"])
    for table, on_delete in _TRAINER_REFS:
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_team_id_trainers "
            "FOREIGN KEY (team_id, trainer_id) REFERENCES trainers (team_id, slack_user_id) "
            # A trainer adopted into a workspace takes its allocations along (adoption).
            f"ON DELETE {on_delete} ON UPDATE CASCADE"
        )

    op.drop_constraint("uq_courses_slug", "courses", type_="unique")
    op.create_unique_constraint("uq_courses_team_slug", "courses", ["team_id", "slug"])
    op.drop_constraint("uq_conversations_thread", "conversations", type_="unique")
    op.create_unique_constraint(
        "uq_conversations_thread", "conversations", ["team_id", "channel_id", "thread_ts"]
    )
    op.drop_constraint("uq_messages_event_id", "messages", type_="unique")
    op.create_unique_constraint("uq_messages_team_event", "messages", ["team_id", "event_id"])
    op.drop_constraint("uq_tasks_dedupe_key", "tasks", type_="unique")
    op.create_unique_constraint("uq_tasks_team_dedupe", "tasks", ["team_id", "dedupe_key"])
    op.create_index("ix_escalations_team_status", "escalations", ["team_id", "status"])
    op.create_index("ix_enrolments_team_id", "enrolments", ["team_id"])


def downgrade() -> None:
    raise NotImplementedError("workspaces cannot be merged back into one")
