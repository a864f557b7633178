"""resolution: follow-ups, resolution summary, archiving

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:07:37.416230
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("owner_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("due_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("next_nag_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "kind", "subject", name="uq_follow_up_once"),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(
            "ix_follow_up_nag",
            ["next_nag_at"],
            unique=False,
            postgresql_where=sa.text("next_nag_at IS NOT NULL"),
            sqlite_where=sa.text("next_nag_at IS NOT NULL"),
        )

    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "resolution_summary",
                sqlmodel.sql.sqltypes.AutoString(length=3000),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("archived_at", storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("resolution_summary")

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_follow_up_nag",
            postgresql_where=sa.text("next_nag_at IS NOT NULL"),
            sqlite_where=sa.text("next_nag_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_follow_up_incident_id"))

    op.drop_table("follow_up")
