"""Tables. One SQLModel class per record the communications model names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Incident(SQLModel, table=True):
    """The incident summary: facts, roles, status, where it lives in chat."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_live", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="slack", max_length=16)
    title: str = Field(max_length=200)
    what_happened: str = Field(max_length=3000)
    customer_impact: str = Field(max_length=3000)
    severity: str = Field(max_length=20)
    status: str = Field(max_length=20)
    status_note: str = Field(default="", max_length=3000)
    visibility: str = Field(max_length=10)
    segments: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    named_accounts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reporter_id: str = Field(max_length=64)
    commander_id: str = Field(max_length=64)
    comms_owner_id: str = Field(max_length=64)
    origin_channel_id: str | None = Field(default=None, max_length=64)
    channel_id: str | None = Field(default=None, max_length=64, index=True)
    channel_name: str | None = Field(default=None, max_length=80)
    intro_ts: str | None = Field(default=None, max_length=32)
    setup_complete: bool = Field(default=False)
    source_key: str = Field(max_length=128, unique=True)
    declared_at: datetime = _utc()
    updated_at: datetime = _utc()
    resolved_at: datetime | None = _utc(default=None)
    version: int = Field(default=1)


class AuditEvent(SQLModel, table=True):
    """Who did what, when: every state change of an incident and its messages."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    actor_id: str = Field(max_length=64)
    action: str = Field(max_length=40)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = _utc()


class ProcessedRequest(SQLModel, table=True):
    """Idempotency keys of inbound requests already handled (event_id, view id, trigger id)."""

    __tablename__ = "processed_request"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_processed_request_kind_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    key: str = Field(max_length=128)
    at: datetime = _utc()
