"""Incident channel names, valid by Slack's rules: lowercase, digits, '-' and '_', ≤ 80 chars."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

MAX_LENGTH = 80
_INVALID = re.compile(r"[^a-z0-9_-]+")
_DASHES = re.compile(r"-{2,}")


if TYPE_CHECKING:
    from storage.models import Incident


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _DASHES.sub("-", _INVALID.sub("-", ascii_text.lower())).strip("-_")


def channel_name(pattern: str, *, number: int, title: str, severity: str, when: datetime) -> str:
    raw = pattern.format(number=number, slug=slugify(title), severity=severity, date=when.strftime("%Y%m%d"))
    name = _DASHES.sub("-", _INVALID.sub("-", raw.lower())).strip("-_")
    return _fit(name or f"inc-{number}", "")


def incident_channel_name(pattern: str, incident: Incident) -> str:
    """The channel name the policy's pattern gives this incident (before any `-2` suffix)."""
    return channel_name(
        pattern,
        number=incident.id or 0,
        title=incident.title,
        severity=incident.severity,
        when=incident.declared_at,
    )


def candidates(base: str, attempts: int = 20) -> Iterator[str]:
    """The name, then name-2, name-3 … each cut to fit in 80 characters."""
    yield base
    for n in range(2, attempts + 2):
        yield _fit(base, f"-{n}")


def _fit(name: str, suffix: str) -> str:
    return name[: MAX_LENGTH - len(suffix)].rstrip("-_") + suffix
