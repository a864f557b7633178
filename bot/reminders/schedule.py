"""When the next customer update is due and when the sweep should next look at an incident.

Pure functions over the incident row. Every change that can move a reminder (declare,
publish, severity or status change, snooze, pause, resume, a sent reminder) ends in
`reschedule`, which stores `next_reminder_at`: the sweep only ever reads that indexed
column, so its cost grows with the number of due incidents, not of live ones. While the
update is overdue that column holds the next repeat or ladder tier; while paused, the
pause's end (`max_pause`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.durations import format_duration
from bot.enums import IncidentStatus, ReminderStage
from bot.policy.model import Policy, RemindersPolicy
from storage.models import Incident

STAGES = (ReminderStage.HEADS_UP, ReminderStage.DUE)  # before the overdue steps


@dataclass(frozen=True)
class Step:
    """One reminder to send now: a stage and, for tiers and repeats, which one."""

    stage: ReminderStage
    number: int = 0


def stage_time(stage: ReminderStage, due: datetime, rules: RemindersPolicy, number: int = 0) -> datetime:
    """When a step was due to go out (a tier `number` is its index, a repeat's its count)."""
    if stage is ReminderStage.HEADS_UP:
        return due - rules.heads_up
    if stage is ReminderStage.ESCALATION:
        return due + rules.tiers[min(number, len(rules.tiers) - 1)].after
    if stage is ReminderStage.REPEAT:
        return due + number * rules.repeat_every
    return due


def _quiet(incident: Incident) -> bool:
    return (
        incident.status == IncidentStatus.RESOLVED
        or incident.reminders_paused
        or incident.next_update_due_at is None
    )


def pause_ends(incident: Incident, rules: RemindersPolicy) -> datetime | None:
    """When a live incident's pause ends by itself (`max_pause`); None: not paused."""
    if incident.status == IncidentStatus.RESOLVED or not incident.reminders_paused:
        return None
    return (incident.reminders_paused_at or incident.updated_at) + rules.max_pause


def _repeats_by(due: datetime, rules: RemindersPolicy, now: datetime) -> int:
    return max(0, int((now - due) / rules.repeat_every))


def steps_due(incident: Incident, rules: RemindersPolicy, now: datetime) -> list[Step]:
    """The reminders to send now, in order.

    Before the due time, the heads-up. After it: every ladder tier whose time has come and
    which has not gone out (several at once after a pause, each once); the nag only if no tier
    goes out instead; and a repeat, the latest one due (missed repeats collapse), only when
    nothing else goes to the incident channel in this sweep.
    """
    if _quiet(incident) or (incident.snoozed_until and incident.snoozed_until > now):
        return []
    due = incident.next_update_due_at
    assert due is not None
    if now < due:
        heads_up = not incident.reminder_stage and stage_time(ReminderStage.HEADS_UP, due, rules) <= now
        return [Step(ReminderStage.HEADS_UP)] if heads_up else []
    tiers = [
        Step(ReminderStage.ESCALATION, i)
        for i in range(incident.reminder_tiers, len(rules.tiers))
        if due + rules.tiers[i].after <= now
    ]
    if tiers:
        return tiers
    if incident.reminder_stage != ReminderStage.DUE:
        return [Step(ReminderStage.DUE)]
    repeat = _repeats_by(due, rules, now)
    return [Step(ReminderStage.REPEAT, repeat)] if repeat > incident.reminder_repeats else []


def mark_sent(incident: Incident, steps: list[Step], rules: RemindersPolicy, now: datetime) -> None:
    """Move the incident's progress past the steps recorded now (repeats up to now's number)."""
    due = incident.next_update_due_at
    for step in steps:
        if step.stage is ReminderStage.ESCALATION:
            incident.reminder_tiers = max(incident.reminder_tiers, step.number + 1)
        elif step.stage is not ReminderStage.REPEAT:
            incident.reminder_stage = step.stage.value
    if due is not None and now >= due:
        incident.reminder_stage = ReminderStage.DUE.value  # a tier instead of the nag counts as it
        incident.reminder_repeats = max(incident.reminder_repeats, _repeats_by(due, rules, now))


def next_look(incident: Incident, rules: RemindersPolicy) -> datetime | None:
    """When the next step becomes due (a snooze respected); a pause's end; None = nothing left."""
    if _quiet(incident):
        return pause_ends(incident, rules)
    due = incident.next_update_due_at
    assert due is not None
    if not incident.reminder_stage:
        at = stage_time(ReminderStage.HEADS_UP, due, rules)
    elif incident.reminder_stage == ReminderStage.HEADS_UP:
        at = due
    else:
        times = [due + (incident.reminder_repeats + 1) * rules.repeat_every]
        if incident.reminder_tiers < len(rules.tiers):
            times.append(due + rules.tiers[incident.reminder_tiers].after)
        at = min(times)
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
        incident.reminder_repeats = incident.reminder_tiers = 0
        incident.reminder_thread_ts = None
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
    """A published customer update: its promise is the new due time (else one cadence on).

    A promise already past when it is published (a draft approved late) is no due time.
    """
    if promised is not None and promised > now:
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
