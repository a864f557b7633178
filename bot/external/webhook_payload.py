"""The JSON body of a webhook event. Only approved content and public state leave.

    {"id": "draft-12.v1.published", "type": "message.published", "created_at": "…Z",
     "incident": {"ref": "INC-42", "title": "<headline of the approved message>",
                  "status": "investigating", "severity": "SEV2", "impact": "major",
                  "started_at": "…Z", "resolved_at": null},
     "message": {"stage": "update", "audience": "customers", "version": 1, "text": "…"}}

`id` names the event (the same for every endpoint); the delivery id is a header. Incident
events carry `"change": {"from": …, "to": …}` instead of `message`. The title is the approved
headline, never the internal incident title, and a named account appears only as the audience
of its own messages (`"account"`), which only that account's endpoints receive.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.chat.public_text import to_markdown
from bot.enums import AudienceKind
from bot.external.context import EventContext
from bot.policy.model import Policy
from storage.channel_models import ExternalDelivery


def payload(row: ExternalDelivery, context: EventContext, policy: Policy) -> bytes:
    incident = context.incident
    body: dict[str, Any] = {
        "id": row.event_key,
        "type": row.event,
        "created_at": _iso(row.created_at),
        "incident": {
            "ref": context.reference,
            "title": context.headline,
            "status": incident.status,
            "severity": incident.severity,
            "impact": policy.status_page.impact_of(incident.severity, policy.severity_names),
            "started_at": _iso(incident.declared_at),
            "resolved_at": _iso(incident.resolved_at),
        },
    }
    if context.draft is not None and context.version is not None:
        draft = context.draft
        message: dict[str, Any] = {
            "stage": draft.stage,
            "audience": draft.audience_kind,
            "version": context.version.number,
            "text": to_markdown(context.version.text),
        }
        if draft.audience_kind == AudienceKind.NAMED_ACCOUNT:
            message["account"] = draft.audience_key  # only ever sent to that account's endpoints
        body["message"] = message
    elif context.change is not None:
        details = context.change.details
        body["change"] = _change(context.change.action, details, incident.status)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _change(action: str, details: dict[str, Any], status: str) -> dict[str, Any]:
    if action == "incident.severity_changed":
        return {"field": "severity", "from": details.get("old"), "to": details.get("new")}
    if action == "incident.resolved":
        return {"field": "status", "from": details.get("old_status"), "to": "resolved"}
    if action == "incident.reopened":
        return {"field": "status", "from": "resolved", "to": "investigating"}
    return {"field": "status", "from": details.get("old"), "to": details.get("new", status)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
