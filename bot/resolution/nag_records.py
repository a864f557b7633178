"""The database side of follow-up nags: claim due items, read each one's attempt, record the outcome.

A nag's state is the item's `next_nag_at` (while a nag is being posted, the claim's short
lease; after it, the next nag) and the audit trail: `follow_up.nagged` once a nag reached the
incident channel and the owner, `follow_up.nag_failed` for each failed attempt (which targets
failed; `gave_up` after the last quick retry). A failed nag is tried again after
`RETRY_AFTER`, at most `QUICK_RETRIES` times, and only for the targets it missed; then the
normal `nag_every` cadence resumes. A sender that dies mid-nag leaves its lease to run out, and
the next sweep takes the nag again. The nag's number (1, 2, … per item) names its marker, so
each attempt first looks in the channel for a copy an earlier one may have landed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import claims
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.enums import FollowUpStatus
from bot.resolution.follow_up_plan import title_of
from storage.db import Database
from storage.models import AuditEvent, FollowUp

ACTOR = "incident-comms"
LEASE = timedelta(minutes=2)  # long enough to post to a channel and a DM
RETRY_AFTER = timedelta(minutes=1)
QUICK_RETRIES = 3
CHANNEL, OWNER = "channel", "owner"
TARGETS = (CHANNEL, OWNER)
ENDED = {AuditAction.FOLLOW_UP_NAGGED.value}  # plus failures that gave up


@dataclass(frozen=True)
class Nag:
    """One claimed nag: which one it is for its item, which attempt, whom it must still reach."""

    item: FollowUp
    number: int
    attempt: int  # 1: the first try of this nag
    targets: tuple[str, ...]
    lease_until: datetime

    @property
    def marker(self) -> str:
        return f"follow-up-nag:{self.item.id}:{self.number}"


async def claim(db: Database, now: datetime, limit: int = 100) -> list[Nag]:
    """Overdue open items due a nag, each claimed by one sweep for `LEASE`."""
    async with db.read() as session:
        due = select(FollowUp.id).where(col(FollowUp.next_nag_at) <= now).limit(1)
        if (await session.exec(due)).first() is None:
            return []
    lease_until = now + LEASE
    async with db.write() as session:
        items = await claims.claim(
            session,
            FollowUp,
            due=(col(FollowUp.next_nag_at) <= now, FollowUp.status == FollowUpStatus.OPEN.value),
            order_by=(col(FollowUp.next_nag_at),),
            limit=limit,
            sets={col(FollowUp.next_nag_at): lease_until},
        )
        history = await _history(session, items)
    return [_nag(item, history.get(item.id or 0, []), lease_until) for item in items]


async def _history(session: AsyncSession, items: list[FollowUp]) -> dict[int, list[AuditEvent]]:
    """Each item's nag events (done and failed), oldest first."""
    if not items:
        return {}
    statement = (
        select(AuditEvent)
        .where(col(AuditEvent.incident_id).in_(sorted({i.incident_id for i in items})))
        .where(
            col(AuditEvent.action).in_(
                [AuditAction.FOLLOW_UP_NAGGED.value, AuditAction.FOLLOW_UP_NAG_FAILED.value]
            )
        )
        .order_by(col(AuditEvent.id))
    )
    found: dict[int, list[AuditEvent]] = {}
    for event in (await session.exec(statement)).all():
        found.setdefault(int((event.details or {}).get("follow_up") or 0), []).append(event)
    return found


def _nag(item: FollowUp, events: list[AuditEvent], lease_until: datetime) -> Nag:
    ended = [i for i, e in enumerate(events) if e.action in ENDED or (e.details or {}).get("gave_up")]
    failures = events[ended[-1] + 1 :] if ended else events
    targets = tuple(failures[-1].details.get("failed") or TARGETS) if failures else TARGETS
    return Nag(item, len(ended) + 1, len(failures) + 1, targets, lease_until)


async def record(db: Database, nag: Nag, failed: dict[str, str], now: datetime, nag_every: timedelta) -> bool:
    """Record how the nag went and when the next try is; True when it gave up on quick retries."""
    gave_up = bool(failed) and nag.attempt > QUICK_RETRIES
    async with db.write() as session:
        item = await session.get(FollowUp, nag.item.id, with_for_update=True, populate_existing=True)
        if item is None:
            return False
        if item.status == FollowUpStatus.OPEN and item.next_nag_at == nag.lease_until:
            item.next_nag_at = now + (RETRY_AFTER if failed and not gave_up else nag_every)
        details = {"follow_up": item.id, "owner": item.owner_id, "title": title_of(item.kind, item.subject)}
        if failed:
            details |= {"failed": sorted(failed), "codes": failed, "attempt": nag.attempt, "gave_up": gave_up}
        action = AuditAction.FOLLOW_UP_NAG_FAILED if failed else AuditAction.FOLLOW_UP_NAGGED
        audit.record(session, incident_id=item.incident_id, actor=ACTOR, action=action, at=now, **details)
    return gave_up
