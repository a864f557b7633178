"""The hourly caps on confirmation e-mails: per address, per client address, and in all.

Counted from `subscription_request` rows of the last hour inside the write transaction that
adds the new one. SQLite serialises writers (`BEGIN IMMEDIATE`); on PostgreSQL a transaction
advisory lock does, so concurrent requests cannot both slip under a cap.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, text
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.policy.subscriptions import SubscriptionsPolicy
from storage.subscription_models import SubscriptionRequest

HOUR = timedelta(hours=1)
KEEP = timedelta(days=1)  # requests are kept at least this long (or the link lifetime, if longer)
LOCK_ID = 240024  # pg_advisory_xact_lock key of the subscription limits


async def refusal(
    session: AsyncSession, policy: SubscriptionsPolicy, address_hash: str, client_hash: str, now: datetime
) -> str | None:
    """Which cap this request would break ("ip", "address", "global"), or None."""
    if session.bind.dialect.name == "postgresql":
        await session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=LOCK_ID))
    since = now - HOUR
    recent = col(SubscriptionRequest.created_at) >= since
    if (
        await _count(session, recent, SubscriptionRequest.client_hash == client_hash)
        >= policy.per_ip_per_hour
    ):
        return "ip"
    if await address_count(session, address_hash, now) >= policy.per_address_per_hour:
        return "address"
    sent = col(SubscriptionRequest.sent).is_(True)
    if await _count(session, recent, sent) >= policy.global_per_hour:
        return "global"
    return None


async def address_count(session: AsyncSession, address_hash: str, now: datetime) -> int:
    """Confirmation e-mails sent to one address in the last hour."""
    recent = col(SubscriptionRequest.created_at) >= now - HOUR
    sent = col(SubscriptionRequest.sent).is_(True)
    return await _count(session, recent, sent, SubscriptionRequest.address_hash == address_hash)


async def _count(session: AsyncSession, *conditions) -> int:
    statement = select(func.count()).select_from(SubscriptionRequest).where(*conditions)
    return int((await session.exec(statement)).one())


async def prune(session: AsyncSession, policy: SubscriptionsPolicy, now: datetime) -> None:
    """Forget requests no link can still confirm and no cap still counts."""
    older = now - max(KEEP, policy.link_lifetime)
    await session.exec(delete(SubscriptionRequest).where(col(SubscriptionRequest.created_at) < older))
