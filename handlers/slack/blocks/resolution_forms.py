"""The resolve modal and the follow-up modals (complete, reassign / due date)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    DateTimePickerElement,
    InputBlock,
    PlainTextInputElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.comms.drafting import FACT_LIMITS
from bot.resolution.forms import NOTES_MAX, SUMMARY_MAX
from handlers.slack.ids import VALUE, CallbackId
from handlers.slack.mrkdwn import truncate

RCA_FIELDS = {
    "root_cause": ("Root cause", "Why it happened, in words customers understand"),
    "corrective_actions": ("Corrective actions", "How it was fixed"),
    "preventive_measures": ("Preventive measures", "What changes so it does not happen again"),
}


RETOLD_FIELDS = {
    "what_happened": ("What happened (past tense)", "For the resolution notice: what went wrong"),
    "impact": ("Customer impact (past tense)", "Who was affected and how"),
}
REVIEW_FIELDS = {"window": ("When it happened", "The incident window, in UTC"), **RETOLD_FIELDS}


def resolve_modal(
    ref: str, now: datetime, started: datetime, prefill: dict[str, str], metadata: dict[str, Any]
) -> dict[str, Any]:
    """`prefill`: the resolution for customers (`customer_text`) and the facts retold."""
    blocks = [
        _text("summary", "Resolution summary (internal)", SUMMARY_MAX, hint="What fixed it; for the team"),
        _moment("started_at", "Customer impact started at", started),
        _moment("resolved_at", "Resolved at", now),
        _text(
            "customer_text",
            "Resolution for customers",
            FACT_LIMITS["resolution"],
            hint="Goes into the resolution notice, which is approved like any customer message",
            initial=prefill.get("customer_text", ""),
        ),
        *_texts(RETOLD_FIELDS, prefill),
    ]
    return _modal(CallbackId.RESOLVE, f"Resolve {ref}", "Resolve", blocks, metadata)


def complete_modal(
    title: str, *, rca: bool, metadata: dict[str, Any], prefill: dict[str, str] | None = None
) -> dict[str, Any]:
    """An RCA also confirms the window, summary and impact the review repeats (`prefill`)."""
    blocks = [*_texts(RCA_FIELDS, {}), *_texts(REVIEW_FIELDS, prefill or {})] if rca else []
    blocks.append(_text("notes", "Notes", NOTES_MAX, optional=True))
    return _modal(CallbackId.COMPLETE_FOLLOW_UP, truncate(title, 24), "Complete", blocks, metadata)


def change_modal(owner: str, due: datetime, metadata: dict[str, Any]) -> dict[str, Any]:
    blocks = [
        InputBlock(
            block_id="owner", label="Owner", element=UserSelectElement(action_id=VALUE, initial_user=owner)
        ),
        InputBlock(
            block_id="due_date",
            label="Due date",
            element=DatePickerElement(action_id=VALUE, initial_date=due.strftime("%Y-%m-%d")),
        ),
    ]
    return _modal(CallbackId.CHANGE_FOLLOW_UP, "Follow-up owner", "Save", blocks, metadata)


def _texts(fields: dict[str, tuple[str, str]], prefill: dict[str, str]) -> list[InputBlock]:
    return [
        _text(name, label, FACT_LIMITS[name], hint=hint, initial=prefill.get(name, ""))
        for name, (label, hint) in fields.items()
    ]


def _moment(block_id: str, label: str, initial: datetime) -> InputBlock:
    element = DateTimePickerElement(action_id=VALUE, initial_date_time=int(initial.timestamp()))
    return InputBlock(block_id=block_id, label=label, element=element)


def _text(
    block_id: str,
    label: str,
    limit: int,
    *,
    hint: str | None = None,
    initial: str = "",
    optional: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        optional=optional,
        element=PlainTextInputElement(
            action_id=VALUE, multiline=True, max_length=limit, initial_value=initial[:limit] or None
        ),
    )


def _modal(
    callback: CallbackId, title: str, submit: str, blocks: list, metadata: dict[str, Any]
) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=callback,
        title=truncate(title, 24),
        submit=submit,
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps(metadata),
    )
    return view.to_dict()
