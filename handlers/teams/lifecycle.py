"""Running an incident from Teams: update, resolve, reopen, reminders and follow-ups.

The same core services and form rules as Slack (`bot/messages.py`, `bot/resolution_flow.py`,
`bot/reminders/controls.py`). Commands that need a form answer with a card whose button opens
the dialog (a typed command cannot open one); the core cards' own buttons (Draft update,
Resolve, Complete, Reassign / due date) open the same dialogs. A submission is checked
inline, errors shown in the dialog with what was typed kept; the work then runs as a tracked
task and its outcome is posted in the incident's conversation, as on Slack.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.chat.cards import command_for
from bot.drafts.cards import describe
from bot.drafts.forms import parse_draft
from bot.durations import parse_duration
from bot.enums import Action, AudienceKind, DraftStatus, IncidentStatus, Stage
from bot.errors import Conflict, DomainError, Invalid, NotFound
from bot.reminders.controls import Changed
from bot.resolution.follow_up_plan import title_of
from bot.resolution.follow_ups import REASSIGNED_MEANWHILE, assignment, is_rca
from bot.resolution.forms import opened_mark, parse_change, parse_notes, parse_rca, parse_resolve
from handlers.teams import forms
from handlers.teams.dialogs import button_number, close_with, continue_with
from handlers.teams.turns import Teams, Turn, reply, start
from storage.models import Incident

Opener = Callable[[Teams, Turn, int], Awaitable[dict[str, Any]]]
Submitter = Callable[[Teams, Turn, int, dict[str, Any]], Awaitable[dict[str, Any]]]


def _id(data: dict[str, Any]) -> int:
    return button_number(data, "an incident or a follow-up item")


async def open_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    """The dialog a `task/fetch` asks for (one of `DIALOGS`)."""
    found = DIALOGS[str(data.get("dialog"))]
    try:
        return await found[0](teams, turn, _id(data))
    except DomainError as refusal:
        return close_with(refusal.message)


async def submit_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    found = DIALOGS[str(data.get("dialog"))]
    try:
        return await found[1](teams, turn, _id(data), data)
    except DomainError as refusal:
        return close_with(refusal.message)


async def reach(
    teams: Teams, turn: Turn, incident: Incident, action: Action, owner: str | None = None
) -> None:
    """Dialog and card data come from the client: open or act on them only after the same
    permission check a typed command gets (the service checks again when it acts)."""
    await teams.core.access.require(turn.user, action, incident, owner=owner)


def later(work: Callable[[], Awaitable[None]], name: str):
    async def handler(teams: Teams, turn: Turn) -> None:
        await work()

    handler.__name__ = name
    return handler


# ---- resolve and reopen ----------------------------------------------------------------------
async def resolve(teams: Teams, turn: Turn) -> None:
    incident = await teams.core.incidents.by_channel(turn.conversation)
    _check_open(teams, incident)
    text = f"Resolve {teams.core.cards.ref(incident)}: the form asks what fixed it and what customers read."
    card = forms.prompt(text, "Resolve", forms.RESOLVE, str(incident.id))
    await teams.gateway.post_adaptive(turn.conversation, card, "Resolve the incident")


def _check_open(teams: Teams, incident: Incident) -> None:
    if incident.status == IncidentStatus.RESOLVED:
        ref = teams.core.cards.ref(incident)
        raise Conflict(
            f"{ref} is already resolved. `{command_for(incident.platform)} reopen` brings it back."
        )


async def _open_resolve(teams: Teams, turn: Turn, incident_id: int) -> dict[str, Any]:
    core = teams.core
    incident = await core.incidents.get(incident_id)
    await reach(teams, turn, incident, Action.RESOLVE)
    _check_open(teams, incident)
    values, started = core.resolution.resolve_prefill(incident)
    now = core.clock.now()
    form = forms.resolve_form(incident.id, now, values, opened=opened_mark(now), started=started)
    return continue_with(form, f"Resolve {core.cards.ref(incident)}")


async def _resolve_submitted(teams: Teams, turn: Turn, incident_id: int, data: dict) -> dict[str, Any]:
    core = teams.core
    await reach(teams, turn, await core.incidents.get(incident_id), Action.RESOLVE)
    opened = str(data.get("opened_at") or "")
    try:
        form = parse_resolve(forms.resolve_values(data), core.clock.now(), opened)
        await core.resolution.check_form(incident_id, form)
    except Invalid as invalid:
        shown = forms.texts(data, forms.RESOLVE_SHOWN)
        again = forms.resolve_form(incident_id, core.clock.now(), shown, invalid.fields, opened=opened)
        return continue_with(again, "Resolve")

    async def resolving() -> None:
        await core.resolution.resolve(incident_id, form, actor=turn.user)

    start(teams, later(resolving, "resolve_submitted"), turn)
    return close_with(
        "Resolving: the resolution notice and the follow-ups follow in the incident's conversation."
    )


async def reopen(teams: Teams, turn: Turn) -> None:
    incident = await teams.core.incidents.by_channel(turn.conversation)
    await teams.core.resolution.reopen(incident.id, actor=turn.user)


# ---- drafting an update ----------------------------------------------------------------------
def _audiences(incident: Incident) -> list[tuple[str, str]]:
    audiences = [("Customers", f"{AudienceKind.CUSTOMER}:customers")]
    audiences += [
        (f"{name} (named account)", f"{AudienceKind.NAMED_ACCOUNT}:{name}")
        for name in incident.named_accounts
    ]
    audiences.append(("Internal recipients", f"{AudienceKind.INTERNAL}:internal"))
    return audiences


async def update(teams: Teams, turn: Turn) -> None:
    incident = await teams.core.incidents.by_channel(turn.conversation)
    text = f"Draft an update for {teams.core.cards.ref(incident)}: customers, a named account or internal."
    card = forms.prompt(text, "Draft update", forms.DRAFT, str(incident.id))
    await teams.gateway.post_adaptive(turn.conversation, card, "Draft an update")


async def _open_draft(teams: Teams, turn: Turn, incident_id: int) -> dict[str, Any]:
    core = teams.core
    incident = await core.incidents.get(incident_id)
    await reach(teams, turn, incident, Action.DRAFT)
    previous = await core.drafts.latest_facts(incident_id)
    facts = core.messages.facts_for(incident, Stage.UPDATE, previous)
    components = core.policy.status_page.components
    form = forms.draft_form(incident.id, facts, _audiences(incident), components=components)
    return continue_with(form, f"Update {core.cards.ref(incident)}")


async def _draft_submitted(teams: Teams, turn: Turn, incident_id: int, data: dict) -> dict[str, Any]:
    core = teams.core
    incident = await core.incidents.get(incident_id)
    await reach(teams, turn, incident, Action.DRAFT)
    values = forms.draft_values(data)
    try:
        facts = parse_draft(values, Stage.UPDATE, core.clock.now())
    except Invalid as invalid:
        previous = await core.drafts.latest_facts(incident_id)
        shown = forms.texts(data, (*forms.DRAFT_LABELS, "audience", "next_update_at", "next_update_at_time"))
        facts = core.messages.facts_for(incident, Stage.UPDATE, previous)
        components = core.policy.status_page.components
        shown |= forms.component_values(data)
        form = forms.draft_form(
            incident_id, facts, _audiences(incident), shown, invalid.fields, components=components
        )
        return continue_with(form, f"Update {core.cards.ref(incident)}")
    kind, _, key = (values.get("audience") or "customer:customers").partition(":")
    if kind not in set(AudienceKind) or (
        kind == AudienceKind.NAMED_ACCOUNT and key not in incident.named_accounts
    ):
        raise NotFound("That named account is not part of this incident.")

    async def drafting() -> None:
        state = await core.messages.draft(
            incident, Stage.UPDATE, AudienceKind(kind), key, facts, author=turn.user
        )
        if state.draft.status != DraftStatus.PENDING:  # needed no approval: already on its way
            await reply(teams, turn, f"{describe(state)} sent (no approval needed for this audience).")

    start(teams, later(drafting, "draft_submitted"), turn)
    if not core.drafts.needs_approval(kind):
        return close_with("Sending: no approval is needed for this audience.")
    return close_with("Drafted: it waits for approval in the incident's conversation.")


# ---- reminders -------------------------------------------------------------------------------
async def snooze(teams: Teams, turn: Turn) -> None:
    core = teams.core
    incident = await core.incidents.by_channel(turn.conversation)
    options = core.policy.reminders.snooze_options
    try:
        length = parse_duration(turn.text) if turn.text else options[0]
    except ValueError as error:
        raise Invalid({"snooze": str(error)}) from None
    await core.reminder_controls.snooze(incident.id, length, actor=turn.user)


async def pause(teams: Teams, turn: Turn) -> None:
    incident = await teams.core.incidents.by_channel(turn.conversation)
    await teams.core.reminder_controls.pause(incident.id, actor=turn.user)


async def resume(teams: Teams, turn: Turn) -> None:
    incident = await teams.core.incidents.by_channel(turn.conversation)
    await teams.core.reminder_controls.resume(incident.id, actor=turn.user)


async def snooze_clicked(teams: Teams, turn: Turn, data: dict[str, Any]) -> Changed:
    """A reminder card's Snooze button (`<incident id>:<seconds>`)."""
    try:
        incident_id, seconds = (int(part) for part in str(data.get("value") or "").split(":"))
    except ValueError:
        raise NotFound("That button no longer points at an incident.") from None
    await reach(teams, turn, await teams.core.incidents.get(incident_id), Action.SNOOZE)
    controls = teams.core.reminder_controls
    return await controls.snooze(incident_id, controls.snooze_length(seconds), actor=turn.user)


# ---- follow-ups ------------------------------------------------------------------------------
async def follow_ups(teams: Teams, turn: Turn) -> None:
    core = teams.core
    incident = await core.incidents.by_channel(turn.conversation)
    items = await core.follow_ups.listing(incident, viewer=turn.user)
    await teams.gateway.post(
        turn.conversation, core.resolution.cards.listing(incident, items, core.clock.now())
    )


async def _open_complete(teams: Teams, turn: Turn, item_id: int) -> dict[str, Any]:
    item, incident = await teams.core.follow_ups.get(item_id)
    await reach(teams, turn, incident, Action.COMPLETE_FOLLOW_UP, owner=item.owner_id)
    values = await teams.core.resolution.review_prefill(incident) if is_rca(item) else {}
    form = forms.complete_form(item.id, rca=is_rca(item), values=values)
    return continue_with(form, title_of(item.kind, item.subject))


async def _complete_submitted(teams: Teams, turn: Turn, item_id: int, data: dict) -> dict[str, Any]:
    item, incident = await teams.core.follow_ups.get(item_id)
    await reach(teams, turn, incident, Action.COMPLETE_FOLLOW_UP, owner=item.owner_id)
    values = forms.complete_values(data)
    try:
        checked = parse_rca(values) if is_rca(item) else parse_notes(values)
    except Invalid as invalid:
        form = forms.complete_form(item.id, rca=is_rca(item), values=values, errors=invalid.fields)
        return continue_with(form, title_of(item.kind, item.subject))

    async def completing() -> None:
        if isinstance(checked, str):
            await teams.core.resolution.complete(item_id, actor=turn.user, notes=checked)
        else:
            await teams.core.resolution.complete(item_id, actor=turn.user, rca=checked)

    start(teams, later(completing, "complete_submitted"), turn)
    return close_with(f"Completing: {title_of(item.kind, item.subject)}")


async def _open_change(teams: Teams, turn: Turn, item_id: int) -> dict[str, Any]:
    item, incident = await teams.core.follow_ups.get(item_id)
    await reach(teams, turn, incident, Action.REASSIGN_FOLLOW_UP, owner=item.owner_id)
    form = forms.change_form(
        item.id, item.owner_id, item.due_at.strftime("%Y-%m-%d"), opened=assignment(item)
    )
    return continue_with(form, "Reassign / due date")


async def _change_submitted(teams: Teams, turn: Turn, item_id: int, data: dict) -> dict[str, Any]:
    item, incident = await teams.core.follow_ups.get(item_id)
    await reach(teams, turn, incident, Action.REASSIGN_FOLLOW_UP, owner=item.owner_id)
    values, opened = (
        forms.change_values(data),
        data.get("opened") if isinstance(data.get("opened"), str) else None,
    )
    try:
        owner, due = parse_change(values, teams.core.clock.now())
        if opened is not None and opened != assignment(item):
            raise Invalid({"owner": REASSIGNED_MEANWHILE})
        owner = await teams.gateway.canonical(owner, turn.conversation)
    except Invalid as invalid:
        shown = (item_id, values["owner"], str(values["due_date"]), invalid.fields, opened or "")
        return continue_with(forms.change_form(*shown), "Reassign / due date")

    async def changing() -> None:
        await teams.core.resolution.reassign(item_id, owner=owner, due_at=due, actor=turn.user, opened=opened)

    start(teams, later(changing, "change_submitted"), turn)
    return close_with("Saved: the owner is told.")


DIALOGS: dict[str, tuple[Opener, Submitter]] = {
    forms.RESOLVE: (_open_resolve, _resolve_submitted),
    forms.DRAFT: (_open_draft, _draft_submitted),
    forms.COMPLETE: (_open_complete, _complete_submitted),
    forms.CHANGE: (_open_change, _change_submitted),
}
