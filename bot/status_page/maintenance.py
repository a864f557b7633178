"""Scheduled maintenance as the public sees it (issue 23): approved windows only, with the texts
published for them, in Statuspage's shape (`scheduled_maintenances`).

A maintenance is listed once its three texts are approved (`scheduled`), while `in_progress` and
for `status_page.history_days` once `completed`; pending, rejected and cancelled ones never.
Its updates are its published texts. While it is in progress its components show
`under_maintenance` (unless an incident says worse).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.public_text import to_plain
from bot.enums import Stage
from bot.policy.status_components import COMPONENT_STATUSES
from bot.status_page.components import PublicComponent
from bot.status_page.statuspage_json import PAGE_ID, StatuspageJson, iso
from storage.maintenance_models import MaintenanceStatus as S
from storage.maintenance_models import MaintenanceWindow
from storage.models import Draft, DraftVersion

LISTED = (S.SCHEDULED, S.IN_PROGRESS, S.COMPLETED)
UPDATE_STATUS = {
    Stage.MAINTENANCE_SCHEDULED: "scheduled",
    Stage.MAINTENANCE_STARTED: "in_progress",
    Stage.MAINTENANCE_COMPLETED: "completed",
}


@dataclass(frozen=True)
class MaintenanceUpdate:
    id: str  # the draft id
    status: str
    text: str
    published_at: datetime

    @property
    def updated_at(self) -> datetime:
        return self.published_at


@dataclass(frozen=True)
class PublicMaintenance:
    id: int
    title: str
    status: str  # scheduled | in_progress | completed
    scheduled_for: datetime
    scheduled_until: datetime
    components: tuple[str, ...]
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    updates: tuple[MaintenanceUpdate, ...]  # newest first

    @property
    def key(self) -> str:
        return f"mnt-{self.id}"

    @property
    def updated_at(self) -> datetime:
        return max([u.published_at for u in self.updates], default=self.created_at)

    @property
    def active(self) -> bool:
        return self.status == S.IN_PROGRESS


async def public_maintenances(
    session: AsyncSession, now: datetime, history: timedelta
) -> list[PublicMaintenance]:
    """Listed windows, soonest first; two queries."""
    statement = select(MaintenanceWindow).where(
        col(MaintenanceWindow.status).in_(LISTED),
        or_(
            col(MaintenanceWindow.completed_at).is_(None),
            col(MaintenanceWindow.completed_at) >= now - history,
        ),
    )
    windows = (await session.exec(statement.order_by(col(MaintenanceWindow.starts_at)))).all()
    draft_ids = [d for w in windows for d in w.drafts.values()]
    rows = (
        await session.exec(
            select(Draft, DraftVersion)
            .join(DraftVersion, col(DraftVersion.draft_id) == col(Draft.id))
            .where(col(Draft.id).in_(draft_ids), col(Draft.published_version).is_not(None))
            .where(DraftVersion.number == Draft.published_version)
        )
    ).all()
    published = {draft.id: (draft, version) for draft, version in rows}
    return [_public(w, published) for w in windows]


def _public(window: MaintenanceWindow, published: dict[int, tuple[Draft, DraftVersion]]) -> PublicMaintenance:
    updates = [
        MaintenanceUpdate(
            str(draft_id),
            _status_of(stage),
            published[draft_id][1].text,
            published[draft_id][0].created_at,
        )
        for stage, draft_id in window.drafts.items()
        if draft_id in published
    ]
    return PublicMaintenance(
        id=window.id,
        title=window.title,
        status=window.status,
        scheduled_for=window.starts_at,
        scheduled_until=window.ends_at,
        components=tuple(window.components),
        created_at=window.created_at,
        started_at=window.started_at,
        completed_at=window.completed_at,
        updates=tuple(sorted(updates, key=lambda u: (u.published_at, int(u.id)), reverse=True)),
    )


def _status_of(key: str) -> str:
    """A text's update status: its stage's, an extension's `in_progress` (keys `extend-<version>`)."""
    if key.startswith("extend-"):
        return "in_progress"
    if key.startswith("cancel-"):
        return "completed"  # a cancelled maintenance is not listed; Statuspage has no word for it
    return UPDATE_STATUS[Stage(key)]


def under_maintenance(
    components: list[PublicComponent], maintenances: list[PublicMaintenance]
) -> list[PublicComponent]:
    """Components of work in progress show `under_maintenance`, unless an incident says worse."""
    busy = {c: m.started_at for m in maintenances if m.active for c in m.components}
    rank = COMPONENT_STATUSES.index
    return [
        replace(c, status="under_maintenance", updated_at=max(filter(None, (c.updated_at, busy[c.id]))))
        if c.id in busy and rank(c.status) < rank("under_maintenance")
        else c
        for c in components
    ]


def shaped(json_api: StatuspageJson, maintenance: PublicMaintenance) -> dict[str, Any]:
    """One maintenance as Statuspage's API gives it."""
    by_id = {c.id: c for c in json_api.components}
    components = [json_api.component(by_id[c]) for c in maintenance.components if c in by_id]
    names = {c.id: c.policy.name for c in json_api.components}
    return {
        "id": maintenance.key,
        "name": maintenance.title,
        "status": maintenance.status,
        "created_at": iso(maintenance.created_at),
        "updated_at": iso(maintenance.updated_at),
        "monitoring_at": None,
        "resolved_at": iso(maintenance.completed_at),
        "impact": "maintenance",
        "shortlink": f"{json_api.page_url}#{maintenance.key}",
        "started_at": iso(maintenance.started_at or maintenance.scheduled_for),
        "page_id": PAGE_ID,
        "incident_updates": [_update(maintenance, u, names) for u in maintenance.updates],
        "components": components,
        "scheduled_for": iso(maintenance.scheduled_for),
        "scheduled_until": iso(maintenance.scheduled_until),
    }


def _update(
    maintenance: PublicMaintenance, update: MaintenanceUpdate, names: dict[str, str]
) -> dict[str, Any]:
    new = {"in_progress": "under_maintenance"}.get(update.status, "operational")
    old = "under_maintenance" if update.status == "completed" else "operational"
    affected = [
        {"code": c, "name": names[c], "old_status": old, "new_status": new}
        for c in maintenance.components
        if c in names
    ]
    return {
        "id": f"{maintenance.key}-u{update.id}",
        "status": update.status,
        "body": to_plain(update.text),
        "incident_id": maintenance.key,
        "created_at": iso(update.published_at),
        "updated_at": iso(update.published_at),
        "display_at": iso(update.published_at),
        "affected_components": affected if update.status != "scheduled" and affected else None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }
