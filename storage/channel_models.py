"""Tables of the delivery channels beyond Slack: e-mail and webhook deliveries, Teams conversations
and members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import utc_field as _utc


class ExternalDelivery(SQLModel, table=True):
    """One approved message (or incident event) for one e-mail address or webhook endpoint.

    Kept apart from the Slack outbox. Unique per (event, channel, recipient): the database
    refuses a second copy of an event for a recipient, whatever approvals and sweeps do.
    `event_key` names the event the same way for every recipient ("draft-12.v2.corrected").
    """

    __tablename__ = "external_delivery"
    __table_args__ = (
        UniqueConstraint("event_key", "channel", "recipient", name="uq_external_delivery_once"),
        Index("ix_external_delivery_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    draft_id: int | None = Field(default=None, foreign_key="draft.id", index=True)
    version: int = Field(default=0)  # the draft version delivered (0 for incident events)
    audit_event_id: int | None = Field(default=None, foreign_key="audit_event.id")  # incident events
    channel: str = Field(max_length=10)  # email | webhook
    recipient: str = Field(max_length=320)  # an address, or the webhook's name in the policy
    event: str = Field(max_length=40)  # message.published, message.corrected, incident.resolved …
    event_key: str = Field(max_length=80)
    status: str = Field(max_length=12)  # pending | in_flight | delivered | failed
    attempts: int = Field(default=0)
    next_attempt_at: datetime = _utc()
    claimed_until: datetime | None = _utc(default=None)
    message_id: str | None = Field(default=None, max_length=255)  # e-mail: the stable Message-ID
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = _utc()
    delivered_at: datetime | None = _utc(default=None)


class ExternalCursor(SQLModel, table=True):
    """How far a sweep has read the audit trail (webhooks' incident state-change events)."""

    __tablename__ = "external_cursor"

    name: str = Field(primary_key=True, max_length=40)
    position: int = Field(default=0)  # the last audit_event id handled
    updated_at: datetime = _utc()


class TeamsConversation(SQLModel, table=True):
    """A Teams conversation reference: what a proactive message needs, under a short key.

    Teams conversation ids are long (a channel thread's is ~80 characters); the core keeps
    ids of at most 64, so it stores `key` (`msteams:<hash>`) and the adapter looks it up here.
    """

    __tablename__ = "teams_conversation"

    key: str = Field(primary_key=True, max_length=64)
    conversation_id: str = Field(max_length=500)
    service_url: str = Field(max_length=500)
    tenant_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(default="", max_length=20)  # personal | channel | groupChat
    updated_at: datetime = _utc()


class TeamsMember(SQLModel, table=True):
    """A Teams user as the Bot Connector describes them: how a UPN in the policy or a form, and a
    display name in a mention, are tied to the Entra object id the user acts under."""

    __tablename__ = "teams_member"

    object_id: str = Field(primary_key=True, max_length=64)  # Entra object id, without `msteams:`
    upn: str = Field(default="", max_length=320, index=True)  # lowercased; "" when not given
    name: str = Field(default="", max_length=256)  # display name
    guest: bool = False  # a guest or anonymous user, or one of another tenant: never linked by e-mail
    updated_at: datetime = _utc()
