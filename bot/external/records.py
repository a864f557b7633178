"""Recording e-mail and webhook attempts in short transactions, after the network call returned.

A temporary failure (SMTP 4xx, webhook 5xx/408/429, timeouts, dropped connections) is retried
with the outbox's backoff (`messages.retry_backoff`, doubled per attempt) up to
`messages.max_delivery_attempts`; anything else fails at once. Failures are audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.enums import OutboxStatus
from bot.policy.model import MessagesPolicy
from storage.channel_models import ExternalDelivery

ACTOR = "bot"
UNSETTLED = (OutboxStatus.PENDING.value, OutboxStatus.IN_FLIGHT.value)


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: delivered (no code), or an error code, the server's words, retry or not."""

    code: str = ""  # smtp_550, http_500, timeout, connection_error …
    detail: str = ""
    retry: bool = False
    at: datetime | None = None  # when the server accepted it

    @property
    def delivered(self) -> bool:
        return not self.code


async def record(
    session: AsyncSession,
    row: ExternalDelivery,
    outcome: Outcome,
    now: datetime,
    messages: MessagesPolicy,
    shown: Callable[[str], str] = str,  # how the audit trail names the recipient (a subscriber: hashed)
) -> str:
    """The row's new status; "" when another sender had taken it over (its outcome is theirs)."""
    mine = (col(ExternalDelivery.status) == OutboxStatus.IN_FLIGHT, ExternalDelivery.attempts == row.attempts)
    if outcome.delivered:  # it was sent: record it even if our lease ran out meanwhile
        status = OutboxStatus.DELIVERED
        mine = (col(ExternalDelivery.status).in_(UNSETTLED),)
        values: dict[str, Any] = {"delivered_at": outcome.at or now, "last_error": ""}
    else:
        give_up = not outcome.retry or row.attempts >= messages.max_delivery_attempts
        status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
        delay = messages.retry_backoff * 2 ** max(row.attempts - 1, 0)
        error = f"{outcome.code}: {outcome.detail}" if outcome.detail else outcome.code
        values = {"next_attempt_at": now if give_up else now + delay, "last_error": error[:500]}
    changed = await session.exec(
        update(ExternalDelivery)
        .where(col(ExternalDelivery.id) == row.id, *mine)
        .values(status=status.value, claimed_until=None, **values)
    )
    if changed.rowcount == 0:
        return ""
    if status == OutboxStatus.FAILED:
        audit.record(
            session,
            incident_id=row.incident_id,
            actor=ACTOR,
            action=AuditAction.DELIVERY_FAILED,
            at=now,
            draft=row.draft_id,
            version=row.version,
            channel=row.channel,
            target=f"{'e-mail' if row.channel == 'email' else 'webhook'} {shown(row.recipient)}",
            recipient=shown(row.recipient),
            event=row.event,
            code=outcome.code,
            attempts=row.attempts,
        )
    return status.value
