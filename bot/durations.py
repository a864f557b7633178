"""Durations as the policy writes them: "45s", "30m", "1h", "1h30m", "2d"."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(?<!\d)(\d+)\s*([smhdw])")  # from inside a number it fails alike: linear
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """Parse "1h30m"-style text; raise ValueError naming the bad text otherwise."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _PART.sub("", compact):
        raise ValueError(f'{text!r} is not a duration; write it like "45s", "30m", "1h" or "1h30m"')
    total = timedelta()
    try:
        for amount, unit in _PART.findall(compact):
            total += timedelta(**{_UNITS[unit]: int(amount)})
    except OverflowError:  # timedelta tops out at 999,999,999 days
        raise ValueError(f"{text!r} is longer than any duration the bot can keep") from None
    if total <= timedelta():
        raise ValueError(f"{text!r} must be longer than zero")
    return total


def format_duration(value: timedelta) -> str:
    """The inverse of parse_duration, for messages: 5400s -> "1h 30m"."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(parts) or "0s"
