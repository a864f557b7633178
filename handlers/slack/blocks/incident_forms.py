"""The declare and edit modals."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.enums import Handover, IncidentStatus, Visibility
from bot.incidents.forms import STATUS_NOTE_MAX, TEXT_MAX, TITLE_MAX
from bot.incidents.stale_forms import fingerprint
from bot.policy.model import Policy
from handlers.slack.blocks.component_fields import component_blocks
from handlers.slack.ids import VALUE, CallbackId, Field
from handlers.slack.mrkdwn import truncate
from storage.models import Incident

STATUS_LABELS = {
    IncidentStatus.INVESTIGATING: "Investigating — looking for the cause",
    IncidentStatus.IDENTIFIED: "Identified — cause known, fix in progress",
    IncidentStatus.MONITORING: "Monitoring — fix applied, watching",
    IncidentStatus.RESOLVED: "Resolved",
}


_DECLARE_TEMPLATES: dict[int, tuple[Policy, str]] = {}


def declare_modal(
    policy: Policy, *, title: str, reporter_id: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    """The declare form as Block Kit JSON, prefilled for this reporter.

    The policy-derived part is built (and validated by slack_sdk) once per policy: building
    it from scratch costs ~7 ms of CPU, which would delay the acks of other requests.
    """
    cached = _DECLARE_TEMPLATES.get(id(policy))
    if cached is None or cached[0] is not policy:
        cached = (policy, json.dumps(_declare_view(policy).to_dict()))
        _DECLARE_TEMPLATES[id(policy)] = cached
    view = json.loads(cached[1])
    inputs = {block["block_id"]: block["element"] for block in view["blocks"]}
    if title := title.strip()[:TITLE_MAX]:
        inputs[Field.TITLE]["initial_value"] = title
    inputs[Field.COMMANDER]["initial_user"] = reporter_id
    inputs[Field.COMMS_OWNER]["initial_user"] = reporter_id
    view["private_metadata"] = json.dumps(metadata)[:3000]
    return view


def _declare_view(policy: Policy) -> View:
    blocks = [
        _text(Field.TITLE, "Title", TITLE_MAX, placeholder="Checkout errors in EU"),
        _text(Field.WHAT_HAPPENED, "What happened", TEXT_MAX, multiline=True),
        _text(
            Field.CUSTOMER_IMPACT,
            "Customer impact",
            TEXT_MAX,
            multiline=True,
            placeholder="Who is affected and how, in customers' words",
        ),
        _severity(policy, policy.default_severity),
        InputBlock(
            block_id=Field.SEGMENTS,
            label="Affected customer segments",
            element=StaticMultiSelectElement(
                action_id=VALUE, options=[_option(s, s) for s in policy.incident.segments]
            ),
        ),
        _text(
            Field.NAMED_ACCOUNTS,
            "Named accounts",
            1000,
            multiline=True,
            optional=True,
            hint="Confidential: one per line. Never shown to other customers or in broad digests.",
        ),
        *component_blocks(policy.status_page.components),
        _user(Field.COMMANDER, "Incident commander"),
        _user(Field.COMMS_OWNER, "Comms owner"),
        InputBlock(
            block_id=Field.VISIBILITY,
            label="Visibility",
            element=RadioButtonsElement(
                action_id=VALUE, options=_visibility_options(), initial_option=_visibility_options()[0]
            ),
            hint="A private incident gets a private channel and stays off public surfaces and broad digests.",
        ),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.DECLARE,
        title="Declare an incident",
        submit="Declare",
        close="Cancel",
        blocks=blocks,
    )


def edit_modal(policy: Policy, incident: Incident, ref: str) -> View:
    statuses = [_option(label, status.value) for status, label in STATUS_LABELS.items()]
    blocks = [
        _text(Field.TITLE, "Title", TITLE_MAX, initial=incident.title),
        _text(Field.WHAT_HAPPENED, "What happened", TEXT_MAX, multiline=True, initial=incident.what_happened),
        _text(
            Field.CUSTOMER_IMPACT,
            "Customer impact",
            TEXT_MAX,
            multiline=True,
            initial=incident.customer_impact,
        ),
        _severity(policy, incident.severity),
        InputBlock(
            block_id=Field.STATUS,
            label="Status",
            element=StaticSelectElement(
                action_id=VALUE,
                options=statuses,
                initial_option=next(o for o in statuses if o.value == incident.status),
            ),
        ),
        _text(
            Field.STATUS_NOTE,
            "Status note",
            STATUS_NOTE_MAX,
            multiline=True,
            optional=True,
            initial=incident.status_note or None,
        ),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.EDIT,
        title=truncate(f"Edit {ref}", 24),
        submit="Save",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps({"incident_id": incident.id, "opened": fingerprint(incident)}),
    )


def _text(
    field: Field,
    label: str,
    limit: int,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    element = PlainTextInputElement(
        action_id=VALUE,
        multiline=multiline,
        max_length=limit,
        initial_value=initial or None,
        placeholder=placeholder,
    )
    return InputBlock(block_id=field, label=label, element=element, optional=optional, hint=hint)


def _severity(policy: Policy, initial: str) -> InputBlock:
    options = [_option(f"{name} — {sev.description}", name) for name, sev in policy.severities.items()]
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=Field.SEVERITY,
        label="Severity",
        element=StaticSelectElement(action_id=VALUE, options=options, initial_option=chosen),
    )


def _user(field: Field, label: str, initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=field, label=label, element=UserSelectElement(action_id=VALUE, initial_user=initial)
    )


def _option(label: str, value: str) -> Option:
    return Option(text=PlainTextObject(text=truncate(label, 75)), value=value)


def _visibility_options() -> list[Option]:
    return [
        Option(
            text=PlainTextObject(text="Public"),
            value=Visibility.PUBLIC.value,
            description=MarkdownTextObject(text="Open channel, announced, on the status page"),
        ),
        Option(
            text=PlainTextObject(text="Private"),
            value=Visibility.PRIVATE.value,
            description=MarkdownTextObject(text="Private channel, invited people only"),
        ),
    ]


def handover_modal(incident: Incident, ref: str) -> View:
    """Hand the commander or comms-owner role of an incident to someone else."""
    roles = [
        _option("Commander", Handover.COMMANDER.value),
        _option("Comms owner", Handover.COMMS_OWNER.value),
    ]
    blocks = [
        InputBlock(
            block_id=Field.ROLE,
            label="Role",
            element=StaticSelectElement(action_id=VALUE, options=roles, initial_option=roles[0]),
        ),
        _user(Field.TO, "Hand it to"),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.HAND_OVER,
        title=truncate(f"Hand over {ref}", 24),
        submit="Hand over",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps({"incident_id": incident.id}),
    )
