"""Every job the scheduler runs, in one list; and the cadence sweep, one job with several duties.

`scheduled(core)` is the one place sweeps are registered: the chat outbox, e-mail and webhook
deliveries, the cadence sweep, and one digest job per schedule. Adding a queue is one line
there. Update reminders, nags for overdue follow-ups, and archiving channels of long-resolved
incidents and saying a missed first-update target (bot/slo/breach.py) all come due by time, so
they share the cadence sweep (and one scheduler job), with
the work a crash left owed (initial notices, follow-ups: bot/services/intents.py) and, once an
hour over all instances, pruning idempotency keys (bot/idempotency.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, NamedTuple

from apscheduler.triggers.base import BaseTrigger

from bot.digests.service import trigger as digest_trigger
from bot.external.delivery import EXTERNAL_SWEEP_INTERVAL
from bot.idempotency import prune_once_per_period
from bot.maintenance.service import MaintenanceService
from bot.maintenance.transitions import run_due as maintenance_due
from bot.publishing.publisher import DELIVERY_SWEEP_INTERVAL
from bot.services.core import Core
from bot.services.intents import set_up_handed_off, sweep_owed

SET_UP_POLL = timedelta(seconds=0.25)  # workers: set-ups the web processes recorded (NOTIFY wakes sooner)


class Sweep(NamedTuple):
    """One scheduler job: what to run, how often (an interval, or a cron trigger), its name."""

    run: Callable[[], Awaitable[Any]]
    every: timedelta | BaseTrigger
    name: str


def scheduled(core: Core) -> list[Sweep]:
    """The app's scheduled jobs; digests only when the policy names a digest channel; set-ups
    handed off by web processes only in a worker."""
    digests = core.policy.digests
    set_ups = (
        [Sweep(partial(set_up_handed_off, core), SET_UP_POLL, SET_UPS)] if core.role.claims_set_ups else []
    )
    return [
        *set_ups,
        Sweep(core.publisher.deliver_due, DELIVERY_SWEEP_INTERVAL, "outbox"),
        Sweep(core.external.deliver_due, EXTERNAL_SWEEP_INTERVAL, "external"),
        Sweep(partial(cadence_sweep, core), core.policy.reminders.sweep_interval, "cadence"),
        *(
            Sweep(
                partial(core.digests.post_scheduled, schedule),
                digest_trigger(digests, schedule),
                f"digest:{schedule}",
            )
            for schedule in (digests.schedules if digests.channel else ())
        ),
    ]


SET_UPS = "setups"  # the job a worker runs at once when woken (handlers/wake.py)


async def cadence_sweep(core: Core, now: datetime | None = None) -> int:
    """Everything due at `now` (the app clock's by default); returns how many posts it made."""
    now = now or core.clock.now()
    posted = await core.reminders.run(now)
    posted += await core.resolution.nag_due(now)
    posted += await core.first_update_breaches.say_due(now)
    posted += await maintenance_due(MaintenanceService(core), now)  # bot/maintenance/transitions.py
    await core.archiver.archive_due(now)
    await sweep_owed(core, now)
    await prune_once_per_period(core.db, now)
    return posted
