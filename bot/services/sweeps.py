"""The cadence sweep the scheduler runs every `reminders.sweep_interval`: one job, three duties.

Update reminders, nags for overdue follow-ups, and archiving channels of long-resolved
incidents all come due by time, so they share one sweep (and one scheduler job).
"""

from __future__ import annotations

from datetime import datetime

from bot.services.core import Core


async def cadence_sweep(core: Core, now: datetime | None = None) -> int:
    """Everything due at `now` (the app clock's by default); returns how many posts it made."""
    now = now or core.clock.now()
    posted = await core.reminders.run(now)
    posted += await core.resolution.nag_due(now)
    await core.archiver.archive_due(now)
    return posted
