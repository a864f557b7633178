"""The facts a responder confirms in the drafting form; stored as JSON in ``DraftVersion.facts``.

Every text field is plain user text: templates insert it verbatim (never evaluated) and the
platform adapter escapes it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

FACT_LIMITS: dict[str, int] = {
    "headline": 150,
    "what_happened": 2000,
    "impact": 1500,
    "eta": 300,
    "actions_taken": 1500,
    "next_steps": 1000,
    "support_route": 500,
    "resolution": 1000,
    "root_cause": 2000,
    "corrective_actions": 1500,
    "preventive_measures": 1500,
    "feedback_route": 500,
    "window": 300,
}
"""Maximum characters per text field (the form's ``max_length``; prefills are clipped to fit)."""


@dataclass(frozen=True)
class DraftFacts:
    """What the responder confirms or edits before a draft is rendered."""

    headline: str  # customer-facing subject line (defaults to the incident title)
    what_happened: str  # for updates: what changed since the last update
    impact: str
    eta: str  # "" = no estimate yet; templates then say so explicitly
    actions_taken: str
    next_steps: str
    next_update_at: datetime | None  # None only for resolved / post_incident
    support_route: str
    resolution: str = ""  # resolved stage: customer-facing confirmation
    root_cause: str = ""
    corrective_actions: str = ""
    preventive_measures: str = ""
    feedback_route: str = ""
    window: str = ""  # resolved / post_incident: "Between 09:12 and 10:55 UTC on Fri 4 Dec 2026"
    components: dict[str, str] | None = None  # status-page component id -> status; None: not said

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["next_update_at"] = self.next_update_at.isoformat() if self.next_update_at else None
        if self.components is None:
            del data["components"]  # facts that say nothing of components stay as they were
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftFacts:
        """Tolerant of missing and unknown keys, so facts stored by older versions still load."""
        values: dict[str, Any] = {name: _text(data.get(name)) for name in FACT_LIMITS}
        values["next_update_at"] = _moment(data.get("next_update_at"))
        said = data.get("components")
        values["components"] = {str(k): str(v) for k, v in said.items()} if isinstance(said, dict) else None
        return cls(**values)

    def clipped(self) -> DraftFacts:
        """A copy whose text fields fit ``FACT_LIMITS`` (a longer prefill would be refused by the form)."""
        changes = {
            f.name: _clip(getattr(self, f.name), FACT_LIMITS[f.name])
            for f in fields(self)
            if f.name in FACT_LIMITS
        }
        return replace(self, **changes)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return as_utc(moment)


def as_utc(moment: datetime) -> datetime:
    """Aware UTC datetime; a naive one is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
