"""Statuspage's scheduled-maintenance shape (its documented v2 responses): the incident shape with
the maintenance vocabularies (`scheduled|in_progress|verifying|completed`, impact `maintenance`)
and the window (`scheduled_for`, `scheduled_until`)."""

from __future__ import annotations

import copy

from tests.status_page.statuspage_schema import DOCUMENTS, INCIDENT, TIME, UPDATE

STATUSES = {"enum": ["scheduled", "in_progress", "verifying", "completed"]}
MAINTENANCE_UPDATE = copy.deepcopy(UPDATE)
MAINTENANCE_UPDATE["properties"]["status"] = STATUSES
MAINTENANCE = copy.deepcopy(INCIDENT)
MAINTENANCE["properties"] |= {
    "status": STATUSES,
    "impact": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
    "incident_updates": {"type": "array", "items": MAINTENANCE_UPDATE, "minItems": 1},
    "scheduled_for": TIME,
    "scheduled_until": TIME,
}
MAINTENANCE["required"] = [*MAINTENANCE.get("required", []), "scheduled_for", "scheduled_until"]


def schema(name: str) -> dict:
    """The document's schema with maintenance items as above."""
    document = copy.deepcopy(DOCUMENTS[name])
    document["properties"]["scheduled_maintenances"] = {"type": "array", "items": MAINTENANCE}
    return document
