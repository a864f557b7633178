"""The live facts retold once the incident is over: in the past tense, with the incident window.

The resolve form and the RCA form are prefilled from here and the responder confirms or edits
what they say; a resolution by `/incident edit` (no form) uses the prefill as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.comms.drafting_facts import DraftFacts, as_utc
from bot.resolution.past_tense import past_tense, started_since
from bot.resolution.window import window_text
from storage.models import Incident


@dataclass(frozen=True)
class Retold:
    what_happened: str
    impact: str
    started_at: datetime  # when the impact began: an open "since 09:12" in the facts, else the declaration


def retold(incident: Incident) -> Retold:
    declared = as_utc(incident.declared_at)
    facts = f"{incident.what_happened} {incident.customer_impact}"
    started = started_since(facts, declared) or declared
    return Retold(past_tense(incident.what_happened), past_tense(incident.customer_impact), started)


def resolve_prefill(incident: Incident) -> dict[str, str]:
    """The resolve form's past-tense facts (its `started_at` picker starts at `retold().started_at`)."""
    told = retold(incident)
    return {"what_happened": told.what_happened, "impact": told.impact}


def review_prefill(incident: Incident, previous: DraftFacts | None) -> dict[str, str]:
    """The RCA form's window, summary and impact: as the resolution notice told them, when there
    is one; else retold from the incident."""
    if previous is not None and previous.window:
        return {"window": previous.window, "what_happened": previous.what_happened, "impact": previous.impact}
    told = retold(incident)
    end = as_utc(incident.resolved_at) if incident.resolved_at else told.started_at
    return {
        "window": window_text(told.started_at, end),
        "what_happened": told.what_happened,
        "impact": told.impact,
    }


def as_resolved(
    facts: DraftFacts,
    incident: Incident,
    *,
    started_at: datetime | None = None,
    what_happened: str = "",
    impact: str = "",
) -> DraftFacts:
    """The resolution notice's facts: what the form confirmed, the rest retold."""
    told = retold(incident)
    end = as_utc(incident.resolved_at) if incident.resolved_at else told.started_at
    start = min(as_utc(started_at), end) if started_at else told.started_at
    return replace(
        facts,
        what_happened=what_happened or told.what_happened,
        impact=impact or told.impact,
        window=window_text(start, end),
    ).clipped()
