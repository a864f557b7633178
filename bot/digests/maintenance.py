"""The digest's "upcoming maintenance" lines: approved maintenance in progress or starting within
the next 7 days (already public on the status page, so every digest may list it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.templating import Templates
from bot.comms.drafting import Maintenance
from storage.maintenance_models import MaintenanceStatus, MaintenanceWindow

AHEAD = timedelta(days=7)
LISTED = 10  # more are left to the status page


async def upcoming(session: AsyncSession, now: datetime) -> list[MaintenanceWindow]:
    statement = select(MaintenanceWindow).where(
        col(MaintenanceWindow.status).in_((MaintenanceStatus.SCHEDULED, MaintenanceStatus.IN_PROGRESS)),
        col(MaintenanceWindow.starts_at) <= now + AHEAD,
    )
    return list(
        (await session.exec(statement.order_by(col(MaintenanceWindow.starts_at)).limit(LISTED))).all()
    )


def maintenance_lines(templates: Templates, windows: list[MaintenanceWindow]) -> str:
    """ "" when nothing is planned."""
    if not windows:
        return ""
    rows = [
        {
            "ref": f"MNT-{w.id}",
            "title": w.title,
            "window": Maintenance(w.starts_at, w.ends_at).window_text(),
            "in_progress": w.status == MaintenanceStatus.IN_PROGRESS,
        }
        for w in windows
    ]
    return templates.render("digest/maintenance.md.j2", windows=rows, days=AHEAD.days)
