"""maintenance changes: an extension or cancellation waiting for approval, with its customer text

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 20:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("maintenance") as batch:
        batch.add_column(sa.Column("change", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("maintenance") as batch:
        batch.drop_column("change")
