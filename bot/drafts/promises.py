"""A draft's "next update by" follows the policy: re-derived when a severity change makes it
later than the new cadence allows, and never approved once it has passed.

The new version is the bot's doing, not a new author's: it keeps the previous version's author
(so nobody gains or loses the right to approve it), while earlier approvals, which were given to
another promise, no longer count (approvals belong to a version).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Protocol

from sqlmodel import col, select

from bot.clock import Clock
from bot.comms.drafting_defaults import next_update_default
from bot.comms.drafting_facts import DraftFacts, as_utc
from bot.drafts.records import record_drafted
from bot.drafts.state import locked
from bot.enums import DraftStatus
from bot.errors import Conflict
from bot.policy.model import Policy
from storage.db import Database
from storage.models import Draft, DraftVersion, Incident

BOT = "bot"


class Drafts(Protocol):
    """What re-deriving needs of the draft service (bot/drafts/service.py)."""

    db: Database
    policy: Policy
    clock: Clock

    def build(
        self, incident: Incident, draft: Draft, facts: DraftFacts, author: str, *, number: int
    ) -> DraftVersion: ...


def refuse_expired(draft: Draft, now: datetime) -> None:
    """A promise already in the past cannot go out: the approver is asked to have it edited."""
    if draft.next_update_at is not None and as_utc(draft.next_update_at) <= now:
        promised = as_utc(draft.next_update_at).strftime("%H:%M")
        raise Conflict(
            f"This draft promises the next update by {promised} UTC, which has passed. "
            "Edit it to promise a new time (Edit on this card), then approve the new version."
        )


async def follow_severity(drafts: Drafts, incident_id: int) -> list[int]:
    """Give every pending draft of the incident whose promise is later than its severity's
    cadence now allows a new version promising now + cadence; the ids of the drafts changed."""
    now = drafts.clock.now()
    changed: list[int] = []
    async with drafts.db.write() as session:
        statement = select(Draft.id).where(
            col(Draft.incident_id) == incident_id,
            col(Draft.status) == DraftStatus.PENDING.value,
            col(Draft.next_update_at).is_not(None),
        )
        for draft_id in (await session.exec(statement)).all():
            draft, incident = await locked(session, draft_id)
            promised = draft.next_update_at
            derived = next_update_default(incident, drafts.policy, now)
            if draft.status != DraftStatus.PENDING.value or promised is None or as_utc(promised) <= derived:
                continue
            latest = await _latest(session, draft)
            facts = replace(DraftFacts.from_json(latest.facts), next_update_at=derived)
            draft.version += 1
            draft.next_update_at, draft.updated_at = derived, now
            version = drafts.build(incident, draft, facts, latest.author_id, number=draft.version)
            session.add(version)
            record_drafted(
                session, draft, version, BOT, now, promise=derived.isoformat(), severity=incident.severity
            )
            changed.append(draft_id)
    return changed


async def _latest(session, draft: Draft) -> DraftVersion:
    statement = select(DraftVersion).where(
        col(DraftVersion.draft_id) == draft.id, col(DraftVersion.number) == draft.version
    )
    return (await session.exec(statement)).one()
