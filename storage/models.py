"""Tables. One SQLModel class per record the communications model names."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4
from weakref import WeakKeyDictionary

from sqlalchemy import JSON, Column, Engine, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import utc_field as _utc

MESSAGE_ID_LENGTH = 255  # Slack timestamps are 17 characters, Teams activity ids up to ~50
_OWNERS: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()


def lease_owner(engine: Engine) -> str:
    """This instance's name on the leases it writes: one per engine (one per app, also in tests)."""
    return _OWNERS.setdefault(engine, uuid4().hex)


def _owner_field() -> Any:
    """`claimed_by`: stamped by every write of the row, so with a live lease it names the claimer."""
    stamp = lambda context: lease_owner(context.engine)  # noqa: E731
    return Field(default=None, sa_column=Column(String(32), default=stamp, onupdate=stamp, nullable=True))


class Incident(SQLModel, table=True):
    """The incident summary: facts, roles, status, where it lives in chat."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_live", "status"),
        Index(
            "ix_incident_next_reminder",
            "next_reminder_at",
            postgresql_where=text("next_reminder_at IS NOT NULL"),
            sqlite_where=text("next_reminder_at IS NOT NULL"),
        ),
    )

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
    # status-page component -> status as declared; public once its notice is approved (bot/status_page)
    components: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    reporter_id: str = Field(max_length=64)
    commander_id: str = Field(max_length=64)
    comms_owner_id: str = Field(max_length=64)
    origin_channel_id: str | None = Field(default=None, max_length=64)
    channel_id: str | None = Field(default=None, max_length=64, index=True)
    channel_name: str | None = Field(default=None, max_length=80)
    intro_ts: str | None = Field(default=None, max_length=MESSAGE_ID_LENGTH)
    setup_complete: bool = Field(default=False)
    source_key: str = Field(max_length=128, unique=True)
    declared_at: datetime = _utc()
    updated_at: datetime = _utc()
    resolved_at: datetime | None = _utc(default=None)
    next_update_due_at: datetime | None = _utc(default=None)  # when the next customer update is due
    due_promised: bool = Field(default=False)  # the due time was promised to customers in an update
    reminder_stage: str = Field(default="", max_length=12)  # heads_up | due: sent for this due time
    reminder_repeats: int = Field(default=0)  # repeats done for this due time (reset by set_due)
    reminder_tiers: int = Field(default=0)  # escalation tiers done for this due time
    reminder_thread_ts: str | None = Field(default=None, max_length=MESSAGE_ID_LENGTH)  # first nag
    next_reminder_at: datetime | None = _utc(default=None)  # when the sweep looks again; NULL = never
    reminders_paused: bool = Field(default=False)
    reminders_paused_at: datetime | None = _utc(default=None)  # a pause ends after `max_pause`
    snoozed_until: datetime | None = _utc(default=None)
    reminder_lease_until: datetime | None = _utc(default=None)  # claimed by a sweep until then
    resolution_summary: str = Field(default="", max_length=3000)  # internal: what fixed it
    archived_at: datetime | None = _utc(default=None)  # channel archived (policy, after resolution)
    # intents, written with the change that causes them (NULL: nothing owed); the time is when a
    # sweep may take one over, pushed on as a lease by whoever works on it (bot/services/intents.py)
    initial_notice_due_at: datetime | None = _utc(default=None)  # the initial notice is to be drafted
    follow_ups_due_at: datetime | None = _utc(default=None)  # resolved by an edit: follow-ups owed
    first_update_breach: str = Field(default="", max_length=8)  # "" not yet, "said", "moot" (bot/slo)
    first_update_lease_until: datetime | None = _utc(default=None)  # a sweep is saying the breach
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
    at: datetime = _utc(index=True)  # pruned after Slack's retry window (bot/idempotency.py)


class SweepRun(SQLModel, table=True):
    """A periodic job's period, claimed by the first instance to insert it; only it does the work."""

    __tablename__ = "sweep_run"
    __table_args__ = (UniqueConstraint("name", "period_start", name="uq_sweep_run_period"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    period_start: datetime = _utc()
    claimed_at: datetime = _utc()


class Draft(SQLModel, table=True):
    """One message of the timeline: (incident, stage, audience), with its versions and approvals."""

    __tablename__ = "draft"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    stage: str = Field(max_length=32)  # maintenance_completed is 21
    audience_kind: str = Field(max_length=20)
    audience_key: str = Field(max_length=100)  # "customers", "internal", or the named account
    status: str = Field(max_length=20, index=True)
    version: int = Field(default=1)  # the current version's number
    published_version: int | None = Field(default=None)
    author_id: str = Field(max_length=64)
    approval_channel_id: str | None = Field(default=None, max_length=64)
    approval_ts: str | None = Field(default=None, max_length=MESSAGE_ID_LENGTH)
    next_update_at: datetime | None = _utc(default=None)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class DraftVersion(SQLModel, table=True):
    """Every version of a draft is kept: the text, the facts it was built from, its checks."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_draft_version_number"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    number: int
    text: str = Field(max_length=40000)
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    checks: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    blocking: bool = Field(default=False)
    author_id: str = Field(max_length=64)
    created_at: datetime = _utc()


class Approval(SQLModel, table=True):
    """A decision on one version; one per approver and version (enforced by the database)."""

    __tablename__ = "approval"
    __table_args__ = (UniqueConstraint("draft_id", "version", "approver_id", name="uq_approval_once"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    version: int
    approver_id: str = Field(max_length=64)
    person: str = Field(default="", max_length=330)  # who approver_id is (bot/access/people.py)
    decision: str = Field(max_length=10)  # approved | rejected
    reason: str = Field(default="", max_length=3000)
    at: datetime = _utc()


class OutboxEntry(SQLModel, table=True):
    """One delivery of one approved version to one target; survives restarts and Slack errors."""

    __tablename__ = "outbox_entry"
    __table_args__ = (
        UniqueConstraint("draft_id", "version", "target", "action", name="uq_outbox_delivery"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    version: int
    target: str = Field(max_length=64)  # channel id
    action: str = Field(max_length=10)  # post | update
    status: str = Field(max_length=12)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = _utc()
    claimed_until: datetime | None = _utc(default=None)
    claimed_by: str | None = _owner_field()  # released at shutdown (bot/services/leases.py)
    # the delivered copy (or the copy to edit)
    message_ts: str | None = Field(default=None, max_length=MESSAGE_ID_LENGTH)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = _utc()
    delivered_at: datetime | None = _utc(default=None)


class Reminder(SQLModel, table=True):
    """One reminder post (heads-up, due, repeat, ladder tier, pause end) for one due time in one
    channel (or a user's DM: `channel_id` is then the user id).

    Unique per (incident, due time, stage, step, channel): the database itself refuses a
    second copy, whatever the sweeps of several instances do.
    """

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint(
            "incident_id", "due_at", "stage", "step", "channel_id", name="uq_reminder_step_once"
        ),
        Index(
            "ix_reminder_sending",
            "claimed_until",
            postgresql_where=text("status = 'sending'"),
            sqlite_where=text("status = 'sending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    stage: str = Field(max_length=12)
    step: int = Field(default=0)  # the tier's index, the repeat's number (ReminderStage)
    due_at: datetime = _utc()
    channel_id: str = Field(max_length=64)
    incident_version: int
    status: str = Field(max_length=10)
    attempts: int = Field(default=1)
    claimed_until: datetime | None = _utc(default=None)
    claimed_by: str | None = _owner_field()  # released at shutdown (bot/services/leases.py)
    message_ts: str | None = Field(default=None, max_length=MESSAGE_ID_LENGTH)
    created_at: datetime = _utc()
    posted_at: datetime | None = _utc(default=None)


class DigestRun(SQLModel, table=True):
    """A scheduled digest slot, claimed by the first instance to insert it; only it posts."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("schedule", "slot_start", name="uq_digest_slot"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule: str = Field(max_length=30)
    slot_start: datetime = _utc()
    claimed_at: datetime = _utc()
    posted_parts: int = Field(default=0)


class FollowUp(SQLModel, table=True):
    """Post-incident work: RCA, service-credit review, renewal risk per account, executive follow-up.

    Unique per (incident, kind, subject): resolving again after a reopen creates no duplicates.
    `next_nag_at` is when the sweep next reminds the owner of an overdue item (NULL: never).
    """

    __tablename__ = "follow_up"
    __table_args__ = (
        UniqueConstraint("incident_id", "kind", "subject", name="uq_follow_up_once"),
        Index(
            "ix_follow_up_nag",
            "next_nag_at",
            postgresql_where=text("next_nag_at IS NOT NULL"),
            sqlite_where=text("next_nag_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    kind: str = Field(max_length=20)
    subject: str = Field(default="", max_length=100)  # the named account, for renewal risk
    owner_id: str = Field(max_length=64)
    due_at: datetime = _utc()
    status: str = Field(max_length=10)
    notes: str = Field(default="", max_length=3000)
    created_at: datetime = _utc()
    completed_at: datetime | None = _utc(default=None)
    completed_by: str = Field(default="", max_length=64)
    next_nag_at: datetime | None = _utc(default=None)


class PersonLink(SQLModel, table=True):
    """A platform id tied to a person by the verified e-mail of a full member (bot/access/people.py)."""

    __tablename__ = "person_link"

    user_id: str = Field(primary_key=True, max_length=330)  # as the core names users (U…, msteams:…)
    email: str = Field(max_length=320, index=True)  # lowercased
    linked_at: datetime = _utc()
    checked_at: datetime = _utc()
