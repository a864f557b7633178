"""subscriptions: customers' own confirmed e-mail subscriptions and their confirmation requests

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 20:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subscriber",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
    )
    op.create_index("ix_subscriber_address_key", "subscriber", ["address_key"], unique=True)
    op.create_table(
        "subscription_request",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("sent", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_subscription_request_created", "subscription_request", ["created_at"])
    op.create_index("ix_subscription_request_address_hash", "subscription_request", ["address_hash"])
    op.create_index("ix_subscription_request_client_hash", "subscription_request", ["client_hash"])


def downgrade() -> None:
    op.drop_table("subscription_request")
    op.drop_table("subscriber")
