"""longer message ids (Teams activity ids in personal chats are ~46 characters)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 18:10:00.000000
"""

from collections.abc import Sequence

import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("incident", "intro_ts"),
    ("draft", "approval_ts"),
    ("outbox_entry", "message_ts"),
    ("reminder", "message_ts"),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=32),
                type_=sqlmodel.sql.sqltypes.AutoString(length=255),
                existing_nullable=True,
            )


def downgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=255),
                type_=sqlmodel.sql.sqltypes.AutoString(length=32),
                existing_nullable=True,
            )
