"""`/incident maintenance [title]`, `… list`, `… cancel <id>`, `… complete <id>`; the scheduling
modal; Approve, Cancel and Complete on maintenance cards."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.chat.cards import Card
from bot.chat.ports import MessageRef
from bot.errors import NotFound
from bot.maintenance.cards import approval_card, done_card
from bot.maintenance.changes import PERMISSIONS, ChangeKind
from bot.maintenance.forms import MaintenancePlan, parse_change, parse_maintenance
from bot.maintenance.service import MaintenanceService
from handlers.slack.after_ack import Slack, ack_then, validated
from handlers.slack.blocks.maintenance_forms import (
    CALLBACK,
    CHANGE_CALLBACK,
    change_modal,
    maintenance_modal,
    opened_plan,
    plan_metadata,
)
from handlers.slack.form_values import form_values, view_metadata
from handlers.slack.ids import ActionId
from storage.maintenance_models import MaintenanceStatus, MaintenanceWindow


def register(app: AsyncApp, slack: Slack) -> None:
    app.view(CALLBACK)(validated(slack, _plan, scheduled))
    app.view(CHANGE_CALLBACK)(validated(slack, _change, change_requested))
    app.action(ActionId.APPROVE_MAINTENANCE.value)(ack_then(slack, approve))
    app.action(ActionId.CANCEL_MAINTENANCE.value)(ack_then(slack, cancel))
    app.action(ActionId.COMPLETE_MAINTENANCE.value)(ack_then(slack, complete))


def service(slack: Slack) -> MaintenanceService:
    return MaintenanceService(slack.core)


async def command(slack: Slack, body: dict[str, Any], rest: str) -> None:
    """Routed from `/incident maintenance …` (handlers/slack/commands.py)."""
    sub, _, argument = rest.partition(" ")
    sub, argument = sub.lower(), argument.strip()
    if sub in ("cancel", "extend") and argument.isdigit():
        await open_change(
            slack, int(argument), ChangeKind.EXTEND if sub == "extend" else ChangeKind.CANCEL, body
        )
    elif sub == "complete" and argument.isdigit():
        done = await service(slack).complete(int(argument), actor=body["user_id"])
        await _show(slack, done)
        await _reply(slack, body, done_card(done, "completed."))
    else:
        await open_form(slack, body, rest)


async def open_change(slack: Slack, maintenance_id: int, kind: ChangeKind, body: dict[str, Any]) -> None:
    """Not yet announced: cancelled at once. Otherwise the change's form, its text prefilled."""
    user = body.get("user_id") or body["user"]["id"]
    maintenance = service(slack)
    window, host = await maintenance.get(maintenance_id)
    if kind == ChangeKind.CANCEL and window.status == MaintenanceStatus.PENDING:
        done = await maintenance.cancel(maintenance_id, actor=user)
        await _show(slack, done)
        await _reply(slack, {"user_id": user}, done_card(done, "cancelled before anything was announced."))
        return
    await slack.core.access.require(user, PERMISSIONS[kind], host)  # before the form is filled in
    until = window.ends_at + timedelta(hours=1) if kind == ChangeKind.EXTEND else None
    metadata = {"id": maintenance_id, "kind": kind.value, "opened": until.isoformat() if until else None}
    view = change_modal(kind.value, maintenance.change_prefill(window, kind, until), until, metadata)
    await slack.gateway.open_view(body["trigger_id"], view)


def _change(slack: Slack, body: dict[str, Any]) -> tuple[datetime | None, str]:
    extends = view_metadata(body).get("kind") == ChangeKind.EXTEND
    return parse_change(form_values(body["view"]), slack.core.clock.now(), extends=extends)


async def change_requested(slack: Slack, body: dict[str, Any], form: tuple[datetime | None, str]) -> None:
    metadata, (until, text) = view_metadata(body), form
    opened = datetime.fromisoformat(metadata["opened"]) if metadata.get("opened") else None
    window = await service(slack).request_change(
        int(metadata["id"]),
        ChangeKind(metadata["kind"]),
        actor=body["user"]["id"],
        text=text,
        until=until,
        opened=opened,
    )
    await _show(slack, window)
    await _reply(slack, {"user_id": body["user"]["id"]}, done_card(window, "the change waits for approval."))


async def open_form(slack: Slack, body: dict[str, Any], title: str) -> None:
    maintenance = service(slack)
    await maintenance.may_schedule(body["user_id"])  # before the form is filled in
    start, end = maintenance.default_window()
    plan = MaintenancePlan(title.strip()[:150], start, end, (), "", {})
    metadata = plan_metadata(plan, origin=body.get("channel_id"))
    components = slack.core.policy.status_page.components
    view = maintenance_modal(plan, maintenance.prefill(plan), components, metadata)
    await slack.gateway.open_view(body["trigger_id"], view)


def _plan(slack: Slack, body: dict[str, Any]) -> MaintenancePlan:
    policy = slack.core.policy
    known = set(policy.status_page.components)
    return parse_maintenance(
        form_values(body["view"]), slack.core.clock.now(), known, policy.maintenance.min_notice
    )


async def scheduled(slack: Slack, body: dict[str, Any], plan: MaintenancePlan) -> None:
    metadata = view_metadata(body)
    user = body["user"]["id"]
    window = await service(slack).schedule(
        plan, owner=user, source_key=f"slack-view:{body['view']['id']}", opened=opened_plan(metadata)
    )
    if window.approval_ts is None:
        channel = slack.core.policy.channels.approvals or metadata.get("origin") or user
        ref = await slack.gateway.post(channel, _card(slack, window))
        await service(slack).record_card(window.id, ref.channel_id, ref.message_id)
    await _reply(slack, {"user_id": user}, done_card(window, "sent for approval."))


async def approve(slack: Slack, body: dict[str, Any]) -> None:
    maintenance_id, version = _button(body)
    await _show(slack, await service(slack).approve(maintenance_id, version, approver=body["user"]["id"]))


async def cancel(slack: Slack, body: dict[str, Any]) -> None:
    maintenance_id, _ = _button(body)
    await open_change(slack, maintenance_id, ChangeKind.CANCEL, body)


async def complete(slack: Slack, body: dict[str, Any]) -> None:
    maintenance_id, _ = _button(body)
    done = await service(slack).complete(maintenance_id, actor=body["user"]["id"])
    await _show(slack, done)
    await _reply(slack, {"user_id": body["user"]["id"]}, done_card(done, "completed."))


def _card(slack: Slack, window: MaintenanceWindow) -> Card:
    names = {cid: c.name for cid, c in slack.core.policy.status_page.components.items()}
    return approval_card(window, names)


async def _show(slack: Slack, window: MaintenanceWindow) -> None:
    """The approval card as the maintenance now stands (read afresh: the caller's copy may be older)."""
    window, _ = await service(slack).get(window.id)
    if window.approval_ts and window.approval_channel_id:
        await slack.gateway.update(
            MessageRef(window.approval_channel_id, window.approval_ts), _card(slack, window)
        )


async def _reply(slack: Slack, body: dict[str, Any], card: Card) -> None:
    await slack.gateway.tell_user(body["user_id"], card, reply_url=body.get("response_url"))


def _button(body: dict[str, Any]) -> tuple[int, int]:
    try:
        first, _, second = str(body["actions"][0]["value"]).partition(":")
        return int(first), int(second or 0)
    except (KeyError, IndexError, ValueError, TypeError):
        raise NotFound("That button no longer points at a maintenance.") from None
