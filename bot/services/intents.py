"""Work owed by a state change, recorded in its transaction and carried out once, even after a crash.

- **Initial notice** (`Incident.initial_notice_due_at`, written by the declaration): after the
  set-up the task that ran it claims the notice (one conditional UPDATE pushes the time on by
  NOTICE_LEASE); a set-up resumed at start-up holds it from its own claim. The start-up and the
  cadence sweep take over a notice still owed whose set-up is complete and whose lease ran out
  RESUME_AFTER ago, e.g. after a crash or a deploy between the set-up and the draft. Whoever
  holds it drafts the notice unless an initial customer draft is stored already (the crash came
  after it), then clears the intent. Idle sweeps only read.
- **Set-up handed off** (`Incident.setup_complete` false, written by the declaration): a web
  process (bot/services/roles.py) records the incident and answers; a worker claims it at once
  (`set_up_handed_off`: one `UPDATE … RETURNING` with `SKIP LOCKED` marks it taken and holds its
  notice), sets it up and drafts the notice. A worker that dies mid-way leaves the channel to
  the start-up resume of a set-up marked incomplete only before the claim (the same window as
  a resumed set-up).
- **Follow-ups** (`Incident.follow_ups_due_at`, written by an edit that resolves): created and
  cleared in one transaction under the incident's row lock, by the edit's own task or by the
  sweep (`ResolutionFlow.owed_follow_ups`), whichever comes first.

Remaining windows: a crash after the notice's approval card was posted and before its message
id was stored posts the card again; a crash after follow-ups were created and before the
channel was told leaves that notice (and the resolved customer draft) unsent, as for
`/incident resolve`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import text, update
from sqlmodel import col, select

from bot.claims import claim
from bot.enums import AudienceKind, DraftStatus, Stage
from bot.errors import DomainError, PlatformError
from bot.incidents.setup import NOTICE_LEASE, RESUME_AFTER
from storage.models import Draft, Incident

if TYPE_CHECKING:
    from bot.services.core import Core

log = logging.getLogger(__name__)
BATCH = 50
WAKE_CHANNEL = "incident_comms_work"  # LISTENed to by workers (handlers/wake.py)


async def claim_notices(core: Core, now: datetime, *, incident_id: int | None = None) -> list[int]:
    """Initial notices owed and free, held for NOTICE_LEASE: the set-up task's own (`incident_id`)
    at once (its channel is open, the other set-up steps go on alongside), others only once their
    set-up is complete and RESUME_AFTER later (their set-up task may still be on its way)."""
    hold = {col(Incident.initial_notice_due_at): now + NOTICE_LEASE}
    if incident_id is not None:  # the set-up task's own: waits for the row (set-up steps write it)
        own = update(Incident).where(
            col(Incident.id) == incident_id, col(Incident.initial_notice_due_at) <= now
        )
        async with core.db.write() as session:
            return list((await session.exec(own.values(hold).returning(col(Incident.id)))).scalars())
    due = [col(Incident.initial_notice_due_at) <= now - RESUME_AFTER, col(Incident.setup_complete).is_(True)]
    return await _claim_incidents(core, due, hold)


async def draft_notice(core: Core, incident_id: int) -> None:
    """Draft the held initial notice once: an initial draft already stored is shown instead."""
    incident = await core.incidents.get(incident_id)
    if incident.initial_notice_due_at is None:
        return
    existing = await _initial_draft(core, incident_id)
    if existing is None:
        await core.messages.draft_initial(incident)
    elif existing.approval_ts is None and existing.status in (DraftStatus.PENDING, DraftStatus.APPROVED):
        log.info("showing the initial notice of incident %s stored before a restart", incident_id)
        await core.messages.settle(existing.id)
    await core.incidents.update_fields(incident_id, initial_notice_due_at=None)


async def notice_after_set_up(core: Core, incident_id: int) -> None:
    """The set-up task's own step, once the channel exists: claim the notice (unless a sweep has
    it), then draft it."""
    if await claim_notices(core, core.clock.now(), incident_id=incident_id):
        await draft_notice(core, incident_id)


async def claim_set_ups(core: Core, now: datetime) -> list[int]:
    """Set-ups a web process left to the workers, each taken by one worker, its notice held."""
    sets = {col(Incident.setup_complete): True, col(Incident.initial_notice_due_at): now + NOTICE_LEASE}
    return await _claim_incidents(core, [col(Incident.setup_complete).is_(False)], sets)


async def _claim_incidents(core: Core, due: list, sets: dict) -> list[int]:
    """Claim up to `BATCH` incidents matching `due`; sweeps ask several times a second, so a
    read comes first and the write transaction only when something is due."""
    async with core.db.read() as session:
        if (await session.exec(select(Incident.id).where(*due).limit(1))).first() is None:
            return []
    async with core.db.write() as session:
        return await claim(
            session,
            Incident,
            due=due,
            sets=sets,
            limit=BATCH,
            order_by=(col(Incident.id),),
            returning=(col(Incident.id),),
        )


async def set_up_handed_off(core: Core, now: datetime | None = None) -> int:
    """A worker's sweep: set up each claimed incident (concurrently), drafting its notice once its
    channel exists."""
    claimed = await claim_set_ups(core, now or core.clock.now())

    async def one(incident_id: int) -> None:
        try:
            await core.setup.run(incident_id, channel_ready=partial(draft_notice, core))
        except (DomainError, PlatformError):
            log.exception("the set-up of incident %s failed after its channel step", incident_id)

    await asyncio.gather(*(one(incident_id) for incident_id in claimed))
    return len(claimed)


async def hand_off(core: Core) -> None:
    """Wake the workers at once (PostgreSQL NOTIFY, after the declaration committed); they poll too."""
    if not core.db.is_sqlite:
        async with core.db.write() as session:
            await session.exec(text(f"NOTIFY {WAKE_CHANNEL}"))


async def resume_at_start(core: Core) -> int:
    """Start-up: set-ups a crash interrupted (each followed by its notice), then what is owed."""
    resumed = await core.setup.resume_unfinished(partial(draft_notice, core))
    return len(resumed) + await sweep_owed(core)


async def sweep_owed(core: Core, now: datetime | None = None) -> int:
    """The sweep: initial notices and follow-ups still owed at `now`; how many were taken on."""
    now = now or core.clock.now()
    notices = await claim_notices(core, now)
    for incident_id in notices:
        log.info("drafting the initial notice owed by incident %s", incident_id)
        try:
            await draft_notice(core, incident_id)
        except (DomainError, PlatformError):
            log.exception("the initial notice of incident %s failed; retried after its lease", incident_id)
    return len(notices) + await core.resolution.owed_follow_ups(now)


async def _initial_draft(core: Core, incident_id: int) -> Draft | None:
    statement = select(Draft).where(
        Draft.incident_id == incident_id,
        Draft.stage == Stage.INITIAL.value,
        Draft.audience_kind == AudienceKind.CUSTOMER.value,
        Draft.audience_key == "customers",
    )
    async with core.db.read() as session:
        return (await session.exec(statement.order_by(col(Draft.id)))).first()
