"""The declare dialog: open it, and on submit validate once, record the incident, set it up after.

The dialog is answered before set-up runs (Teams waits for an invoke's answer); set-up then
gets a channel through Graph when configured, else runs in the conversation it was declared in.
"""

from __future__ import annotations

from typing import Any

from bot.enums import Action, Visibility
from bot.errors import Invalid, NotAllowed
from bot.incidents.forms import DeclareInput, parse_declare
from bot.services.flows import declare, set_up_declared
from handlers.teams.dialogs import close_with, continue_with, declare_form, form_values
from handlers.teams.incident_channels import choose_home
from handlers.teams.text import ID_PREFIX
from handlers.teams.turns import Teams, Turn, start

PRIVATE_NEEDS_CHAT = (
    "Everyone here would see a private incident: declare it in a personal chat with the bot, "
    "or choose public."
)


async def open_declare(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    try:
        await teams.core.access.require(turn.user, Action.DECLARE)  # before the form is filled in
    except NotAllowed as refused:
        return close_with(refused.message)
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    return continue_with(declare_form(teams.core.policy, {"title": title}))


async def submit_declare(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    """Inline errors go back into the dialog; the value validated is the value recorded."""
    core, values = teams.core, form_values(data)
    try:
        form = await _parse(teams, turn, values)
    except Invalid as invalid:
        return continue_with(declare_form(core.policy, values, invalid.fields))
    try:
        declared = await declare(
            core,
            form,
            reporter_id=turn.user,
            origin_channel_id=turn.conversation,
            source_key=f"teams:{turn.activity_id}",
            platform="teams",
        )
    except NotAllowed as refused:
        return close_with(refused.message)
    if declared.created:
        start(teams, _set_up(declared.incident.id), turn)
    return close_with(f"{core.cards.ref(declared.incident)} declared: {declared.incident.title[:80]}")


async def _parse(teams: Teams, turn: Turn, values: dict[str, Any]) -> DeclareInput:
    people = {role: await _person(teams, turn, values.get(role)) for role in ("commander", "comms_owner")}
    form = parse_declare({**values, **people}, teams.core.policy, turn.user)
    if form.visibility == Visibility.PRIVATE and not turn.personal and teams.graph is None:
        raise Invalid({"visibility": PRIVATE_NEEDS_CHAT})
    return form


def _set_up(incident_id: int):
    async def set_up_incident(teams: Teams, turn: Turn) -> None:
        core = teams.core
        _, report_to = await choose_home(teams, turn, await core.incidents.get(incident_id))
        await set_up_declared(core, incident_id, report_to=report_to)

    return set_up_incident


async def _person(teams: Teams, turn: Turn, typed: object) -> str:
    """A commander or comms owner typed as an e-mail (UPN); empty means the reporter.

    A known member is stored by object id (what their clicks carry); others as typed.
    """
    text = typed.strip() if isinstance(typed, str) else ""
    return await teams.gateway.canonical(ID_PREFIX + text.lower(), turn.conversation) if text else ""
