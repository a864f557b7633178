"""The Statuspage-compatible JSON API (`/api/v2/…`): the field names and vocabularies of
Atlassian Statuspage's public API, so existing widgets and monitors can read our page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.chat.public_text import to_plain
from bot.policy.model import Policy
from bot.policy.status_components import group_id, worst
from bot.status_page.components import PublicComponent, spans
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
FLOOR = datetime(2026, 1, 1, tzinfo=UTC)  # `created_at` of components, `updated_at` of a page never changed
MAINTENANCE_DOCUMENTS = (
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
)  # empty until scheduled maintenance exists (issue 23)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


class StatuspageJson:
    def __init__(self, policy: Policy, page_url: str) -> None:
        self.policy, self.page_url = policy, page_url
        self.components: list[PublicComponent] = []

    def page(self, updated_at: datetime | None) -> dict[str, Any]:
        return {
            "id": PAGE_ID,
            "name": self.policy.status_page.name,
            "url": self.page_url,
            "time_zone": "Etc/UTC",
            "updated_at": iso(updated_at or FLOOR),
        }

    def impact(self, incident: PublicIncident) -> str:
        return self.policy.status_page.impact_of(incident.severity, self.policy.severity_names)

    def indicator(self, live: list[PublicIncident]) -> dict[str, str]:
        worst_impact = max((self.impact(i) for i in live), key=RANK.index, default="none")
        return {"indicator": worst_impact, "description": DESCRIPTIONS[worst_impact]}

    def component_list(self) -> list[dict[str, Any]]:
        """Components in page order, each group (a Statuspage group component) before its members."""
        listed: list[dict[str, Any]] = []
        grouped: dict[str, list[PublicComponent]] = {}
        for component in self.components:
            grouped.setdefault(component.policy.group, []).append(component)
        for name, members in grouped.items():
            if name:
                listed.append(self._group(name, members, len(listed) + 1))
            listed.extend(self.component(c, len(listed) + 1) for c in members)
        return listed

    def component(self, component: PublicComponent, position: int = 0) -> dict[str, Any]:
        group = component.policy.group
        return {
            "id": component.id,
            "name": component.policy.name,
            "status": component.status,
            "created_at": iso(FLOOR),
            "updated_at": iso(component.updated_at or FLOOR),
            "position": position or self._position(component.id),
            "description": component.policy.description or None,
            "showcase": True,
            "start_date": None,
            "group_id": group_id(group) if group else None,
            "page_id": PAGE_ID,
            "group": False,
            "only_show_if_degraded": component.policy.only_show_if_degraded,
        }

    def _group(self, name: str, members: list[PublicComponent], position: int) -> dict[str, Any]:
        moments = [c.updated_at for c in members if c.updated_at]
        return {
            "id": group_id(name),
            "name": name,
            "status": worst([c.status for c in members]),
            "created_at": iso(FLOOR),
            "updated_at": iso(max(moments, default=FLOOR)),
            "position": position,
            "description": None,
            "showcase": False,
            "start_date": None,
            "group_id": None,
            "page_id": PAGE_ID,
            "group": True,
            "only_show_if_degraded": False,
            "components": [c.id for c in members],
        }

    def _position(self, component_id: str) -> int:
        positions = {c["id"]: c["position"] for c in self.component_list()}
        return positions.get(component_id, 0)

    def incident(self, incident: PublicIncident) -> dict[str, Any]:
        incident_id = f"inc-{incident.id}"
        by_id = {c.id: c for c in self.components}
        touched = {s.component for s in spans(incident, set(by_id))}
        return {
            "id": incident_id,
            "name": incident.title,
            "status": incident.status,
            "created_at": iso(incident.updates[-1].published_at),
            "updated_at": iso(incident.updated_at),
            "monitoring_at": iso(_first(incident, "monitoring")),
            "resolved_at": iso(incident.resolved_at),
            "impact": self.impact(incident),
            "shortlink": f"{self.page_url}#{incident_id}",
            "started_at": iso(incident.declared_at),
            "page_id": PAGE_ID,
            "incident_updates": self._updates(incident_id, incident),
            "components": [self.component(by_id[c]) for c in by_id if c in touched],
        }

    def _updates(self, incident_id: str, incident: PublicIncident) -> list[dict[str, Any]]:
        shaped, before = [], {}
        names = {c.id: c.policy.name for c in self.components}
        for update in sorted(incident.updates, key=lambda u: (u.published_at, int(u.id))):
            closing = update.status in ("resolved", "postmortem")
            now = {} if closing else (update.components if update.components is not None else before)
            now = {k: v for k, v in now.items() if k in names}
            changed = [
                {"code": c, "name": names[c], "old_status": before.get(c, "operational"), "new_status": s}
                for c, s in sorted({**{c: "operational" for c in before}, **now}.items())
                if before.get(c, "operational") != s
            ]
            shaped.append(self.update(incident_id, update, changed or None))
            before = now
        return shaped[::-1]

    def update(
        self, incident_id: str, update: PublicUpdate, affected: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        return {
            "id": f"{incident_id}-u{update.id}",
            "status": update.status,
            "body": to_plain(update.text),
            "incident_id": incident_id,
            "created_at": iso(update.published_at),
            "updated_at": iso(update.updated_at),
            "display_at": iso(update.published_at),
            "affected_components": affected,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def skeleton(self, kind: str, live: list[PublicIncident], updated_at: datetime | None) -> dict[str, Any]:
        """A document with the INCIDENTS marker where its incident list goes (the caller fills it in)."""
        page, status = self.page(updated_at), self.indicator(live)
        if kind == "status.json":
            return {"page": page, "status": status}
        if kind == "summary.json":
            return {
                "page": page,
                "components": self.component_list(),
                "incidents": INCIDENTS,
                "scheduled_maintenances": [],
                "status": status,
            }
        if kind == "components.json":
            return {"page": page, "components": self.component_list()}
        if kind in ("incidents.json", "incidents/unresolved.json"):
            return {"page": page, "incidents": INCIDENTS}
        if kind in MAINTENANCE_DOCUMENTS:
            return {"page": page, "scheduled_maintenances": []}
        raise KeyError(kind)


def _first(incident: PublicIncident, status: str) -> datetime | None:
    times = [u.published_at for u in incident.updates if u.status == status]
    return min(times) if times else None
