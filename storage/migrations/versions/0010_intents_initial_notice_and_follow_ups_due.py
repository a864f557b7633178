"""intents: the initial notice and the follow-ups owed, recorded with the change that causes them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("initial_notice_due_at", "follow_ups_due_at")


def upgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
