"""Due dates in business days (Monday to Friday), as follow-up policies count them."""

from __future__ import annotations

from datetime import datetime, timedelta

SATURDAY = 5


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` weekdays after `start`, at the same time of day (a weekend start counts from Monday)."""
    moment = start
    while moment.weekday() >= SATURDAY:
        moment += timedelta(days=1)
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < SATURDAY:
            remaining -= 1
    return moment
