"""Editing a draft, correcting a published message and editing the incident from Teams; the timeline.

An approval card's Edit (and Edit and resubmit) and a published card's Correct open the
update dialog prefilled with that draft's current facts, as Slack's buttons open its form.
The submission is checked with `parse_draft` for the draft's stage (errors stay in the
dialog) and becomes a new version through `MessageFlow.revise`: the approval card is
refreshed in place and earlier approvals no longer count. A corrected message, once
approved, edits every delivered copy in place (the outbox's update path).

`edit` (and the intro card's Edit incident) opens Slack's edit form: title, what happened,
impact, severity, status and status note, checked with `parse_edit`; the changes are then
announced in the incident's conversation as on Slack.
"""

from __future__ import annotations

from typing import Any

from bot.audit.timeline import timeline_card
from bot.comms.drafting import FACT_LIMITS, DraftFacts
from bot.drafts.forms import parse_draft
from bot.drafts.state import stale_draft
from bot.enums import Action, Stage
from bot.errors import DomainError, Invalid, NotFound
from bot.incidents.forms import parse_edit
from bot.incidents.stale_forms import fingerprint, opened_from
from bot.services.incident_edits import edit_and_announce
from handlers.teams import forms
from handlers.teams.dialogs import button_number, close_with, continue_with
from handlers.teams.lifecycle import later, reach
from handlers.teams.turns import Teams, Turn, start

DIALOGS = frozenset({forms.EDIT, forms.CORRECT, forms.EDIT_INCIDENT})
SHOWN = (*forms.DRAFT_LABELS, "next_update_at", "next_update_at_time")


def _draft_id(data: dict[str, Any]) -> int:
    return button_number(data, "a draft")


async def _state(teams: Teams, turn: Turn, data: dict[str, Any]):
    state = await teams.core.drafts.state(_draft_id(data))
    correcting = state.draft.published_version is not None
    await reach(teams, turn, state.incident, Action.CORRECT if correcting else Action.EDIT_DRAFT)
    return state


def _form(teams: Teams, state, data: dict[str, Any], values=None, errors=None) -> dict[str, Any]:
    facts = DraftFacts.from_json(state.version.facts)
    dialog, value = str(data.get("dialog")), str(data.get("value") or "")
    version = _opened_version(data) or state.draft.version  # kept when the form is shown again
    components = teams.core.policy.status_page.components
    form = forms.draft_form(
        state.incident.id,
        facts,
        [],
        values,
        errors,
        dialog=dialog,
        value=value,
        version=version,
        components=components,
    )
    return continue_with(form, f"Edit {teams.core.cards.ref(state.incident)}")


async def open_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    try:
        if data.get("dialog") == forms.EDIT_INCIDENT:
            return await _open_incident(teams, turn, data)
        return _form(teams, await _state(teams, turn, data), data)
    except DomainError as refusal:
        return close_with(refusal.message)


async def submit_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    try:
        if data.get("dialog") == forms.EDIT_INCIDENT:
            return await _incident_submitted(teams, turn, data)
        return await _draft_submitted(teams, turn, data)
    except DomainError as refusal:
        return close_with(refusal.message)


async def _draft_submitted(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    core = teams.core
    state = await _state(teams, turn, data)
    previous = DraftFacts.from_json(state.version.facts)
    kept = {  # facts the form does not show (a resolution, an RCA) stay as they were
        name: getattr(previous, name) or "" for name in FACT_LIMITS if name not in forms.DRAFT_LABELS
    }
    based_on = _opened_version(data)
    try:
        facts = parse_draft(kept | forms.draft_values(data), Stage(state.draft.stage), core.clock.now())
        if based_on is not None and based_on != state.draft.version:
            raise Invalid({"headline": stale_draft(based_on, state.draft.version)})
    except Invalid as invalid:
        return _form(teams, state, data, forms.texts(data, SHOWN), invalid.fields)
    draft_id = state.draft.id

    async def revising() -> None:
        await core.messages.revise(draft_id, facts, author=turn.user, based_on=based_on)

    start(teams, later(revising, "draft_revised"), turn)
    return close_with("Sent for approval again as a new version; earlier approvals no longer count.")


def _opened_version(data: dict[str, Any]) -> int | None:
    version = data.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else None


async def show_timeline(teams: Teams, turn: Turn) -> None:
    """`timeline`: the incident's timeline, in its conversation (Slack's card)."""
    core = teams.core
    found = await core.incidents.by_channel(turn.conversation)
    incident, entries = await core.incidents.timeline(found.id, viewer=turn.user)
    card = timeline_card(core.templates, incident, core.cards.ref(incident), entries)
    await teams.gateway.post(turn.conversation, card)


# ---- the incident's facts ---------------------------------------------------------------------
async def edit(teams: Teams, turn: Turn) -> None:
    """`edit`: a card whose button opens the edit dialog (a typed command cannot open one)."""
    incident = await teams.core.incidents.by_channel(turn.conversation)
    text = f"Edit {teams.core.cards.ref(incident)}: title, what happened, impact, severity and status."
    card = forms.prompt(text, "Edit incident", forms.EDIT_INCIDENT, str(incident.id))
    await teams.gateway.post_adaptive(turn.conversation, card, "Edit the incident")


def _incident_id(data: dict[str, Any]) -> int:
    try:
        return int(str(data.get("value") or ""))
    except ValueError:
        raise NotFound("That button no longer points at an incident.") from None


async def _open_incident(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    core = teams.core
    incident = await core.incidents.get(_incident_id(data))
    await reach(teams, turn, incident, Action.EDIT)
    values = {name: getattr(incident, name) or "" for name in forms.EDIT_FIELDS}
    form = forms.incident_form(core.policy, incident.id, values, opened=fingerprint(incident))
    return continue_with(form, f"Edit {core.cards.ref(incident)}")


async def _incident_submitted(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    core = teams.core
    incident = await core.incidents.get(_incident_id(data))
    await reach(teams, turn, incident, Action.EDIT)
    values, opened_text = forms.incident_values(data), str(data.get("opened") or "")
    opened = opened_from(opened_text)
    try:
        checked = parse_edit(values, core.policy)
        core.incidents.stale(incident, checked, opened)  # answered in the dialog, checked again on save
    except Invalid as invalid:
        form = forms.incident_form(core.policy, incident.id, values, invalid.fields, opened_text)
        return continue_with(form, f"Edit {core.cards.ref(incident)}")
    incident_id = incident.id

    async def editing() -> None:
        await edit_and_announce(teams.core, incident_id, checked, actor=turn.user, opened=opened)

    start(teams, later(editing, "incident_edited"), turn)
    return close_with("Saved: the changes are announced in the incident's conversation.")
