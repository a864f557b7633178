"""Due maintenance work, run by the cadence sweep: the owner's reminder, the start, the completion
and the overrun nag.

Each transition is one claim (`bot/claims.py::claim`: `UPDATE … WHERE status = … AND <time> <= now
… RETURNING id`, `SKIP LOCKED` on PostgreSQL) whose WHERE holds the state it leaves, so two
instances, a second sweep or a restart cannot take it twice; the start or completion text is
queued in that same transaction (the outbox then delivers it once per target). A reminder or a
nag is claimed the same way and posted after the commit: at most once (a crash between the
two loses that one post; a nag comes again `overrun_nag_every` later).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from bot.chat.cards import command_for
from bot.claims import claim
from bot.enums import Stage
from bot.errors import PlatformError
from bot.maintenance import records
from bot.maintenance.cards import overrun_card, reminder_card
from storage.maintenance_models import MaintenanceStatus as S
from storage.maintenance_models import MaintenanceWindow as M
from storage.models import Incident

log = logging.getLogger(__name__)
LIMIT = 50  # maintenances per claim; more wait for the next sweep


def _reminder_due(now: datetime, service: Any) -> list[ColumnElement[bool]]:
    before = service.policy.maintenance.reminder_before
    return [col(M.status) == S.SCHEDULED, col(M.reminded_at).is_(None), col(M.starts_at) <= now + before]


def _start_due(now: datetime) -> list[ColumnElement[bool]]:
    return [col(M.status) == S.SCHEDULED, col(M.starts_at) <= now]


def _end_due(now: datetime) -> list[ColumnElement[bool]]:
    return [col(M.status) == S.IN_PROGRESS, col(M.ends_at) <= now]


def _nag_due(now: datetime) -> list[ColumnElement[bool]]:
    return [*_end_due(now), or_(col(M.next_nag_at).is_(None), col(M.next_nag_at) <= now)]


async def run_due(service: Any, now: datetime) -> int:
    """Everything due at `now`; returns how many owner notes it posted. An idle sweep only reads."""
    if not await _anything_due(service, now):
        return 0
    posted = await _tell(service, await _claim_reminders(service, now), reminder_card)
    for stage, due, status in (
        (Stage.MAINTENANCE_STARTED, _start_due(now), S.IN_PROGRESS),
        (
            Stage.MAINTENANCE_COMPLETED,
            _end_due(now) if service.policy.maintenance.auto_complete else None,
            S.COMPLETED,
        ),
    ):
        if due is not None:
            await _transition(service, now, due, status, stage, "bot")
    if not service.policy.maintenance.auto_complete:
        posted += await _tell(service, await _claim_nags(service, now), _overrun)
    return posted


async def complete_now(service: Any, maintenance_id: int, actor: str) -> M | None:
    """The owner's completion (early, or after an overrun); None when it is not in progress."""
    now = service.clock.now()
    due = [col(M.status) == S.IN_PROGRESS, col(M.id) == maintenance_id]
    done = await _transition(service, now, due, S.COMPLETED, Stage.MAINTENANCE_COMPLETED, actor)
    return done[0] if done else None


async def _anything_due(service: Any, now: datetime) -> bool:
    ends = _end_due(now) if service.policy.maintenance.auto_complete else _nag_due(now)
    conditions = [_reminder_due(now, service), _start_due(now), ends]
    async with service.db.read() as session:
        for due in conditions:
            if (await session.exec(select(M.id).where(*due).limit(1))).first() is not None:
                return True
    return False


async def _transition(service: Any, now: datetime, due: list, status: S, stage: Stage, actor: str) -> list[M]:
    stamp = {col(M.started_at): now} if status == S.IN_PROGRESS else {col(M.completed_at): now}
    old = S.SCHEDULED if status == S.IN_PROGRESS else S.IN_PROGRESS
    done: list[M] = []
    async with service.db.write() as session:
        sets = {col(M.status): status.value, col(M.updated_at): now, **stamp}
        ids = await claim(
            session, M, due=due, sets=sets, limit=LIMIT, order_by=[col(M.starts_at)], returning=(col(M.id),)
        )
        for maintenance_id in sorted(ids):
            window = await session.get(M, maintenance_id, populate_existing=True)
            host = await session.get(Incident, window.incident_id)
            records.status_changed(session, window, actor, old.value, now)
            draft = await records.published_text(session, window, host, stage, now, service.publisher.enqueue)
            session.add(window)
            done.append((window, draft.id))
    for window, draft_id in done:
        log.info("maintenance %s is %s", window.id, window.status)
        await service.publisher.deliver_draft(draft_id)
    return [window for window, _ in done]


async def _claim_reminders(service: Any, now: datetime) -> list[M]:
    async with service.db.write() as session:
        due = [*_reminder_due(now, service), col(M.starts_at) > now]
        return await claim(session, M, due=due, sets={col(M.reminded_at): now}, limit=LIMIT)


async def _claim_nags(service: Any, now: datetime) -> list[M]:
    until = now + service.policy.maintenance.overrun_nag_every
    async with service.db.write() as session:
        return await claim(session, M, due=_nag_due(now), sets={col(M.next_nag_at): until}, limit=LIMIT)


def _overrun(window: M):
    return overrun_card(
        window, command_for("slack" if not window.owner_id.startswith("msteams:") else "teams")
    )


async def _tell(service: Any, windows: list[M], make) -> int:
    told = 0
    for window in windows:
        try:
            await service.platform.tell_user(window.owner_id, make(window))
            told += 1
        except PlatformError:
            log.warning("could not tell the owner of maintenance %s", window.id, exc_info=True)
    return told
