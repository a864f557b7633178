"""The declare dialog (a Teams task module): the same fields and validation as Slack's form.

A typed command cannot open a dialog in Teams, so `incident declare` answers with a card
whose button sends `task/fetch`; the form comes back as an Adaptive Card; `task/submit`
is checked with `parse_declare` and, when invalid, the form is shown again with the
messages under their fields and everything typed kept.
"""

from __future__ import annotations

from typing import Any

from bot.chat.cards import CardAction
from bot.drafts.forms import REASON_MAX
from bot.enums import Visibility
from bot.errors import NotFound
from bot.incidents.forms import TEXT_MAX, TITLE_MAX
from bot.policy.model import Policy
from bot.policy.status_components import STATUS_CHOICES, ComponentPolicy, ordered
from handlers.teams.cards import ADAPTIVE_CARD, VERSION
from handlers.teams.text import escape

DECLARE = "declare"
REJECT = CardAction.REJECT_DRAFT.value
REJECT_TITLE = "Reject the draft"
FIELDS = (
    "title",
    "what_happened",
    "customer_impact",
    "severity",
    "segments",
    "named_accounts",
    "commander",
    "comms_owner",
    "visibility",
)


MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database


def button_numbers(data: dict[str, Any], what: str) -> tuple[int, int]:
    """The `<id>[:<n>]` a button or dialog carries (client-supplied: checked, bounded)."""
    first, _, second = str(data.get("value") or "").partition(":")
    try:
        numbers = int(first), int(second or 0)
    except ValueError:
        raise NotFound(f"That button no longer points at {what}.") from None
    if not all(0 <= n <= MAX_ID for n in numbers):
        raise NotFound(f"That button no longer points at {what}.")
    return numbers


def button_number(data: dict[str, Any], what: str) -> int:
    return button_numbers(data, what)[0]


def clean_data(data: object) -> dict[str, Any]:
    """What a card or dialog sent, reduced to what ours send: text, numbers, flags (and the
    `msteams` routing hint). Anything else was not sent by our cards and is dropped."""
    if not isinstance(data, dict):
        return {}
    plain = (str, int, float, bool)
    return {k: v for k, v in data.items() if isinstance(k, str) and (isinstance(v, plain) or k == "msteams")}


def form_card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
        "actions": actions,
    }


def declare_prompt(title: str) -> dict[str, Any]:
    """The answer to `incident declare [title]`: a button that opens the dialog."""
    text = "Declare an incident: the form asks for what happened, its impact and its severity."
    data = {"msteams": {"type": "task/fetch"}, "dialog": DECLARE, "title": title[:TITLE_MAX]}
    return form_card(
        [{"type": "TextBlock", "text": text, "wrap": True}],
        [{"type": "Action.Submit", "title": "Declare an incident", "data": data, "style": "positive"}],
    )


def continue_with(card: dict[str, Any], title: str = "Declare an incident") -> dict[str, Any]:
    """A task module response that shows `card` in the dialog."""
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": title,
                "width": "large",
                "height": "large",
                "card": {"contentType": ADAPTIVE_CARD, "content": card},
            },
        }
    }


def close_with(message: str) -> dict[str, Any]:
    return {"task": {"type": "message", "value": message}}


def declare_form(
    policy: Policy, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    values = values or {}
    shown = _with_errors(_declare_fields(policy, values), errors or {})
    return form_card(shown, [{"type": "Action.Submit", "title": "Declare", "data": {"dialog": DECLARE}}])


def _declare_fields(policy: Policy, values: dict[str, Any]) -> list[dict[str, Any]]:
    severities = [
        {"title": f"{name} — {severity.description}", "value": name}
        for name, severity in policy.severities.items()
    ]
    return [
        text_input("title", "Title", TITLE_MAX, values, placeholder="Checkout errors in EU"),
        text_input("what_happened", "What happened", TEXT_MAX, values, multiline=True),
        text_input(
            "customer_impact",
            "Customer impact",
            TEXT_MAX,
            values,
            multiline=True,
            placeholder="Who is affected and how, in customers' words",
        ),
        choice_set("severity", "Severity", severities, values.get("severity") or policy.default_severity),
        choice_set(
            "segments",
            "Affected customer segments",
            [{"title": s, "value": s} for s in policy.incident.segments],
            ",".join(values.get("segments") or []),
            multi=True,
        ),
        text_input(
            "named_accounts",
            "Named accounts",
            1000,
            values,
            multiline=True,
            placeholder="Confidential: one per line. Never shown to other customers or in broad digests.",
        ),
        text_input("commander", "Incident commander", 320, values, placeholder="E-mail (UPN); empty: you"),
        text_input("comms_owner", "Comms owner", 320, values, placeholder="E-mail (UPN); empty: you"),
        *component_inputs(policy.status_page.components, values),
        choice_set(
            "visibility",
            "Visibility",
            [
                {"title": "Public — announced, on the status page", "value": Visibility.PUBLIC.value},
                {"title": "Private — invited people only", "value": Visibility.PRIVATE.value},
            ],
            values.get("visibility") or Visibility.PUBLIC.value,
            expanded=True,
        ),
    ]


def _with_errors(body: list[dict[str, Any]], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Each field followed by its inline error, if it has one."""
    shown: list[dict[str, Any]] = []
    for element in body:
        shown.append(element)
        if message := errors.get(element["id"]):
            error = {"type": "TextBlock", "text": escape(message), "color": "Attention", "wrap": True}
            shown.append({**error, "spacing": "None"})
    return shown


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """What the dialog submitted, in the shape `parse_declare` reads (as Slack's form values)."""
    values = {name: data.get(name) for name in FIELDS if isinstance(data.get(name), str)}
    values["segments"] = [s.strip() for s in (data.get("segments") or "").split(",") if s.strip()]
    return values | component_values(data)


def text_input(
    field: str,
    label: str,
    limit: int,
    values: dict[str, Any],
    *,
    multiline: bool = False,
    placeholder: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.Text", "id": field, "label": label, "isMultiline": multiline}
    if placeholder:
        element["placeholder"] = placeholder
    if values.get(field):
        element["value"] = str(values[field])[: limit + 500]  # kept as typed, so the error shows why
    return element


def choice_set(
    field: str,
    label: str,
    choices: list[dict[str, str]],
    value: str,
    *,
    multi: bool = False,
    expanded: bool = False,
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.ChoiceSet", "id": field, "label": label, "choices": choices}
    if multi:
        element["isMultiSelect"] = True
    if expanded:
        element["style"] = "expanded"
    if value:
        element["value"] = value
    return element


def reject_form(data: dict[str, Any], errors: dict[str, str] | None = None) -> dict[str, Any]:
    """Why the draft is rejected; the button's draft and version ride along in the submit data."""
    errors = errors or {}
    body: list[dict[str, Any]] = [
        text_input("reason", "Why? The author sees this.", REASON_MAX, data, multiline=True)
    ]
    if message := errors.get("reason"):
        body.append({"type": "TextBlock", "text": escape(message), "color": "Attention", "wrap": True})
    submit = {"dialog": REJECT, "value": str(data.get("value") or "")}
    return form_card(
        body, [{"type": "Action.Submit", "title": "Reject", "data": submit, "style": "destructive"}]
    )


# ---- status-page components (as Slack's handlers/slack/blocks/component_fields.py) ----------------
COMPONENTS, COMPONENT_STATUS = "components", "component_status"  # as the shared parsers read them


def component_inputs(
    components: dict[str, ComponentPolicy], values: dict[str, Any], chosen: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """`values` (a submission shown again) win over `chosen` (the facts' components)."""
    if not components:
        return []
    picked = list(values.get(COMPONENTS) or []) if COMPONENTS in values else list(chosen or {})
    status = values.get(COMPONENT_STATUS) or next(iter((chosen or {}).values()), "partial_outage")
    choices = [{"title": policy.name, "value": cid} for cid, policy in ordered(components)]
    statuses = [{"title": label, "value": value} for value, label in STATUS_CHOICES.items()]
    return [
        choice_set(
            COMPONENTS, "Affected components (status page)", choices, ",".join(picked or []), multi=True
        ),
        choice_set(COMPONENT_STATUS, "Status of those components", statuses, str(status)),
    ]


def component_values(data: dict[str, Any]) -> dict[str, Any]:
    """A multi-select's "a,b" as the list the parsers read; nothing when the dialog had no inputs."""
    if COMPONENTS not in data and COMPONENT_STATUS not in data:
        return {}
    raw = data.get(COMPONENTS)
    picked = [c.strip() for c in raw.split(",") if c.strip()] if isinstance(raw, str) else []
    status = data.get(COMPONENT_STATUS)
    return {COMPONENTS: picked, COMPONENT_STATUS: status if isinstance(status, str) else ""}
