"""Field readers every form parser shares: trimmed text with limits, and picker timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.chat.cards import strip_markers


def text_field(
    values: dict[str, Any], name: str, limit: int, errors: dict[str, str], *, required: bool = True
) -> str:
    """The field's text without mention markers; a missing or too-long value goes into `errors`."""
    text = strip_markers(values.get(name) or "").strip()
    if required and not text:
        errors[name] = "This field is required."
    elif len(text) > limit:
        errors[name] = f"Keep this under {limit} characters (it has {len(text)})."
    return text


def epoch_moment(value: Any) -> datetime | None:
    """A date-time picker's Unix timestamp as an aware UTC datetime; None when empty or invalid."""
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
