"""The app's one scheduler: interval jobs that sweep the database for due work.

State lives in the database (due times, outbox entries), so a restart loses nothing; the
scheduler only decides when to look. The app's jobs are listed in one place,
bot/services/sweeps.py::scheduled (a `Sweep` is a `Job`). Built unstarted: the app starts
it in on_startup and shuts it down in on_cleanup (a scheduler made at import time stays
bound to a dead loop).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

Job = tuple[Callable[[], Awaitable[Any]], timedelta | BaseTrigger, str]
MISFIRE_GRACE_SECONDS = 300  # for cron jobs: a run this late still happens (once)


def build_scheduler(jobs: Iterable[Job]) -> AsyncIOScheduler:
    """One job per (function, interval or trigger, name); cron triggers for digests.

    `max_instances=1`: a sweep still running when the next is due is skipped (with a
    warning), not queued; `coalesce=True`: runs missed while the loop was busy become one.
    """
    scheduler = AsyncIOScheduler(timezone="UTC")
    for function, when, name in jobs:
        if isinstance(when, timedelta):
            trigger: BaseTrigger = IntervalTrigger(seconds=when.total_seconds(), timezone="UTC")
            grace = max(1, int(when.total_seconds()))
        else:
            trigger, grace = when, MISFIRE_GRACE_SECONDS
        scheduler.add_job(
            function,
            trigger,
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=grace,
            replace_existing=True,
        )
    return scheduler
