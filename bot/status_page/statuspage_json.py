"""The Statuspage-compatible JSON API (`/api/v2/…`): the field names and vocabularies of
Atlassian Statuspage's public API, so existing widgets and monitors can read our page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.chat.public_text import to_plain
from bot.policy.model import Policy
from bot.status_page.data import PublicIncident, PublicUpdate

PAGE_ID = "incident-comms"
DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
RANK = ["none", "minor", "major", "critical"]
INCIDENTS = "\u0000incidents"  # marks the list the caller splices in; no policy text contains NUL


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


class StatuspageJson:
    def __init__(self, policy: Policy, page_url: str) -> None:
        self.policy, self.page_url = policy, page_url

    def page(self, updated_at: datetime | None) -> dict[str, Any]:
        return {
            "id": PAGE_ID,
            "name": self.policy.status_page.name,
            "url": self.page_url,
            "time_zone": "Etc/UTC",
            "updated_at": iso(updated_at),
        }

    def impact(self, incident: PublicIncident) -> str:
        return self.policy.status_page.impact_of(incident.severity, self.policy.severity_names)

    def indicator(self, live: list[PublicIncident]) -> dict[str, str]:
        worst = max((self.impact(i) for i in live), key=RANK.index, default="none")
        return {"indicator": worst, "description": DESCRIPTIONS[worst]}

    def incident(self, incident: PublicIncident) -> dict[str, Any]:
        incident_id = f"inc-{incident.id}"
        return {
            "id": incident_id,
            "name": incident.title,
            "status": incident.status,
            "impact": self.impact(incident),
            "created_at": iso(incident.updates[-1].published_at),
            "updated_at": iso(incident.updated_at),
            "started_at": iso(incident.declared_at),
            "monitoring_at": iso(_first(incident, "monitoring")),
            "resolved_at": iso(incident.resolved_at),
            "shortlink": f"{self.page_url}#{incident_id}",
            "page_id": PAGE_ID,
            "incident_updates": [self.update(incident_id, u) for u in incident.updates],
            "components": [],
        }

    def update(self, incident_id: str, update: PublicUpdate) -> dict[str, Any]:
        return {
            "id": f"{incident_id}-u{update.id}",
            "incident_id": incident_id,
            "status": update.status,
            "body": to_plain(update.text),
            "created_at": iso(update.published_at),
            "updated_at": iso(update.updated_at),
            "display_at": iso(update.published_at),
            "affected_components": None,
        }

    def skeleton(self, kind: str, live: list[PublicIncident], updated_at: datetime | None) -> dict[str, Any]:
        """A document with the INCIDENTS marker where its incident list goes (the caller fills it in)."""
        page, status = self.page(updated_at), self.indicator(live)
        if kind == "status.json":
            return {"page": page, "status": status}
        if kind == "summary.json":
            return {
                "page": page,
                "components": [],
                "incidents": INCIDENTS,
                "scheduled_maintenances": [],
                "status": status,
            }
        if kind in ("incidents.json", "incidents/unresolved.json"):
            return {"page": page, "incidents": INCIDENTS}
        raise KeyError(kind)


def _first(incident: PublicIncident, status: str) -> datetime | None:
    times = [u.published_at for u in incident.updates if u.status == status]
    return min(times) if times else None
