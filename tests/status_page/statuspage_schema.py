"""JSON schemas of Atlassian Statuspage's public v2 read API, written from its documented responses.

Source: the API documentation every Statuspage page serves at /api, e.g.
https://www.githubstatus.com/api (Summary, Status, Components, Incidents, Unresolved incidents,
Scheduled maintenances, upcoming and active), and the component model of the Statuspage REST API
(id, page_id, group_id, created_at, updated_at, group, name, description, position, status,
showcase, only_show_if_degraded, start_date). Public shapes only: no code from those pages.
Strict where clients depend on it (required fields, vocabularies, types), open to extra fields.
"""

from __future__ import annotations

from typing import Any

TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"}
TIME_OR_NULL = {"anyOf": [TIME, {"type": "null"}]}
TEXT_OR_NULL = {"type": ["string", "null"]}
COMPONENT_STATUS = {
    "enum": ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]
}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": sorted(properties), "properties": properties}


PAGE = _object(
    {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "url": {"type": "string"},
        "time_zone": {"type": "string"},
    }
    | {"updated_at": TIME}
)
STATUS = _object(
    {
        "indicator": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
        "description": {"type": "string"},
    }
)
COMPONENT = _object(
    {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "status": COMPONENT_STATUS,
        "created_at": TIME,
        "updated_at": TIME,
        "position": {"type": "integer"},
        "description": TEXT_OR_NULL,
        "showcase": {"type": "boolean"},
        "start_date": {"type": ["string", "null"]},
        "group_id": TEXT_OR_NULL,
        "page_id": {"type": "string"},
        "group": {"type": "boolean"},
        "only_show_if_degraded": {"type": "boolean"},
    }
)
COMPONENT["properties"]["components"] = {"type": "array", "items": {"type": "string"}}  # groups only
AFFECTED = _object(
    {"code": {"type": "string"}, "name": {"type": "string"}, "old_status": COMPONENT_STATUS}
    | {"new_status": COMPONENT_STATUS}
)
UPDATE = _object(
    {
        "id": {"type": "string"},
        "status": {"enum": ["investigating", "identified", "monitoring", "resolved", "postmortem"]},
        "body": {"type": "string"},
        "incident_id": {"type": "string"},
        "created_at": TIME,
        "updated_at": TIME,
        "display_at": TIME,
        "affected_components": {"anyOf": [{"type": "array", "items": AFFECTED}, {"type": "null"}]},
    }
)
INCIDENT = _object(
    {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "status": {"enum": ["investigating", "identified", "monitoring", "resolved", "postmortem"]},
        "created_at": TIME,
        "updated_at": TIME,
        "monitoring_at": TIME_OR_NULL,
        "resolved_at": TIME_OR_NULL,
        "impact": {"enum": ["none", "minor", "major", "critical"]},
        "shortlink": {"type": "string"},
        "started_at": TIME,
        "page_id": {"type": "string"},
        "incident_updates": {"type": "array", "items": UPDATE, "minItems": 1},
        "components": {"type": "array", "items": COMPONENT},
    }
)
MAINTENANCE = INCIDENT | {
    "properties": INCIDENT["properties"] | {"scheduled_for": TIME, "scheduled_until": TIME}
}


def _document(**parts: Any) -> dict[str, Any]:
    return _object({"page": PAGE, **parts}) | {"$schema": "https://json-schema.org/draft/2020-12/schema"}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


DOCUMENTS = {
    "status.json": _document(status=STATUS),
    "summary.json": _document(
        components=_list(COMPONENT), incidents=_list(INCIDENT), scheduled_maintenances=_list(MAINTENANCE)
    ),
    "components.json": _document(components=_list(COMPONENT)),
    "incidents.json": _document(incidents=_list(INCIDENT)),
    "incidents/unresolved.json": _document(incidents=_list(INCIDENT)),
    "scheduled-maintenances.json": _document(scheduled_maintenances=_list(MAINTENANCE)),
    "scheduled-maintenances/upcoming.json": _document(scheduled_maintenances=_list(MAINTENANCE)),
    "scheduled-maintenances/active.json": _document(scheduled_maintenances=_list(MAINTENANCE)),
}
DOCUMENTS["summary.json"]["properties"]["status"] = STATUS
DOCUMENTS["summary.json"]["required"].append("status")
ONE_INCIDENT = _document(incident=INCIDENT)
