"""Tables of scheduled maintenance (bot/maintenance): one row per announced window of planned work."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.types import utc_field as _utc


class MaintenanceStatus(StrEnum):
    """`pending` waits for approval; the rest are Statuspage's words (`cancelled` is never listed)."""

    PENDING = "pending"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class MaintenanceWindow(SQLModel, table=True):
    """Planned work: its window, components and the three customer texts approved together.

    Its messages are drafts of a private host incident (`incident_id`), so they travel through
    the outbox like any approved message and never appear as an incident on the status page.
    A transition is the UPDATE that claims it (status and time in the WHERE), so it runs once.
    """

    __tablename__ = "maintenance"
    __table_args__ = (Index("ix_maintenance_due", "status", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    source_key: str = Field(max_length=128, unique=True)  # the form's view id: one per submission
    title: str = Field(max_length=150)
    starts_at: datetime = _utc()
    ends_at: datetime = _utc()
    components: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    expected_impact: str = Field(max_length=1500)
    owner_id: str = Field(max_length=64)
    status: str = Field(max_length=12)
    version: int = Field(default=1)  # the texts' version the approver sees
    texts: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )  # stage -> text
    checks: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    blocking: bool = Field(default=False)
    drafts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # published
    # an extension or cancellation waiting for approval: kind, until, text, checks, blocking, by
    change: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    approved_by: str = Field(default="", max_length=64)
    approval_channel_id: str | None = Field(default=None, max_length=64)
    approval_ts: str | None = Field(default=None, max_length=255)
    reminded_at: datetime | None = _utc(default=None)
    started_at: datetime | None = _utc(default=None)
    completed_at: datetime | None = _utc(default=None)
    cancelled_at: datetime | None = _utc(default=None)
    next_nag_at: datetime | None = _utc(default=None)  # overrun: when the owner is nagged again
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
