"""Planned maintenance as the maintenance templates see it: the window, what it touches, what
customers will notice (``maintenance_scheduled``, ``maintenance_started``, ``maintenance_completed``).

No incident flow drafts these stages yet (the scheduled-maintenance work will); the templates, the
checks (``maintenance_cues``) and ``incident-comms lint --stage maintenance_*`` already know them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.comms.drafting_facts import as_utc
from bot.enums import Stage

MAINTENANCE_STAGES = (Stage.MAINTENANCE_SCHEDULED, Stage.MAINTENANCE_STARTED, Stage.MAINTENANCE_COMPLETED)


@dataclass(frozen=True)
class Maintenance:
    """One maintenance window; ``end`` is the planned end, or the actual one once completed."""

    start: datetime
    end: datetime
    affected_services: tuple[str, ...] = ()
    expected_impact: str = ""

    def window_text(self) -> str:
        """``"Sat 14 Dec 2026, 02:00–04:00 UTC"``; both dates when the window crosses midnight."""
        start, end = as_utc(self.start), as_utc(self.end)
        day = start.strftime("%a %-d %b %Y")
        if end.date() == start.date():
            return f"{day}, {start:%H:%M}–{end:%H:%M} UTC"
        return f"{day} {start:%H:%M} UTC – {end.strftime('%a %-d %b %Y')} {end:%H:%M} UTC"


def maintenance_context(maintenance: Maintenance | None) -> dict[str, Any]:
    """The template variables of a maintenance notice (empty values for every other stage)."""
    if maintenance is None:
        return {
            "maintenance_window": "",
            "window_start": None,
            "window_end": None,
            "affected_services": [],
            "expected_impact": "",
        }
    return {
        "maintenance_window": maintenance.window_text(),
        "window_start": as_utc(maintenance.start),
        "window_end": as_utc(maintenance.end),
        "affected_services": list(maintenance.affected_services),
        "expected_impact": maintenance.expected_impact,
    }
