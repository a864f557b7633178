"""The scheduling modal of `/incident maintenance`: title, window (UTC pickers), components, expected
impact and the three customer texts, prefilled from the templates."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DateTimePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.enums import Stage
from bot.maintenance.forms import (
    IMPACT_MAX,
    TEXT_FIELDS,
    TEXT_MAX,
    TITLE_MAX,
    MaintenanceField,
    MaintenancePlan,
)
from bot.policy.status_components import ComponentPolicy, ordered
from handlers.slack.ids import VALUE
from handlers.slack.mrkdwn import truncate

CALLBACK = "maintenance_schedule"
TEXT_LABELS = {
    Stage.MAINTENANCE_SCHEDULED: ("Announcement", "Published once approved"),
    Stage.MAINTENANCE_STARTED: ("When it starts", "Published at the start of the window"),
    Stage.MAINTENANCE_COMPLETED: ("When it is complete", "Published at the end of the window"),
}
NOTE = (
    "Times are *UTC* (the pickers show your own time zone). Audience: *customers* (the customer-update "
    "channels, e-mail, webhooks and the status page). The three texts are checked and approved "
    "together; a text you leave as prefilled follows the window and title you submit."
)


def maintenance_modal(
    plan: MaintenancePlan,
    texts: dict[Stage, str],
    components: dict[str, ComponentPolicy],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    blocks: list[Any] = [
        ContextBlock(elements=[MarkdownTextObject(text=NOTE)]),
        _text(MaintenanceField.TITLE, "Title", plan.title, TITLE_MAX, multiline=False),
        _moment(MaintenanceField.STARTS_AT, "Starts (UTC)", plan.starts_at),
        _moment(MaintenanceField.ENDS_AT, "Ends (UTC)", plan.ends_at),
    ]
    if components:
        blocks.append(_components(components, plan.components))
    blocks.append(_text(MaintenanceField.IMPACT, "Expected impact", plan.expected_impact, IMPACT_MAX))
    for stage, field in TEXT_FIELDS.items():
        label, hint = TEXT_LABELS[stage]
        blocks.append(_text(field, label, texts.get(stage, ""), TEXT_MAX, hint=hint, optional=True))
    view = View(
        type="modal",
        callback_id=CALLBACK,
        title="Schedule maintenance",
        submit="Send for approval",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps(metadata),
    )
    return view.to_dict()


def opened_plan(metadata: dict[str, Any]) -> MaintenancePlan | None:
    """The plan the modal was opened with (its prefills are compared with what is submitted)."""
    try:
        start, end = (datetime.fromisoformat(metadata[k]) for k in ("start", "end"))
        return MaintenancePlan(
            str(metadata["title"]), start, end, tuple(metadata["components"]), str(metadata["impact"]), {}
        )
    except (KeyError, TypeError, ValueError):
        return None


def plan_metadata(plan: MaintenancePlan, **extra: Any) -> dict[str, Any]:
    return {
        "title": plan.title,
        "start": plan.starts_at.isoformat(),
        "end": plan.ends_at.isoformat(),
        "components": list(plan.components),
        "impact": plan.expected_impact,
        **extra,
    }


def _text(
    field: str,
    label: str,
    value: str,
    limit: int,
    *,
    multiline: bool = True,
    hint: str | None = None,
    optional: bool = False,
) -> InputBlock:
    element = PlainTextInputElement(
        action_id=VALUE, multiline=multiline, max_length=limit, initial_value=value[:limit] or None
    )
    return InputBlock(block_id=str(field), label=label, element=element, hint=hint, optional=optional)


def _moment(field: str, label: str, moment: datetime) -> InputBlock:
    element = DateTimePickerElement(action_id=VALUE, initial_date_time=int(moment.timestamp()))
    return InputBlock(block_id=str(field), label=label, element=element)


def _components(components: dict[str, ComponentPolicy], chosen: tuple[str, ...]) -> InputBlock:
    options = [
        Option(text=PlainTextObject(text=truncate(p.name, 75)), value=cid) for cid, p in ordered(components)
    ][:100]
    picked = [o for o in options if o.value in chosen] or None
    return InputBlock(
        block_id=MaintenanceField.COMPONENTS,
        label="Affected components",
        optional=True,
        element=StaticMultiSelectElement(action_id=VALUE, options=options, initial_options=picked),
        hint="Shown under maintenance on the status page while the work is in progress.",
    )


CHANGE_CALLBACK = "maintenance_change"
CHANGE_TITLES = {"extend": "Extend maintenance", "cancel": "Cancel maintenance"}
CHANGE_NOTES = {
    "extend": "The work overruns: choose the new end (UTC). Customers get this text once it is approved.",
    "cancel": "The work will not happen: customers get this text once it is approved, and the status "
    "page stops listing the maintenance.",
}


def change_modal(kind: str, text: str, until: datetime | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """An extension (a new end and its text) or a cancellation (its text) of maintenance `metadata["id"]`."""
    blocks: list[Any] = [ContextBlock(elements=[MarkdownTextObject(text=CHANGE_NOTES[kind])])]
    if until is not None:
        blocks.append(_moment(MaintenanceField.ENDS_AT, "New end (UTC)", until))
    blocks.append(_text(MaintenanceField.CHANGE_TEXT, "Customer text", text, TEXT_MAX, optional=True))
    view = View(
        type="modal",
        callback_id=CHANGE_CALLBACK,
        title=CHANGE_TITLES[kind],
        submit="Send for approval",
        close="Back",
        blocks=blocks,
        private_metadata=json.dumps(metadata),
    )
    return view.to_dict()
