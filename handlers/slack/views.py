"""Modal submissions. Validation answers inline inside the ack; the work runs after it."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.errors import Invalid
from bot.incident_forms import parse_declare, parse_edit
from bot.services import Core
from handlers.slack.form_values import form_values
from handlers.slack.ids import CallbackId
from handlers.slack.lazy import lazy


def register(app: AsyncApp, core: Core) -> None:
    app.view(CallbackId.DECLARE.value)(
        ack=_validator(core, _check_declare), lazy=[lazy(core, declare_submitted)]
    )
    app.view(CallbackId.EDIT.value)(ack=_validator(core, _check_edit), lazy=[lazy(core, edit_submitted)])


def _check_declare(core: Core, body: dict[str, Any]):
    return parse_declare(form_values(body["view"]), core.policy, body["user"]["id"])


def _check_edit(core: Core, body: dict[str, Any]):
    return parse_edit(form_values(body["view"]), core.policy)


def _validator(core: Core, check):
    async def ack_with_errors(ack, body) -> None:
        try:
            check(core, body)
        except Invalid as invalid:
            await ack(response_action="errors", errors=invalid.fields)
            return
        await ack()

    return ack_with_errors


def _metadata(body: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(body["view"].get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def declare_submitted(core: Core, body: dict[str, Any], client, respond) -> None:
    try:  # the lazy part runs even when the ack refused the form (Bolt): check again
        form = _check_declare(core, body)
    except Invalid:
        return
    meta = _metadata(body)
    declared = await core.incidents.declare(
        form,
        reporter_id=body["user"]["id"],
        origin_channel_id=meta.get("origin"),
        source_key=body["view"]["id"],
    )
    if declared.created:
        await core.setup.run(declared.incident.id, reply_url=meta.get("reply_url"))


async def edit_submitted(core: Core, body: dict[str, Any], client, respond) -> None:
    try:
        form = _check_edit(core, body)
    except Invalid:
        return
    actor = body["user"]["id"]
    edited = await core.incidents.edit(int(_metadata(body).get("incident_id", 0)), form, actor=actor)
    incident = edited.incident
    if not edited.changes or not incident.channel_id:
        return
    others = {name: pair for name, pair in edited.changes.items() if name != "severity"}
    if "severity" in edited.changes:
        old, new = edited.changes["severity"]
        await core.platform.post(incident.channel_id, core.cards.severity_changed(incident, old, new, actor))
    if others:
        await core.platform.post(incident.channel_id, core.cards.edited(incident, others, actor))
    await core.setup.refresh_intro(incident)
