"""people: e-mail links between platform ids, the person behind each approval, Teams guests

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_link",
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=330), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("linked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index(op.f("ix_person_link_email"), "person_link", ["email"], unique=False)
    with op.batch_alter_table("approval") as batch:
        batch.add_column(
            sa.Column(
                "person", sqlmodel.sql.sqltypes.AutoString(length=330), nullable=False, server_default=""
            )
        )
    op.execute("UPDATE approval SET person = approver_id")
    with op.batch_alter_table("teams_member") as batch:
        batch.add_column(sa.Column("guest", sa.Boolean(), nullable=False, server_default=sa.false()))
    # rows stored before the connector's userRole was read are not known to be members: no
    # e-mail link for them until their next lookup (at most a day later) says what they are
    op.execute("UPDATE teams_member SET guest = true")


def downgrade() -> None:
    with op.batch_alter_table("teams_member") as batch:
        batch.drop_column("guest")
    with op.batch_alter_table("approval") as batch:
        batch.drop_column("person")
    op.drop_index(op.f("ix_person_link_email"), table_name="person_link")
    op.drop_table("person_link")
