"""The incident window as customers read it: "Between 09:12 and 10:55 UTC on Fri 4 Dec 2026"."""

from __future__ import annotations

from datetime import UTC, datetime


def window_text(started_at: datetime, ended_at: datetime) -> str:
    """Times in UTC; the day once when both ends fall on it, else each end with its own day."""
    start, end = started_at.astimezone(UTC), ended_at.astimezone(UTC)
    if start.date() == end.date():
        return f"Between {start:%H:%M} and {end:%H:%M} UTC on {_day(start)}"
    return f"From {start:%H:%M} UTC on {_day(start)} to {end:%H:%M} UTC on {_day(end)}"


def _day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y}"
