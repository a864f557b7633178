"""Resolve, reopen and follow-ups: `/incident resolve|reopen|followups`, their buttons and modals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.audit.timeline import timeline_card
from bot.enums import Action, IncidentStatus
from bot.errors import Conflict, Invalid, NotFound
from bot.resolution.follow_up_plan import title_of
from bot.resolution.follow_ups import REASSIGNED_MEANWHILE, assignment, is_rca
from bot.resolution.forms import (
    RcaInput,
    ResolveInput,
    opened_mark,
    parse_change,
    parse_notes,
    parse_rca,
    parse_resolve,
)
from handlers.slack.actions import incident_id_of
from handlers.slack.after_ack import Slack, ack_then, user_of, validated
from handlers.slack.blocks.resolution_forms import change_modal, complete_modal, resolve_modal
from handlers.slack.form_values import form_values, view_metadata
from handlers.slack.ids import ActionId, CallbackId


def register(app: AsyncApp, slack: Slack) -> None:
    app.action(ActionId.RESOLVE_INCIDENT.value)(ack_then(slack, resolve_clicked))
    app.action(ActionId.COMPLETE_FOLLOW_UP.value)(ack_then(slack, open_complete))
    app.action(ActionId.CHANGE_FOLLOW_UP.value)(ack_then(slack, open_change))
    app.view(CallbackId.RESOLVE.value)(validated(slack, _check_resolve, resolve_submitted))
    app.view(CallbackId.COMPLETE_FOLLOW_UP.value)(validated(slack, _check_complete, complete_submitted))
    app.view(CallbackId.CHANGE_FOLLOW_UP.value)(validated(slack, _check_change, change_submitted))


# ---- resolve and reopen ----------------------------------------------------------------------
async def resolve(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await _open_resolve(slack, incident.id, body["trigger_id"], body["user_id"])


async def resolve_clicked(slack: Slack, body: dict[str, Any]) -> None:
    await _open_resolve(slack, incident_id_of(body), body["trigger_id"], user_of(body))


async def _open_resolve(slack: Slack, incident_id: int, trigger_id: str, user_id: str) -> None:
    core = slack.core
    incident = await core.incidents.get(incident_id)
    await core.access.require(user_id, Action.RESOLVE, incident)
    if incident.status == IncidentStatus.RESOLVED:
        raise Conflict(f"{core.cards.ref(incident)} is already resolved. `/incident reopen` brings it back.")
    prefill, started = core.resolution.resolve_prefill(incident)
    now = core.clock.now()
    metadata = {"incident_id": incident.id, "opened_at": opened_mark(now)}
    view = resolve_modal(core.cards.ref(incident), now, started, prefill, metadata)
    await slack.gateway.open_view(trigger_id, view)


async def _check_resolve(slack: Slack, body: dict[str, Any]) -> ResolveInput:
    metadata = view_metadata(body)
    form = parse_resolve(form_values(body["view"]), slack.core.clock.now(), metadata.get("opened_at"))
    await slack.core.resolution.check_form(int(metadata.get("incident_id", 0)), form)
    return form


async def resolve_submitted(slack: Slack, body: dict[str, Any], form: ResolveInput) -> None:
    incident_id = int(view_metadata(body).get("incident_id", 0))
    await slack.core.resolution.resolve(incident_id, form, actor=user_of(body))


async def reopen(slack: Slack, body: dict[str, Any], rest: str) -> None:
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    await slack.core.resolution.reopen(incident.id, actor=body["user_id"])


async def show_timeline(slack: Slack, body: dict[str, Any], rest: str) -> None:
    core = slack.core
    found = await core.incidents.by_channel(body["channel_id"])
    incident, entries = await core.incidents.timeline(found.id, viewer=body["user_id"])
    card = timeline_card(core.templates, incident, core.cards.ref(incident), entries)
    await slack.gateway.tell_user(body["user_id"], card, reply_url=body.get("response_url"))


# ---- follow-ups ---------------------------------------------------------------------------------
async def follow_ups(slack: Slack, body: dict[str, Any], rest: str) -> None:
    core = slack.core
    incident = await core.incidents.by_channel(body["channel_id"])
    items = await core.follow_ups.listing(incident, viewer=body["user_id"])
    card = core.resolution.cards.listing(incident, items, core.clock.now())
    await slack.gateway.tell_user(body["user_id"], card, reply_url=body.get("response_url"))


def _item_id(body: dict[str, Any]) -> int:
    try:
        return int(body["actions"][0]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise NotFound("That button no longer points at a follow-up item.") from None


async def open_complete(slack: Slack, body: dict[str, Any]) -> None:
    item, incident = await slack.core.follow_ups.get(_item_id(body))
    await slack.core.access.require(user_of(body), Action.COMPLETE_FOLLOW_UP, incident, owner=item.owner_id)
    view = complete_modal(
        title_of(item.kind, item.subject),
        rca=is_rca(item),
        metadata={"follow_up": item.id, "rca": is_rca(item)},
        prefill=await slack.core.resolution.review_prefill(incident) if is_rca(item) else None,
    )
    await slack.gateway.open_view(body["trigger_id"], view)


def _check_complete(slack: Slack, body: dict[str, Any]):
    values = form_values(body["view"])
    return parse_rca(values) if view_metadata(body).get("rca") else parse_notes(values)


async def complete_submitted(slack: Slack, body: dict[str, Any], checked: RcaInput | str) -> None:
    item_id = int(view_metadata(body).get("follow_up", 0))
    if isinstance(checked, str):
        await slack.core.resolution.complete(item_id, actor=user_of(body), notes=checked)
    else:
        await slack.core.resolution.complete(item_id, actor=user_of(body), rca=checked)


async def open_change(slack: Slack, body: dict[str, Any]) -> None:
    item, incident = await slack.core.follow_ups.get(_item_id(body))
    await slack.core.access.require(user_of(body), Action.REASSIGN_FOLLOW_UP, incident, owner=item.owner_id)
    view = change_modal(item.owner_id, item.due_at, {"follow_up": item.id, "opened": assignment(item)})
    await slack.gateway.open_view(body["trigger_id"], view)


async def _check_change(slack: Slack, body: dict[str, Any]):
    """Bad fields, and an item someone else changed since the form opened, answered inline."""
    change = parse_change(form_values(body["view"]), slack.core.clock.now())
    meta = view_metadata(body)
    item, _incident = await slack.core.follow_ups.get(int(meta.get("follow_up", 0)))
    if isinstance(meta.get("opened"), str) and meta["opened"] != assignment(item):
        raise Invalid({"owner": REASSIGNED_MEANWHILE})
    return change


async def change_submitted(slack: Slack, body: dict[str, Any], change: tuple[str, datetime]) -> None:
    owner, due = change
    meta = view_metadata(body)
    opened = meta.get("opened") if isinstance(meta.get("opened"), str) else None
    await slack.core.resolution.reassign(
        int(meta.get("follow_up", 0)), owner=owner, due_at=due, actor=user_of(body), opened=opened
    )
