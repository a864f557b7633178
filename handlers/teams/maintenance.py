"""Scheduled maintenance on Teams: `incident maintenance [title]` answers with a button that opens
the scheduling dialog (the same fields and parser as Slack's modal; a date and a time input per
moment, in UTC); the approval card's Approve, Cancel and Complete buttons are answered in place.

Not on Teams yet: the extension and cancellation dialogs of announced maintenance (Slack's
`/incident maintenance extend|cancel <id>`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.chat.cards import Card, CardAction
from bot.chat.ports import MessageRef
from bot.comms.maintenance import MAINTENANCE_STAGES
from bot.errors import Invalid, NotAllowed
from bot.maintenance.cards import approval_card, done_card
from bot.maintenance.forms import (
    IMPACT_MAX,
    TEXT_FIELDS,
    TEXT_MAX,
    TITLE_MAX,
    MaintenancePlan,
    parse_maintenance,
)
from bot.maintenance.service import MaintenanceService
from handlers.teams.dialogs import (
    button_number,
    button_numbers,
    choice_set,
    close_with,
    continue_with,
    form_card,
    text_input,
)
from handlers.teams.forms import _moment, epoch
from handlers.teams.lifecycle import later
from handlers.teams.turns import Teams, Turn, start
from storage.maintenance_models import MaintenanceWindow

DIALOG = "maintenance"
TITLE = "Schedule maintenance"
HANDLED = frozenset(
    {CardAction.APPROVE_MAINTENANCE, CardAction.CANCEL_MAINTENANCE, CardAction.COMPLETE_MAINTENANCE}
)
LABELS = dict(
    zip(MAINTENANCE_STAGES, ("Announcement (once approved)", "At the start", "At the end"), strict=True)
)


def service(teams: Teams) -> MaintenanceService:
    return MaintenanceService(teams.core)


async def command(teams: Teams, turn: Turn) -> None:
    """`incident maintenance [title]`, or `incident maintenance complete <id>`."""
    sub, _, argument = turn.text.partition(" ")
    if sub.lower() == "complete" and argument.strip().isdigit():
        done = await service(teams).complete(int(argument), actor=turn.user)
        await teams.gateway.post(turn.conversation, done_card(done, "completed."))
        return
    data = {"msteams": {"type": "task/fetch"}, "dialog": DIALOG, "title": turn.text[:TITLE_MAX]}
    text = "Schedule maintenance: the form asks for the window, the components and the customer texts."
    prompt = form_card(
        [{"type": "TextBlock", "text": text, "wrap": True}],
        [{"type": "Action.Submit", "title": TITLE, "data": data, "style": "positive"}],
    )
    await teams.gateway.post_adaptive(turn.conversation, prompt, TITLE)


async def open_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    maintenance = service(teams)
    try:
        await maintenance.may_schedule(turn.user)  # before the form is filled in
    except NotAllowed as refused:
        return close_with(refused.message)
    start, end = maintenance.default_window()
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    plan = MaintenancePlan(title, start, end, (), "", {})
    texts = maintenance.prefill(plan)
    values = {"title": title, **{TEXT_FIELDS[stage]: text for stage, text in texts.items()}}
    return continue_with(_form(teams, values, plan), TITLE)


async def submit_dialog(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    core = teams.core
    values = _values(data)
    opened = _opened(data)
    try:
        plan = parse_maintenance(
            values,
            core.clock.now(),
            set(core.policy.status_page.components),
            core.policy.maintenance.min_notice,
        )
    except Invalid as invalid:
        return continue_with(_form(teams, data, opened, invalid.fields), TITLE)
    window = await service(teams).schedule(
        plan, owner=turn.user, source_key=f"teams:{turn.activity_id}", opened=opened
    )
    if window.approval_ts is None:
        channel = core.policy.channels.approvals or turn.conversation
        ref = await core.platform.post(channel, _card(teams, window))
        await service(teams).record_card(window.id, ref.channel_id, ref.message_id)
    return close_with(f"MNT-{window.id} sent for approval: {window.title[:80]}")


async def clicked(teams: Teams, turn: Turn, verb: str, data: dict[str, Any]) -> Card:
    """A button of a maintenance card; the card as it now stands (refusals raise)."""
    maintenance = service(teams)
    if verb == CardAction.APPROVE_MAINTENANCE:
        maintenance_id, version = _numbers(data)
        window = await maintenance.approve(maintenance_id, version, approver=turn.user)
    elif verb == CardAction.CANCEL_MAINTENANCE:
        window = await maintenance.cancel(button_number(data, "a maintenance"), actor=turn.user)
    else:
        window = await maintenance.complete(button_number(data, "a maintenance"), actor=turn.user)
    window, _ = await maintenance.get(window.id)
    card = _card(teams, window)
    if window.approval_ts and window.approval_channel_id:  # everyone else's copy, once Teams has its answer
        ref = MessageRef(window.approval_channel_id, window.approval_ts)
        start(teams, later(lambda: teams.core.platform.update(ref, card), "maintenance_card"), turn)
    return card


def _numbers(data: dict[str, Any]) -> tuple[int, int]:
    return button_numbers(data, "a maintenance")


def _card(teams: Teams, window: MaintenanceWindow) -> Card:
    names = {cid: c.name for cid, c in teams.core.policy.status_page.components.items()}
    return approval_card(window, names)


def _form(teams: Teams, values: dict[str, Any], plan: MaintenancePlan | None, errors=None) -> dict[str, Any]:
    components = teams.core.policy.status_page.components
    body: list[dict[str, Any]] = [text_input("title", "Title", TITLE_MAX, values)]
    body += _moment("starts_at", "Starts", values, plan.starts_at if plan else None)
    body += _moment("ends_at", "Ends", values, plan.ends_at if plan else None)
    if components:
        choices = [{"title": c.name, "value": cid} for cid, c in components.items()]
        body.append(
            choice_set(
                "components", "Affected components", choices, str(values.get("components") or ""), multi=True
            )
        )
    body.append(text_input("expected_impact", "Expected impact", IMPACT_MAX, values, multiline=True))
    body += [
        text_input(TEXT_FIELDS[s], LABELS[s], TEXT_MAX, values, multiline=True) for s in MAINTENANCE_STAGES
    ]
    for field, message in (errors or {}).items():
        body.append(
            {
                "type": "TextBlock",
                "text": f"{field.replace('_', ' ')}: {message}",
                "color": "Attention",
                "wrap": True,
            }
        )
    opened = json.dumps(_plan_data(plan)) if plan else str(values.get("opened") or "")
    submit = {"dialog": DIALOG, "opened": opened}
    return form_card(body, [{"type": "Action.Submit", "title": "Send for approval", "data": submit}])


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = {
        k: data[k]
        for k in ("title", "expected_impact", *TEXT_FIELDS.values())
        if isinstance(data.get(k), str)
    }
    raw = data.get("components")
    values["components"] = [c.strip() for c in raw.split(",") if c.strip()] if isinstance(raw, str) else []
    return values | {"starts_at": epoch(data, "starts_at"), "ends_at": epoch(data, "ends_at")}


def _plan_data(plan: MaintenancePlan) -> dict[str, Any]:
    return {"title": plan.title, "start": plan.starts_at.isoformat(), "end": plan.ends_at.isoformat()}


def _opened(data: dict[str, Any]) -> MaintenancePlan | None:
    try:
        seen = json.loads(str(data.get("opened") or ""))
        start, end = datetime.fromisoformat(seen["start"]), datetime.fromisoformat(seen["end"])
        return MaintenancePlan(str(seen["title"]), start, end, (), "", {})
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
