"""teams members (Entra object id, UPN and display name of the people the bot hears from)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_member",
        sa.Column("object_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("upn", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("object_id"),
    )
    op.create_index(op.f("ix_teams_member_upn"), "teams_member", ["upn"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_teams_member_upn"), table_name="teams_member")
    op.drop_table("teams_member")
