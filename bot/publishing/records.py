"""Recording delivery attempts, and completing a draft when its last target is settled.

Outcomes are recorded after the Slack calls returned (never across them), several per short
write transaction. The draft rows are locked first, so on PostgreSQL two recorders settling
the last two entries of a draft take turns and exactly one of them sees "all settled".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.enums import AudienceKind, DraftStatus, OutboxStatus
from bot.policy.model import MessagesPolicy, Policy
from bot.publishing.retry import judge
from bot.reminders.schedule import after_publish
from storage.models import Draft, Incident, OutboxEntry

ACTOR = "bot"
UNSETTLED = (OutboxStatus.PENDING.value, OutboxStatus.IN_FLIGHT.value)


@dataclass(frozen=True)
class Attempt:
    """How one attempt ended: a message ts, or an error code (and the fix for humans)."""

    ts: str | None = None
    code: str = ""
    fix: str = ""
    reconciled: bool = False  # found in the channel from an earlier attempt; not posted again
    at: datetime | None = None  # when Slack answered (recorded as delivered_at; recording may lag)


@dataclass(frozen=True)
class Recorded:
    status: str  # the entry's new status ("" when another sender had taken the entry over)
    draft_finished: bool = False


async def record_attempts(
    session: AsyncSession,
    outcomes: list[tuple[OutboxEntry, Attempt]],
    now: datetime,
    policy: Policy,
) -> list[Recorded]:
    """Record several attempts in one transaction (each is a few milliseconds on SQLite)."""
    drafts = await _lock_drafts(session, {entry.draft_id for entry, _ in outcomes})
    recorded = [
        await _record(session, entry, attempt, drafts, now, policy.messages) for entry, attempt in outcomes
    ]
    touched = {(e.draft_id, e.version) for (e, _), r in zip(outcomes, recorded, strict=True) if r.status}
    finished = {
        (draft_id, version)
        for draft_id, version in sorted(touched)
        if draft_id in drafts and await _finish_if_settled(session, drafts[draft_id], version, now, policy)
    }
    return [
        Recorded(r.status, draft_finished=(e.draft_id, e.version) in finished)
        for (e, _), r in zip(outcomes, recorded, strict=True)
    ]


async def record_attempt(
    session: AsyncSession, entry: OutboxEntry, attempt: Attempt, now: datetime, policy: Policy
) -> Recorded:
    (recorded,) = await record_attempts(session, [(entry, attempt)], now, policy)
    return recorded


async def _record(
    session: AsyncSession,
    entry: OutboxEntry,
    attempt: Attempt,
    drafts: dict[int, Draft],
    now: datetime,
    messages: MessagesPolicy,
) -> Recorded:
    status, values = _new_state(entry, attempt, now, messages)
    mine = col(OutboxEntry.status) == OutboxStatus.IN_FLIGHT, col(OutboxEntry.attempts) == entry.attempts
    if status == OutboxStatus.DELIVERED:  # a copy exists: record it even if our lease ran out
        mine = (col(OutboxEntry.status).in_(UNSETTLED),)
    changed = await session.exec(
        update(OutboxEntry).where(OutboxEntry.id == entry.id, *mine).values(**values)
    )
    if changed.rowcount == 0:
        return Recorded(status="")
    if status == OutboxStatus.FAILED:
        draft = drafts.get(entry.draft_id)
        _audit(session, draft, now, AuditAction.DELIVERY_FAILED, **_failure_details(entry, attempt))
    return Recorded(status=status)


def _new_state(
    entry: OutboxEntry, attempt: Attempt, now: datetime, messages: MessagesPolicy
) -> tuple[str, dict[str, Any]]:
    if attempt.ts is not None:
        values = {"message_ts": attempt.ts, "delivered_at": attempt.at or now, "last_error": ""}
        return OutboxStatus.DELIVERED, {
            "status": OutboxStatus.DELIVERED.value,
            "claimed_until": None,
            **values,
        }
    verdict = judge(attempt.code, entry.attempts, now, messages)
    status = OutboxStatus.FAILED if verdict.give_up else OutboxStatus.PENDING
    return status, {
        "status": status.value,
        "claimed_until": None,
        "next_attempt_at": verdict.next_attempt_at,
        "last_error": attempt.code[:500],
    }


async def _lock_drafts(session: AsyncSession, draft_ids: set[int]) -> dict[int, Draft]:
    """Lock the drafts (in id order, so two recorders never deadlock) and read them fresh."""
    statement = (
        select(Draft).where(col(Draft.id).in_(sorted(draft_ids))).order_by(col(Draft.id)).with_for_update()
    )
    drafts = (await session.exec(statement, execution_options={"populate_existing": True})).all()
    return {draft.id: draft for draft in drafts if draft.id is not None}


async def _finish_if_settled(
    session: AsyncSession, draft: Draft, version: int, now: datetime, policy: Policy
) -> bool:
    """Every entry of the draft's current version delivered or failed: the draft is published."""
    if draft.status != DraftStatus.APPROVED or draft.version != version:
        return False
    of_version = OutboxEntry.draft_id == draft.id, OutboxEntry.version == version
    unsettled = select(func.count(col(OutboxEntry.id))).where(
        *of_version, col(OutboxEntry.status).in_(UNSETTLED)
    )
    if (await session.exec(unsettled)).one():
        return False
    entries = (await session.exec(select(OutboxEntry).where(*of_version).order_by(col(OutboxEntry.id)))).all()
    await complete(session, draft, list(entries), now, policy)
    return True


async def complete(
    session: AsyncSession, draft: Draft, entries: list[OutboxEntry], now: datetime, policy: Policy
) -> None:
    """Mark the draft published (also used when a version has nothing to deliver) and audit it."""
    correction = draft.published_version is not None
    previous = draft.published_version
    draft.status = DraftStatus.PUBLISHED.value
    draft.published_version = draft.version
    draft.updated_at = now
    session.add(draft)
    await _promise_next_update(session, draft, policy, now)
    delivered = [
        {"target": e.target, "ts": e.message_ts} for e in entries if e.status == OutboxStatus.DELIVERED
    ]
    failed = [{"target": e.target, "code": e.last_error} for e in entries if e.status == OutboxStatus.FAILED]
    action = AuditAction.MESSAGE_CORRECTED if correction else AuditAction.MESSAGE_PUBLISHED
    extra = {"previous_version": previous} if correction else {}
    _audit(session, draft, now, action, version=draft.version, delivered=delivered, failed=failed, **extra)


async def _promise_next_update(session: AsyncSession, draft: Draft, policy: Policy, now: datetime) -> None:
    """The newest published customer message's "next update" promise becomes the incident's due time.

    A message without a promise (e.g. the resolution notice) leaves one cadence until the next.
    """
    if draft.audience_kind != AudienceKind.CUSTOMER:
        return
    newer = select(func.count(col(Draft.id))).where(
        Draft.incident_id == draft.incident_id,
        Draft.audience_kind == AudienceKind.CUSTOMER.value,
        col(Draft.published_version).is_not(None),
        col(Draft.id) > draft.id,
    )
    if (await session.exec(newer)).one() == 0:
        incident = await session.get(Incident, draft.incident_id)
        if incident is not None:
            after_publish(incident, draft.next_update_at, policy, now)
            incident.version += 1
            session.add(incident)


def _failure_details(entry: OutboxEntry, attempt: Attempt) -> dict[str, Any]:
    return {
        "version": entry.version,
        "target": entry.target,
        "operation": entry.action,
        "code": attempt.code,
        "attempts": entry.attempts,
    }


def _audit(
    session: AsyncSession, draft: Draft | None, now: datetime, action: AuditAction, **details: Any
) -> None:
    if draft is None:
        return
    audit.record(
        session, incident_id=draft.incident_id, actor=ACTOR, action=action, at=now, draft=draft.id, **details
    )
