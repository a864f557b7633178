"""What a reminder says: which update is due, since when, and what the last one said."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.chat.cards import Button, ButtonStyle, Card, CardAction, channel_link
from bot.chat.templating import Templates
from bot.durations import format_duration
from bot.enums import ReminderStage, Visibility
from bot.policy.model import Policy
from bot.reminders.facts import Published
from bot.reminders.schedule import remaining
from storage.models import Incident

EXCERPT = 280
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)")
STAGE_LABELS = {
    ReminderStage.HEADS_UP: "heads-up",
    ReminderStage.DUE: "update due",
    ReminderStage.ESCALATION: "escalation",
    ReminderStage.REPEAT: "still overdue",
    ReminderStage.PAUSE_ENDED: "reminders back on",
}
ICONS = {
    ReminderStage.HEADS_UP: "⏰",
    ReminderStage.DUE: "🔔",
    ReminderStage.ESCALATION: "🚨",
    ReminderStage.REPEAT: "🔁",
    ReminderStage.PAUSE_ENDED: "▶️",
}


@dataclass(frozen=True)
class ReminderFacts:
    incident: Incident
    stage: ReminderStage
    due_at: datetime
    now: datetime
    history: Published
    number: int = 0  # the tier's index, the repeat's number
    mentions: tuple[str, ...] = ()  # whom the card names (a tier: its audience)


def which_update(published: int) -> str:
    return "the initial customer notice" if published == 0 else f"customer update #{published}"


def excerpt(text: str) -> str:
    """The start of a published message as plain text (its Markdown emphasis removed)."""
    flat = " ".join(_EMPHASIS.sub("", text).split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


class ReminderCards:
    def __init__(self, templates: Templates, policy: Policy, ref) -> None:
        self.templates, self.policy, self.ref = templates, policy, ref

    def reminder(self, facts: ReminderFacts, *, in_incident_channel: bool = True) -> Card:
        incident, stage = facts.incident, facts.stage
        if not in_incident_channel and incident.visibility == Visibility.PRIVATE:
            return private_elsewhere(facts)
        ref = self.ref(incident)
        body = self.templates.render(
            "reminders/reminder.md.j2",
            stage=stage.value,
            ref=ref,
            which=which_update(facts.history.count),
            due_at=facts.due_at,
            due_in=remaining(facts.due_at - facts.now),
            comms_owner=incident.comms_owner_id,
            commander=incident.commander_id,
            people=list(facts.mentions or dict.fromkeys([incident.comms_owner_id, incident.commander_id])),
            overdue=format_duration(max(facts.now - facts.due_at, timedelta(0))),
            tier=facts.number + 1,
            max_pause=format_duration(self.policy.reminders.max_pause),
            elsewhere=""
            if in_incident_channel or not incident.channel_id
            else channel_link(incident.channel_id),
            last_text=excerpt(facts.history.last_text),
            last_at=facts.history.last_at,
            waiting=facts.history.waiting,
        )
        return Card(
            summary=f"{ICONS[stage]} {ref}: {which_update(facts.history.count)} {self._when(facts)}",
            title=f"{ICONS[stage]} {ref} · {self._label(facts)}",
            body=body,
            buttons=self._buttons(incident) if in_incident_channel else (),
            context=f"{incident.severity} · {incident.title}",
        )

    def closed(self, incident: Incident, stage: ReminderStage) -> Card:
        ref = self.ref(incident)
        body = self.templates.render(
            "reminders/closed.md.j2",
            ref=ref,
            resolved_at=incident.resolved_at,
            stage_label=STAGE_LABELS[stage],
        )
        return Card(summary=f"{ref} was resolved: no update due", body=body)

    def _label(self, facts: ReminderFacts) -> str:
        if facts.stage is ReminderStage.ESCALATION and len(self.policy.reminders.tiers) > 1:
            return f"escalation, tier {facts.number + 1}"
        return STAGE_LABELS[facts.stage]

    def _when(self, facts: ReminderFacts) -> str:
        if facts.stage is ReminderStage.PAUSE_ENDED:
            return "is due again: the pause ended"
        if facts.stage is ReminderStage.HEADS_UP:
            return f"is due {remaining(facts.due_at - facts.now)}"
        if facts.stage is ReminderStage.DUE:
            return "is due now"
        return f"is overdue by {format_duration(facts.now - facts.due_at)}"

    def _buttons(self, incident: Incident) -> tuple[Button, ...]:
        draft = Button(CardAction.DRAFT_UPDATE, "Draft update", str(incident.id), ButtonStyle.PRIMARY)
        snoozes = tuple(
            Button(
                CardAction.SNOOZE_REMINDERS,
                f"Snooze {format_duration(length)}",
                f"{incident.id}:{int(length.total_seconds())}",
                variant=format_duration(length).replace(" ", ""),
            )
            for length in self.policy.reminders.snooze_options
        )
        return (draft, *snoozes)


def private_elsewhere(facts: ReminderFacts) -> Card:
    """A private incident's reminder outside its channel: no reference, title, names or buttons."""
    late = format_duration(facts.now - facts.due_at) if facts.now > facts.due_at else ""
    text = "🔒 A private incident needs an update" + (f" (overdue by {late})" if late else "") + "."
    return Card(summary=text, body=f"{text} Its people have been told in its own channel.")
