"""comms SLOs: whether an incident's missed first-update target was said, and the lease saying it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.add_column(
            sa.Column(
                "first_update_breach",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(
            sa.Column("first_update_lease_until", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    # incidents declared before this revision are not told about a target they never had
    op.execute("UPDATE incident SET first_update_breach = 'moot'")


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("first_update_lease_until")
        batch.drop_column("first_update_breach")
