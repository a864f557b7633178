"""The `[maintenance]` table: scheduled maintenance (bot/maintenance)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from bot.durations import parse_duration


def _duration(value: Any) -> Any:
    return parse_duration(value) if isinstance(value, str) else value


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class MaintenancePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reminder_before: Duration = timedelta(hours=1)  # the owner is reminded this long before the start
    auto_complete: bool = True  # completed at the window's end; false: the owner completes it
    overrun_nag_every: Duration = timedelta(minutes=30)  # end passed, not completed: nag the owner
    min_notice: Duration = timedelta(minutes=5)  # a window must start at least this far ahead
