"""The dialogs after declaring: resolve, draft an update, complete or change a follow-up.

The same fields as Slack's modals, read into the values the core parsers take
(`parse_resolve`, `parse_draft`, `parse_rca`, `parse_notes`, `parse_change`). Adaptive Cards
have no date-time picker: a date and a time input (UTC) become the picker's Unix timestamp.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.chat.cards import CardAction
from bot.comms.drafting import FACT_LIMITS, DraftFacts
from bot.enums import IncidentStatus
from bot.incidents.forms import STATUS_NOTE_MAX, TEXT_MAX, TITLE_MAX
from bot.policy.model import Policy
from bot.policy.status_components import ComponentPolicy
from bot.resolution.forms import NOTES_MAX, SUMMARY_MAX
from handlers.teams.dialogs import (
    choice_set,
    component_inputs,
    component_values,
    form_card,
    text_input,
)
from handlers.teams.text import ID_PREFIX, escape, raw_id

RESOLVE = CardAction.RESOLVE_INCIDENT.value
DRAFT = CardAction.DRAFT_UPDATE.value
COMPLETE = CardAction.COMPLETE_FOLLOW_UP.value
CHANGE = CardAction.CHANGE_FOLLOW_UP.value
EDIT = CardAction.EDIT_DRAFT.value
CORRECT = CardAction.CORRECT_MESSAGE.value
EDIT_INCIDENT = CardAction.EDIT_INCIDENT.value
TIME = "_time"  # suffix of the time input that goes with a date input

DRAFT_LABELS = {
    "headline": ("Headline", "What customers see as the subject"),
    "what_happened": ("What happened / what changed", ""),
    "impact": ("Customer impact", "Who is affected and how"),
    "eta": ("Estimated duration", "Leave empty to say there is no estimate yet"),
    "actions_taken": ("Actions taken", ""),
    "next_steps": ("Next steps", ""),
    "support_route": ("How to get support", ""),
}
STATUS_LABELS = {  # as Slack's edit form
    IncidentStatus.INVESTIGATING: "Investigating — looking for the cause",
    IncidentStatus.IDENTIFIED: "Identified — cause known, fix in progress",
    IncidentStatus.MONITORING: "Monitoring — fix applied, watching",
    IncidentStatus.RESOLVED: "Resolved",
}
EDIT_FIELDS = ("title", "what_happened", "customer_impact", "severity", "status", "status_note")
RCA_FIELDS = {
    "root_cause": ("Root cause", "Why it happened, in words customers understand"),
    "corrective_actions": ("Corrective actions", "How it was fixed"),
    "preventive_measures": ("Preventive measures", "What changes so it does not happen again"),
}
RETOLD_FIELDS = {  # as Slack's resolve form
    "what_happened": ("What happened (past tense)", "For the resolution notice: what went wrong"),
    "impact": ("Customer impact (past tense)", "Who was affected and how"),
}
REVIEW_FIELDS = {"window": ("When it happened", "The incident window, in UTC"), **RETOLD_FIELDS}
RESOLVE_SHOWN = ("summary", "customer_text", *RETOLD_FIELDS, "resolved_at", "resolved_at_time")
RESOLVE_SHOWN += ("started_at", "started_at_time")


def prompt(text: str, title: str, dialog: str, value: str) -> dict[str, Any]:
    """A typed command cannot open a dialog: a card whose button does (as a core card's button)."""
    data = {"msteams": {"type": "task/fetch"}, "dialog": dialog, "action": dialog, "value": value}
    return form_card(
        [{"type": "TextBlock", "text": escape(text), "wrap": True}],
        [{"type": "Action.Submit", "title": title, "data": data, "style": "positive"}],
    )


def _form(
    body: list[dict[str, Any]], errors: dict[str, str] | None, submit: str, data: dict[str, Any]
) -> dict[str, Any]:
    """The inputs with each error under its field (a date's error under its time input)."""
    errors = errors or {}
    shown: list[dict[str, Any]] = []
    for index, element in enumerate(body):
        shown.append(element)
        field = str(element.get("id", "")).removesuffix(TIME)
        following = body[index + 1].get("id", "") if index + 1 < len(body) else ""
        if following == field + TIME:
            continue
        if message := errors.get(field):
            shown.append({"type": "TextBlock", "text": escape(message), "color": "Attention", "wrap": True})
    return form_card(shown, [{"type": "Action.Submit", "title": submit, "data": data}])


def _moment(field: str, label: str, values: dict[str, Any], initial: datetime | None) -> list[dict]:
    date = values.get(field) or (initial.strftime("%Y-%m-%d") if initial else "")
    time = values.get(field + TIME) or (initial.strftime("%H:%M") if initial else "")
    date_input: dict[str, Any] = {"type": "Input.Date", "id": field, "label": f"{label} (UTC)"}
    time_input: dict[str, Any] = {"type": "Input.Time", "id": field + TIME}
    if date:
        date_input["value"] = date
    if time:
        time_input["value"] = time
    return [date_input, time_input]


def epoch(data: dict[str, Any], field: str) -> str:
    """A date and time input as the Unix timestamp a Slack picker gives ("" when empty)."""
    date, time = data.get(field), data.get(field + TIME) or "00:00"
    if not isinstance(date, str) or not date.strip():
        return ""
    try:
        moment = datetime.strptime(f"{date.strip()} {str(time).strip()[:5]}", "%Y-%m-%d %H:%M")
    except ValueError:
        return "invalid"
    return str(int(moment.replace(tzinfo=UTC).timestamp()))


def texts(data: dict[str, Any], names) -> dict[str, Any]:
    return {name: data[name] for name in names if isinstance(data.get(name), str)}


def _texts(fields: dict[str, tuple[str, str]], values: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        text_input(name, label, FACT_LIMITS[name], values, multiline=True, placeholder=hint)
        for name, (label, hint) in fields.items()
    ]


# ---- resolve ----------------------------------------------------------------------------------
def resolve_form(
    incident_id: int,
    now: datetime,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    *,
    opened: str,
    started: datetime | None = None,
) -> dict[str, Any]:
    """`opened`: when the form was first opened (`opened_mark`), kept when it is shown again;
    `started`: when the customer impact began (the picker's first value)."""
    body = [
        text_input(
            "summary",
            "Resolution summary (internal)",
            SUMMARY_MAX,
            values,
            multiline=True,
            placeholder="What fixed it; for the team",
        ),
        *_moment("started_at", "Customer impact started at", values, started),
        *_moment("resolved_at", "Resolved at", values, now),
        text_input(
            "customer_text",
            "Resolution for customers",
            FACT_LIMITS["resolution"],
            values,
            multiline=True,
            placeholder="Goes into the resolution notice, which is approved like any customer message",
        ),
        *_texts(RETOLD_FIELDS, values),
    ]
    return _form(body, errors, "Resolve", {"dialog": RESOLVE, "value": str(incident_id), "opened_at": opened})


def resolve_values(data: dict[str, Any]) -> dict[str, Any]:
    shown = texts(data, ("summary", "customer_text", *RETOLD_FIELDS))
    return {**shown, "resolved_at": epoch(data, "resolved_at"), "started_at": epoch(data, "started_at")}


# ---- drafting ---------------------------------------------------------------------------------
def draft_form(
    incident_id: int,
    facts: DraftFacts,
    audiences: list[tuple[str, str]],
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    *,
    dialog: str = DRAFT,
    value: str = "",
    version: int | None = None,
    components: dict[str, ComponentPolicy] | None = None,
) -> dict[str, Any]:
    """The update form; `values` (a submission shown again) win over the prefilled `facts`.

    Without `audiences` it edits an existing draft (`dialog` and `value` say which): no
    audience picker, and a next-update time only when the draft has one (as Slack's form);
    `components`: the policy's status-page components, picked for this message."""
    shown = {name: getattr(facts, name) for name in DRAFT_LABELS} | (values or {})
    headline, *rest, support_route = _texts(DRAFT_LABELS, shown)
    headline["isMultiline"] = False
    body = []
    if audiences:
        audience = shown.get("audience") or audiences[0][1]
        choices = [{"title": t, "value": v} for t, v in audiences]
        body.append(choice_set("audience", "Audience", choices, audience))
    body += [headline, *rest]
    if audiences or facts.next_update_at is not None:
        body += _moment("next_update_at", "Next update by", shown, facts.next_update_at)  # as on Slack
    body.append(support_route)
    body += component_inputs(components or {}, values or {}, facts.components)
    data = {"dialog": dialog, "value": value or str(incident_id)}
    if version is not None:  # the version an edit starts from; a save against a newer one is refused
        data["version"] = version
    return _form(body, errors, "Send for approval", data)


def draft_values(data: dict[str, Any]) -> dict[str, Any]:
    values = texts(data, (*DRAFT_LABELS, "audience"))
    return {**values, "next_update_at": epoch(data, "next_update_at"), **component_values(data)}


# ---- the incident's facts ---------------------------------------------------------------------
def incident_form(
    policy: Policy,
    incident_id: int,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    opened: str = "",
) -> dict[str, Any]:
    """Slack's edit form: title, what happened, impact, severity, status and a status note."""
    severities = [
        {"title": f"{name} — {severity.description}", "value": name}
        for name, severity in policy.severities.items()
    ]
    statuses = [{"title": label, "value": status.value} for status, label in STATUS_LABELS.items()]
    body = [
        text_input("title", "Title", TITLE_MAX, values),
        text_input("what_happened", "What happened", TEXT_MAX, values, multiline=True),
        text_input("customer_impact", "Customer impact", TEXT_MAX, values, multiline=True),
        choice_set("severity", "Severity", severities, str(values.get("severity") or "")),
        choice_set("status", "Status", statuses, str(values.get("status") or "")),
        text_input("status_note", "Status note (optional)", STATUS_NOTE_MAX, values, multiline=True),
    ]
    data = {"dialog": EDIT_INCIDENT, "value": str(incident_id), **({"opened": opened} if opened else {})}
    return _form(body, errors, "Save", data)


def incident_values(data: dict[str, Any]) -> dict[str, Any]:
    return texts(data, EDIT_FIELDS)


# ---- follow-ups -------------------------------------------------------------------------------
def complete_form(
    item_id: int, *, rca: bool, values: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    values = values or {}
    body = [*_texts(RCA_FIELDS, values), *_texts(REVIEW_FIELDS, values)] if rca else []
    body.append(text_input("notes", "Notes (optional)", NOTES_MAX, values, multiline=True))
    return _form(body, errors, "Complete", {"dialog": COMPLETE, "value": str(item_id)})


def complete_values(data: dict[str, Any]) -> dict[str, Any]:
    return texts(data, (*RCA_FIELDS, *REVIEW_FIELDS, "notes"))


def change_form(
    item_id: int, owner: str, due: str, errors: dict[str, str] | None = None, opened: str = ""
) -> dict[str, Any]:
    body = [
        text_input(
            "owner", "Owner", 320, {"owner": raw_id(owner)}, placeholder="E-mail (UPN) or Entra object id"
        ),
        {"type": "Input.Date", "id": "due_date", "label": "Due date", **({"value": due} if due else {})},
    ]
    data = {"dialog": CHANGE, "value": str(item_id), **({"opened": opened} if opened else {})}
    return _form(body, errors, "Save", data)


def change_values(data: dict[str, Any]) -> dict[str, Any]:
    typed = data.get("owner").strip() if isinstance(data.get("owner"), str) else ""
    if "@" in typed:  # a UPN, as the declare form takes it
        typed = typed.lower()
    owner = "" if not typed else typed if typed.startswith(ID_PREFIX) else ID_PREFIX + typed
    return {"owner": owner, "due_date": data.get("due_date") or ""}
