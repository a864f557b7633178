"""Modal submissions. Validation answers inline inside the ack; the work runs after it."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.incidents.forms import (
    DeclareInput,
    EditInput,
    HandoverInput,
    parse_declare,
    parse_edit,
    parse_handover,
)
from bot.incidents.stale_forms import opened_from
from bot.services.flows import declare_and_set_up
from bot.services.incident_edits import edit_and_announce, hand_over_and_announce
from handlers.slack.after_ack import Slack, validated
from handlers.slack.form_values import form_values, view_metadata
from handlers.slack.ids import CallbackId


def register(app: AsyncApp, slack: Slack) -> None:
    app.view(CallbackId.DECLARE.value)(validated(slack, _check_declare, declare_submitted))
    app.view(CallbackId.EDIT.value)(validated(slack, _check_edit, edit_submitted))
    app.view(CallbackId.HAND_OVER.value)(validated(slack, _check_handover, handover_submitted))


def _check_declare(slack: Slack, body: dict[str, Any]) -> DeclareInput:
    return parse_declare(form_values(body["view"]), slack.core.policy, body["user"]["id"])


async def _check_edit(slack: Slack, body: dict[str, Any]) -> EditInput:
    """Bad fields, and fields someone else changed since the form opened, are answered inline."""
    form = parse_edit(form_values(body["view"]), slack.core.policy)
    meta = view_metadata(body)
    incident = await slack.core.incidents.get(int(meta.get("incident_id", 0)))
    slack.core.incidents.stale(incident, form, opened_from(meta.get("opened")))
    return form


async def declare_submitted(slack: Slack, body: dict[str, Any], form: DeclareInput) -> None:
    meta = view_metadata(body)
    await declare_and_set_up(
        slack.core,
        form,
        reporter_id=body["user"]["id"],
        origin_channel_id=meta.get("origin"),
        source_key=body["view"]["id"],
        report_to=meta.get("reply_url"),
    )


async def edit_submitted(slack: Slack, body: dict[str, Any], form: EditInput) -> None:
    meta = view_metadata(body)
    opened = opened_from(meta.get("opened"))
    await edit_and_announce(
        slack.core, int(meta.get("incident_id", 0)), form, actor=body["user"]["id"], opened=opened
    )


def _check_handover(slack: Slack, body: dict[str, Any]) -> HandoverInput:
    return parse_handover(form_values(body["view"]))


async def handover_submitted(slack: Slack, body: dict[str, Any], form: HandoverInput) -> None:
    incident_id = int(view_metadata(body).get("incident_id", 0))
    await hand_over_and_announce(slack.core, incident_id, form.role, form.to, actor=body["user"]["id"])
