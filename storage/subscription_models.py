"""Tables of customers' own e-mail subscriptions (never in the policy file).

A `subscriber` is a confirmed address: it is written only when its owner confirms a signed
link, and deleted when they unsubscribe. A `subscription_request` is one confirmation e-mail
asked for on the form: what the link would confirm, and what the hourly limits count (by
hashed address and client address). Requests older than a day are pruned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.types import utc_field as _utc


class Subscriber(SQLModel, table=True):
    __tablename__ = "subscriber"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=320)
    address_key: str = Field(
        max_length=64, unique=True, index=True
    )  # HMAC of the address: its links' capability
    components: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # [] = all
    confirmed_at: datetime = _utc()
    created_at: datetime = _utc()
    source: str = Field(default="form", max_length=10)  # form | import


class SubscriptionRequest(SQLModel, table=True):
    __tablename__ = "subscription_request"
    __table_args__ = (Index("ix_subscription_request_created", "created_at"),)

    id: str = Field(primary_key=True, max_length=32)  # random; signed into the confirmation link
    address: str = Field(max_length=320)
    address_hash: str = Field(max_length=64, index=True)
    client_hash: str = Field(max_length=64, index=True)
    components: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sent: bool = Field(default=False)  # False: refused by a limit (counted per client, never mailed)
    created_at: datetime = _utc()
    expires_at: datetime = _utc()
