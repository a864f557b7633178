"""When the next customer update is due and when the sweep should next look at an incident.

Pure functions over the incident row. Every change that can move a reminder (declare,
publish, severity or status change, snooze, pause, resume, a sent reminder) ends in
`reschedule`, which stores `next_reminder_at`: the sweep only ever reads that indexed
column, so its cost grows with the number of due incidents, not of live ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.durations import format_duration
from bot.enums import IncidentStatus, ReminderStage
from bot.policy.model import Policy, RemindersPolicy
from storage.models import Incident

STAGES = tuple(ReminderStage)


def stage_time(stage: ReminderStage, due: datetime, rules: RemindersPolicy) -> datetime:
    if stage is ReminderStage.HEADS_UP:
        return due - rules.heads_up
    if stage is ReminderStage.DUE:
        return due
    return due + rules.escalate_after


def _after_last(incident: Incident) -> tuple[ReminderStage, ...]:
    if not incident.reminder_stage:
        return STAGES
    return STAGES[STAGES.index(ReminderStage(incident.reminder_stage)) + 1 :]


def _quiet(incident: Incident) -> bool:
    return (
        incident.status == IncidentStatus.RESOLVED
        or incident.reminders_paused
        or incident.next_update_due_at is None
    )


def stage_due(incident: Incident, rules: RemindersPolicy, now: datetime) -> ReminderStage | None:
    """The reminder to send now, if any: the latest stage whose time has come.

    Stages missed while snoozed or paused are not sent late one by one: only the most
    urgent one that applies now is.
    """
    if _quiet(incident) or (incident.snoozed_until and incident.snoozed_until > now):
        return None
    assert incident.next_update_due_at is not None
    ready = [s for s in _after_last(incident) if stage_time(s, incident.next_update_due_at, rules) <= now]
    return ready[-1] if ready else None


def next_look(incident: Incident, rules: RemindersPolicy) -> datetime | None:
    """When the next reminder stage becomes due (respecting a snooze); None = nothing left."""
    remaining = _after_last(incident)
    if _quiet(incident) or not remaining:
        return None
    assert incident.next_update_due_at is not None
    at = stage_time(remaining[0], incident.next_update_due_at, rules)
    if incident.snoozed_until is not None:
        at = max(at, incident.snoozed_until)
    return at


def reschedule(incident: Incident, rules: RemindersPolicy) -> None:
    incident.next_reminder_at = next_look(incident, rules)


def set_due(incident: Incident, due: datetime, rules: RemindersPolicy, *, promised: bool) -> None:
    """A new due time starts a new reminder cycle (earlier stages and snoozes no longer apply)."""
    if due != incident.next_update_due_at:
        incident.next_update_due_at = due
        incident.reminder_stage = ""
        incident.snoozed_until = None
    incident.due_promised = promised
    reschedule(incident, rules)


def first_due(incident: Incident, policy: Policy) -> None:
    """A new incident: the first update is due one cadence after it was declared."""
    set_due(
        incident, incident.declared_at + policy.cadence(incident.severity), policy.reminders, promised=False
    )


def after_severity_change(incident: Incident, old: str, policy: Policy, now: datetime) -> None:
    """Recompute the due time for the new severity's cadence.

    Unpromised: counted from the same start with the new cadence. Promised to customers:
    the promise stands, unless the new cadence asks for an update sooner.
    """
    due = incident.next_update_due_at
    if due is None or old not in policy.severities:
        return
    cadence = policy.cadence(incident.severity)
    if incident.due_promised:
        set_due(incident, min(due, now + cadence), policy.reminders, promised=True)
    else:
        set_due(incident, due - policy.cadence(old) + cadence, policy.reminders, promised=False)


def after_reopen(incident: Incident, policy: Policy, now: datetime) -> None:
    """A reopened incident owes customers an update within one cadence (or its old promise)."""
    due = incident.next_update_due_at
    if due is None or due <= now:
        set_due(incident, now + policy.cadence(incident.severity), policy.reminders, promised=False)
    else:
        reschedule(incident, policy.reminders)


def after_publish(incident: Incident, promised: datetime | None, policy: Policy, now: datetime) -> None:
    """A published customer update: its promise is the new due time (else one cadence on)."""
    if promised is not None:
        set_due(incident, promised, policy.reminders, promised=True)
    else:
        set_due(incident, now + policy.cadence(incident.severity), policy.reminders, promised=False)


def remaining(delta: timedelta) -> str:
    """ "in 10m" / "12m ago" style wording, for cards."""
    seconds = int(delta.total_seconds())
    if abs(seconds) < 60:
        return "now"
    text = format_duration(timedelta(seconds=abs(seconds) // 60 * 60))
    return f"in {text}" if seconds > 0 else f"{text} ago"
