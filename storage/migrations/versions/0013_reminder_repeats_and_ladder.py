"""reminders: repeats while overdue, the escalation ladder, pauses that end (issue 18)

The reminder unique constraint gains `step` (a tier's index, a repeat's number); the incident
remembers the repeats and tiers done for its due time, the first nag's ts (repeats thread under
it) and when a pause began. SQLite alters constraints in batch mode (the table is rebuilt), so
the partial index on sending reminders is dropped first and made again after.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("incident_id", "due_at", "stage", "channel_id")
NEW = ("incident_id", "due_at", "stage", "step", "channel_id")


def _sending_index(create: bool) -> None:
    if create:
        op.create_index(
            "ix_reminder_sending",
            "reminder",
            ["claimed_until"],
            postgresql_where=sa.text("status = 'sending'"),
            sqlite_where=sa.text("status = 'sending'"),
        )
    else:
        op.drop_index("ix_reminder_sending", table_name="reminder")


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("reminder_repeats", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("reminder_tiers", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("reminder_thread_ts", sa.String(length=255), nullable=True))
        batch.add_column(
            sa.Column("reminders_paused_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    # the one escalation of before is the ladder's first tier, done
    op.execute(
        "UPDATE incident SET reminder_stage = 'due', reminder_tiers = 1 WHERE reminder_stage = 'escalation'"
    )
    _sending_index(create=False)
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("step", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_constraint("uq_reminder_once", type_="unique")
        batch.create_unique_constraint("uq_reminder_step_once", list(NEW))
    _sending_index(create=True)


def downgrade() -> None:
    _sending_index(create=False)
    op.execute("DELETE FROM reminder WHERE step <> 0")
    with op.batch_alter_table("reminder") as batch:
        batch.drop_constraint("uq_reminder_step_once", type_="unique")
        batch.create_unique_constraint("uq_reminder_once", list(OLD))
        batch.drop_column("step")
    _sending_index(create=True)
    op.execute("UPDATE incident SET reminder_stage = 'escalation' WHERE reminder_tiers > 0")
    with op.batch_alter_table("incident") as batch:
        for column in ("reminders_paused_at", "reminder_thread_ts", "reminder_tiers", "reminder_repeats"):
            batch.drop_column(column)
