"""The app's one scheduler: interval jobs that sweep the database for due work.

State lives in the database (due times, outbox entries), so a restart loses nothing; the
scheduler only decides when to look. Built unstarted: the app starts it in on_startup and
shuts it down in on_cleanup (a scheduler made at import time stays bound to a dead loop).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

Job = tuple[Callable[[], Awaitable[Any]], timedelta, str]


def build_scheduler(jobs: list[Job]) -> AsyncIOScheduler:
    """One interval job per (function, interval, name).

    `max_instances=1`: a sweep still running when the next is due is skipped (with a
    warning), not queued; `coalesce=True`: runs missed while the loop was busy become one.
    """
    scheduler = AsyncIOScheduler(timezone="UTC")
    for function, interval, name in jobs:
        scheduler.add_job(
            function,
            IntervalTrigger(seconds=interval.total_seconds(), timezone="UTC"),
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(interval.total_seconds())),
            replace_existing=True,
        )
    return scheduler
