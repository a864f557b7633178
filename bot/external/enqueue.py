"""Queueing e-mails and webhook events of an approved message, inside the approval transaction.

`Publisher.enqueue` calls `ExternalEnqueuer.enqueue` in the transaction that approves the
draft, so a message is queued for e-mail and webhooks exactly when (and only when) it is
approved; nothing else ever adds message deliveries. A first publication goes to the
audience's recipients; a correction goes to everyone the first publication was queued for
(except where it failed for good), as a short "Correction:" e-mail or `message.corrected` event.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.enums import OutboxStatus
from bot.external.audience import EMAIL, WEBHOOK, email_recipients, webhook_recipients
from bot.policy.model import Policy
from bot.subscriptions.recipients import with_subscribers
from storage.channel_models import ExternalDelivery
from storage.models import Draft, Incident

PUBLISHED, CORRECTED = "message.published", "message.corrected"
INSERT_CHUNK = 500  # rows per INSERT (SQLite allows 32,766 bound values in one statement)


class ExternalEnqueuer:
    def __init__(self, policy: Policy, clock: Clock) -> None:
        self.policy, self.clock = policy, clock

    async def enqueue(self, session: AsyncSession, incident: Incident, draft: Draft) -> int:
        """Queue `draft.version` for its e-mail and webhook recipients; returns how many were new."""
        if draft.published_version is None:
            event = PUBLISHED
            listed = email_recipients(self.policy.email, incident, draft)
            emails = await with_subscribers(session, self.policy, incident, draft, listed)
            targets = [(EMAIL, a) for a in emails]
            targets += [(WEBHOOK, n) for n in webhook_recipients(self.policy.webhooks, incident, draft)]
        else:
            event = CORRECTED
            targets = await first_recipients(session, draft.id)
        key = f"draft-{draft.id}.v{draft.version}.{event.rpartition('.')[2]}"
        rows = [
            new_row(
                incident.id,
                channel,
                recipient,
                event,
                key,
                self.clock.now(),
                draft_id=draft.id,
                version=draft.version,
                message_id=message_id(key, recipient, self.policy.email.domain) if channel == EMAIL else None,
            )
            for channel, recipient in targets
        ]
        return await insert_new(session, rows)


async def first_recipients(session: AsyncSession, draft_id: int | None) -> list[tuple[str, str]]:
    """(channel, recipient) the draft's first publication was queued for, unless it failed there."""
    statement = (
        select(ExternalDelivery.channel, ExternalDelivery.recipient)
        .where(
            ExternalDelivery.draft_id == draft_id,
            ExternalDelivery.event == PUBLISHED,
            ExternalDelivery.status != OutboxStatus.FAILED.value,
        )
        .order_by(col(ExternalDelivery.id))
    )
    return [(channel, recipient) for channel, recipient in (await session.exec(statement)).all()]


def message_id(event_key: str, recipient: str, domain: str) -> str:
    """Stable per event and recipient, so a resend after a crash carries the same Message-ID."""
    digest = hashlib.sha256(recipient.casefold().encode()).hexdigest()[:16]
    return f"<{event_key}.{digest}@{domain}>"


def new_row(
    incident_id: int | None,
    channel: str,
    recipient: str,
    event: str,
    event_key: str,
    now: datetime,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "channel": channel,
        "recipient": recipient,
        "event": event,
        "event_key": event_key,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
        "version": 0,
        **extra,
    }


async def insert_new(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Insert the rows the unique constraint does not already hold; returns how many were new."""
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    columns = sorted({key for row in rows for key in row})
    added = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        values = [{key: row.get(key) for key in columns} for row in rows[start : start + INSERT_CHUNK]]
        statement = (
            insert(ExternalDelivery)
            .values(values)
            .on_conflict_do_nothing(index_elements=["event_key", "channel", "recipient"])
            .returning(ExternalDelivery.id)
        )
        added += len((await session.exec(statement)).all())
    return added
