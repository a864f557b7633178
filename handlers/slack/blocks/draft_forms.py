"""The drafting modal and the reject-reason modal."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    DateTimePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.comms.drafting import FACT_LIMITS, DraftFacts
from bot.drafts.forms import REASON_MAX, REQUIRED
from bot.enums import Stage
from bot.policy.status_components import ComponentPolicy
from handlers.slack.blocks.component_fields import component_blocks
from handlers.slack.ids import VALUE, CallbackId, DraftField
from handlers.slack.mrkdwn import truncate

LABELS = {
    DraftField.HEADLINE: ("Headline", "What customers see as the subject"),
    DraftField.WHAT_HAPPENED: ("What happened / what changed", None),
    DraftField.IMPACT: ("Customer impact", "Who is affected and how"),
    DraftField.ETA: ("Estimated duration", "Leave empty to say there is no estimate yet"),
    DraftField.ACTIONS_TAKEN: ("Actions taken", None),
    DraftField.NEXT_STEPS: ("Next steps", None),
    DraftField.SUPPORT_ROUTE: ("How to get support", None),
}
STAGE_LABELS = {  # the facts only these stages' messages say
    Stage.RESOLVED: {
        "window": ("When it happened", "The incident window in UTC, e.g. Between 09:12 and 10:55 UTC"),
        "resolution": ("Resolution for customers", "Confirms the service is back to normal"),
    },
    Stage.POST_INCIDENT: {
        "window": ("When it happened", "The incident window in UTC, e.g. Between 09:12 and 10:55 UTC"),
        "root_cause": ("Root cause", "Why it happened, in words customers understand"),
        "corrective_actions": ("Corrective actions", "How it was fixed"),
        "preventive_measures": ("Preventive measures", "What changes so it does not happen again"),
        "feedback_route": ("Questions or feedback", "Where customers send them"),
    },
}


def draft_modal(
    facts: DraftFacts,
    *,
    title: str,
    metadata: dict[str, Any],
    audiences: list[tuple[str, str]] | None = None,
    stage: Stage = Stage.UPDATE,
    components: dict[str, ComponentPolicy] | None = None,
) -> dict[str, Any]:
    """`audiences` (label, value) adds a picker: only when drafting a new message. `components`
    (the status page's) adds the affected components and their status to live stages' forms.

    The fields are the stage's: a resolution notice also asks for the resolution, a
    post-incident review for its root cause and measures; what the stage does not require
    (see REQUIRED in bot/drafts/forms.py) may be left empty.
    """
    blocks = [_audience_picker(audiences)] if audiences else []
    blocks += [_fact_input(facts, field, label, hint, stage) for field, (label, hint) in _labels(stage)]
    if facts.next_update_at is not None:
        blocks.insert(len(blocks) - 1, _next_update_picker(facts.next_update_at))
    if components and stage in (Stage.INITIAL, Stage.UPDATE):
        blocks += component_blocks(components, facts.components)
    view = View(
        type="modal",
        callback_id=CallbackId.DRAFT,
        title=truncate(title, 24),
        submit="Send for approval",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps(metadata),
    )
    return view.to_dict()


def reject_modal(metadata: dict[str, Any]) -> dict[str, Any]:
    block = InputBlock(
        block_id=DraftField.REASON,
        label="Why is it rejected?",
        element=PlainTextInputElement(action_id=VALUE, multiline=True, max_length=REASON_MAX),
        hint="The author sees this in the incident channel.",
    )
    view = View(
        type="modal",
        callback_id=CallbackId.REJECT,
        title="Reject draft",
        submit="Reject",
        close="Cancel",
        blocks=[block],
        private_metadata=json.dumps(metadata),
    )
    return view.to_dict()


def _labels(stage: Stage) -> list[tuple[str, tuple[str, str | None]]]:
    return list({**LABELS, **STAGE_LABELS.get(stage, {})}.items())


def _audience_picker(audiences: list[tuple[str, str]]) -> InputBlock:
    options = [
        Option(text=PlainTextObject(text=truncate(label, 75)), value=value) for label, value in audiences
    ]
    return InputBlock(
        block_id=DraftField.AUDIENCE,
        label="Audience",
        element=StaticSelectElement(action_id=VALUE, options=options, initial_option=options[0]),
    )


def _fact_input(facts: DraftFacts, field: str, label: str, hint: str | None, stage: Stage) -> InputBlock:
    return InputBlock(
        block_id=str(field),
        label=label,
        hint=hint,
        optional=str(field) not in REQUIRED[stage],
        element=PlainTextInputElement(
            action_id=VALUE,
            multiline=field != DraftField.HEADLINE,
            max_length=FACT_LIMITS[str(field)],
            initial_value=getattr(facts, str(field)) or None,
        ),
    )


def _next_update_picker(next_update_at: datetime) -> InputBlock:
    return InputBlock(
        block_id=DraftField.NEXT_UPDATE_AT,
        label="Next update by",
        element=DateTimePickerElement(action_id=VALUE, initial_date_time=int(next_update_at.timestamp())),
    )
