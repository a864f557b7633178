"""The maintenance form, parsed into a typed value or `Invalid` with per-field errors (pure: runs
inside the ack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.chat.form_fields import epoch_moment, text_field
from bot.enums import Stage
from bot.errors import Invalid

TITLE_MAX, IMPACT_MAX, TEXT_MAX = 150, 1500, 3000
LONGEST = timedelta(days=7)  # a longer window is a project, not a maintenance


class MaintenanceField(StrEnum):
    """The form's inputs (block ids on Slack, input ids on Teams)."""

    TITLE = "title"
    STARTS_AT = "starts_at"
    ENDS_AT = "ends_at"
    COMPONENTS = "components"
    IMPACT = "expected_impact"
    ANNOUNCEMENT = "text_scheduled"
    START_TEXT = "text_started"
    COMPLETION_TEXT = "text_completed"
    CHANGE_TEXT = "change_text"  # an extension's or a cancellation's customer text


TEXT_FIELDS = {
    Stage.MAINTENANCE_SCHEDULED: MaintenanceField.ANNOUNCEMENT,
    Stage.MAINTENANCE_STARTED: MaintenanceField.START_TEXT,
    Stage.MAINTENANCE_COMPLETED: MaintenanceField.COMPLETION_TEXT,
}


@dataclass(frozen=True)
class MaintenancePlan:
    """What the form says: the window, what it touches, and the customer texts ("" = the template's)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    components: tuple[str, ...]
    expected_impact: str
    texts: dict[Stage, str]


def parse_maintenance(
    values: dict[str, Any], now: datetime, known: set[str], min_notice: timedelta
) -> MaintenancePlan:
    """`known`: the policy's component ids (anything else is refused); texts may be left empty."""
    errors: dict[str, str] = {}
    title = text_field(values, MaintenanceField.TITLE, TITLE_MAX, errors)
    impact = text_field(values, MaintenanceField.IMPACT, IMPACT_MAX, errors)
    texts = {
        stage: text_field(values, name, TEXT_MAX, errors, required=False)
        for stage, name in TEXT_FIELDS.items()
    }
    start, end = (
        epoch_moment(values.get(MaintenanceField.STARTS_AT)),
        epoch_moment(values.get(MaintenanceField.ENDS_AT)),
    )
    if start is None:
        errors[MaintenanceField.STARTS_AT] = "Choose when the work starts."
    elif start < now + min_notice:
        errors[MaintenanceField.STARTS_AT] = f"The start must be at least {_minutes(min_notice)} from now."
    if end is None:
        errors[MaintenanceField.ENDS_AT] = "Choose when the work ends."
    elif start is not None and end <= start:
        errors[MaintenanceField.ENDS_AT] = "The end must be after the start."
    elif start is not None and end - start > LONGEST:
        errors[MaintenanceField.ENDS_AT] = "Keep a maintenance window under 7 days."
    chosen = values.get(MaintenanceField.COMPONENTS) or []
    components = tuple(dict.fromkeys(c for c in chosen if isinstance(c, str)))
    if unknown := [c for c in components if c not in known]:
        errors[MaintenanceField.COMPONENTS] = f"Unknown component(s): {', '.join(unknown[:5])}."
    if errors:
        raise Invalid({str(k): v for k, v in errors.items()})
    assert start is not None and end is not None
    return MaintenancePlan(title, start, end, components, impact, texts)


def _minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def parse_change(values: dict[str, Any], now: datetime, *, extends: bool) -> tuple[datetime | None, str]:
    """An extension's new end (`extends`) and the change's customer text ("" = the template's)."""
    errors: dict[str, str] = {}
    text = text_field(values, MaintenanceField.CHANGE_TEXT, TEXT_MAX, errors, required=False)
    until = epoch_moment(values.get(MaintenanceField.ENDS_AT)) if extends else None
    if extends and (until is None or until <= now):
        errors[MaintenanceField.ENDS_AT] = "Choose a new end in the future."
    if errors:
        raise Invalid({str(k): v for k, v in errors.items()})
    return until, text
