"""scheduled maintenance: one row per window of planned work; draft stages up to 32 characters

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("draft") as batch:
        batch.alter_column("stage", type_=sa.String(32), existing_type=sa.String(20), existing_nullable=False)
    op.create_table(
        "maintenance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incident.id"), nullable=False, index=True),
        sa.Column("source_key", sa.String(128), nullable=False, unique=True),
        sa.Column("title", sa.String(150), nullable=False),
        _moment("starts_at", False),
        _moment("ends_at", False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("expected_impact", sa.String(1500), nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("blocking", sa.Boolean(), nullable=False),
        sa.Column("drafts", sa.JSON(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("approval_channel_id", sa.String(64), nullable=True),
        sa.Column("approval_ts", sa.String(255), nullable=True),
        _moment("reminded_at"),
        _moment("started_at"),
        _moment("completed_at"),
        _moment("cancelled_at"),
        _moment("next_nag_at"),
        _moment("created_at", False),
        _moment("updated_at", False),
    )
    op.create_index("ix_maintenance_due", "maintenance", ["status", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_maintenance_due", table_name="maintenance")
    op.drop_table("maintenance")
    with op.batch_alter_table("draft") as batch:
        batch.alter_column("stage", type_=sa.String(20), existing_type=sa.String(32), existing_nullable=False)
