"""Prefill of the drafting form: from the incident's facts and the previous published message.

Incident fields (what happened, impact) always come from the incident: responders keep those up
to date with ``/incident edit``. Communication fields (headline, ETA, actions, next steps, support
route, post-incident findings) come from ``previous`` when it has them, so an update starts from
what customers were last told. Nothing here invents facts: fields that only a responder can know
(root cause, preventive measures) stay empty, and the checks report them missing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.comms.confidential import account_pattern
from bot.comms.drafting_facts import DraftFacts, as_utc
from bot.enums import Stage
from bot.policy.model import Policy
from storage.models import Incident

NEXT_UPDATE_STEP = timedelta(minutes=5)
NEUTRAL_HEADLINE = "Service disruption"
INVESTIGATING = "We are investigating the issue."
CONTINUE = "We will continue to investigate and work to restore normal service."
RESOLVED = "This issue is resolved and the service is operating normally."

_LIVE = ("headline", "eta", "actions_taken", "next_steps", "support_route")
_REVIEW = ("root_cause", "corrective_actions", "preventive_measures", "feedback_route")
_CARRIED: dict[Stage, tuple[str, ...]] = {
    Stage.INITIAL: _LIVE,
    Stage.UPDATE: _LIVE,
    Stage.RESOLVED: ("headline", "actions_taken", "support_route", "resolution"),
    Stage.POST_INCIDENT: ("headline", "support_route", *_REVIEW),
    Stage.MAINTENANCE_SCHEDULED: ("headline", "support_route"),
    Stage.MAINTENANCE_STARTED: ("headline", "support_route"),
    Stage.MAINTENANCE_COMPLETED: ("headline", "support_route"),
}


def default_facts(
    incident: Incident, stage: Stage, policy: Policy, now: datetime, *, previous: DraftFacts | None = None
) -> DraftFacts:
    """The form's prefill for a new draft of ``stage``; clipped to ``FACT_LIMITS``."""
    stage = Stage(stage)
    live = stage in (Stage.INITIAL, Stage.UPDATE)
    facts = DraftFacts(
        headline=customer_headline(incident),
        what_happened=_what_happened(incident, stage),
        impact=incident.customer_impact,
        eta="",
        actions_taken=INVESTIGATING if live else "",
        next_steps=CONTINUE if live else "",
        next_update_at=next_update_default(incident, policy, now) if live else None,
        support_route=policy.messages.support_route,
        resolution=RESOLVED if stage == Stage.RESOLVED else "",
        feedback_route=policy.messages.support_route if stage == Stage.POST_INCIDENT else "",
    )
    if previous is not None:
        facts = _carry(facts, stage, previous)
    return facts.clipped()


def next_update_default(incident: Incident, policy: Policy, now: datetime) -> datetime:
    """Now + the severity's cadence, rounded up to the next 5 minutes (UTC)."""
    severity = policy.severities.get(incident.severity) or policy.severities[policy.default_severity]
    return round_up(as_utc(now) + severity.cadence, NEXT_UPDATE_STEP)


def round_up(moment: datetime, step: timedelta) -> datetime:
    """``moment`` itself when it is on a ``step`` boundary within its hour, else the next boundary."""
    remainder = (moment - moment.replace(minute=0, second=0, microsecond=0)) % step
    return moment + (step - remainder) if remainder else moment


def customer_headline(incident: Incident) -> str:
    """The incident title, unless it names a confidential account (the title is an internal label)."""
    for name in incident.named_accounts:
        pattern = account_pattern(name)
        if pattern is not None and pattern.search(incident.title):
            return NEUTRAL_HEADLINE
    return incident.title


def _what_happened(incident: Incident, stage: Stage) -> str:
    """For updates, the latest status note says what changed; otherwise the incident's description."""
    if stage == Stage.UPDATE and incident.status_note.strip():
        return incident.status_note
    return incident.what_happened


def _carry(facts: DraftFacts, stage: Stage, previous: DraftFacts) -> DraftFacts:
    placeholders = () if stage in (Stage.INITIAL, Stage.UPDATE) else (INVESTIGATING, CONTINUE)
    carried = {
        name: value
        for name in _CARRIED[stage]
        if (value := getattr(previous, name))
        and value not in placeholders  # no "investigating" once resolved
    }
    if stage == Stage.POST_INCIDENT:  # the fix and the route customers were last given
        fallbacks = {"corrective_actions": previous.actions_taken, "feedback_route": previous.support_route}
        carried |= {name: value for name, value in fallbacks.items() if value and name not in carried}
        if previous.window:  # the resolution notice told it in the past tense, with its window
            carried |= {"window": previous.window, "what_happened": previous.what_happened}
            carried |= {"impact": previous.impact} if previous.impact else {}
    return replace(facts, **carried)
