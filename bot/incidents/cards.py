"""Cards about incidents (intro, status, announcement, list, help), built from templates."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from bot.audit.trail import AuditAction
from bot.chat.cards import (
    Button,
    ButtonStyle,
    Card,
    CardAction,
    CardField,
    channel_link,
    command_for,
    mention,
)
from bot.chat.templating import Templates
from bot.enums import Handover, IncidentStatus
from bot.errors import PlatformError
from bot.incidents.reminder_hold import reminder_hold
from bot.incidents.roster import Roster
from bot.incidents.service import StatusView
from bot.policy.model import Policy
from bot.slo.wording import summary_line
from storage.models import AuditEvent, Incident

FIELD_LABELS = {
    "title": "Title",
    "what_happened": "What happened",
    "customer_impact": "Customer impact",
    "severity": "Severity",
    "status": "Status",
    "status_note": "Status note",
}


HANDOVER_NAMES = {Handover.COMMANDER: "commander", Handover.COMMS_OWNER: "comms owner"}


class IncidentCards:
    def __init__(self, templates: Templates, policy: Policy) -> None:
        self.templates = templates
        self.policy = policy

    def ref(self, incident: Incident) -> str:
        return f"{self.policy.incident.number_prefix}-{incident.id}"

    def intro(self, incident: Incident) -> Card:
        ref = self.ref(incident)
        return Card(
            summary=f"{ref} · {incident.severity} · {incident.title}",
            title=f"{ref} · {incident.title}",
            body=self.templates.render("incident/intro.md.j2", incident=incident),
            fields=self._summary_fields(incident),
            buttons=self._buttons(incident),
            context=self.templates.render("incident/intro_context.md.j2", incident=incident),
        )

    def status(self, view: StatusView) -> Card:
        incident, history = view.incident, view.history
        ref = self.ref(incident)
        return Card(
            summary=f"{ref} status: {incident.status}",
            title=f"{ref} · {incident.title}",
            body=self.templates.render(
                "incident/status.md.j2",
                incident=incident,
                earlier=_earlier(history),
                hold=reminder_hold(incident, history),
                slo=summary_line(view.slo),
            ),
            fields=self._summary_fields(incident),
            buttons=self._buttons(incident),
        )

    def roles(self, roster: Roster) -> Card:
        ref = self.ref(roster.incident)
        body = self.templates.render("incident/roles.md.j2", roster=roster)
        hand_over = Button(CardAction.HAND_OVER, "Hand over…", str(roster.incident.id))
        return Card(summary=f"{ref} roles", title=f"{ref} · who holds what", body=body, buttons=(hand_over,))

    def handed_over(self, incident: Incident, role: Handover, old: str, new: str, actor: str) -> Card:
        body = self.templates.render(
            "incident/handed_over.md.j2",
            role=HANDOVER_NAMES[role],
            old=old,
            new=new,
            actor=actor,
            ref=self.ref(incident),
        )
        return Card(summary=f"{self.ref(incident)}: new {HANDOVER_NAMES[role]}", body=body)

    def announcement(self, incident: Incident) -> Card:
        text = self.templates.render(
            "incident/announcement.md.j2",
            incident=incident,
            channel=_link(incident),
        )
        return Card(summary=f"{incident.severity} incident declared: {incident.title}", body=text)

    def topic(self, incident: Incident, commander_name: str) -> str:
        """A topic shows text as typed (no mentions render in it): the commander by name."""
        return self.templates.render(
            "incident/topic.txt.j2", incident=incident, ref=self.ref(incident), commander_name=commander_name
        )

    def purpose(self, incident: Incident) -> str:
        return self.templates.render("incident/purpose.txt.j2", incident=incident)

    def setup_report(self, incident: Incident, failures: Sequence[PlatformError]) -> Card:
        channel = _link(incident)
        body = self.templates.render(
            "incident/setup_report.md.j2",
            ref=self.ref(incident),
            channel=channel,
            failures=failures,
            runs_here=incident.channel_id is not None and incident.channel_id == incident.origin_channel_id,
            command=command_for(incident.platform),
        )
        return Card(summary=body.splitlines()[0], body=body)

    def severity_changed(self, incident: Incident, old: str, new: str, actor: str) -> Card:
        description = self.policy.severities[new].description if new in self.policy.severities else ""
        body = self.templates.render(
            "incident/severity_changed.md.j2", old=old, new=new, actor=actor, description=description
        )
        return Card(summary=f"{self.ref(incident)} severity {old} → {new}", body=body)

    def edited(self, incident: Incident, changes: dict[str, tuple[Any, Any]], actor: str) -> Card:
        body = self.templates.render(
            "incident/edited.md.j2", ref=self.ref(incident), changes=changes, actor=actor, labels=FIELD_LABELS
        )
        return Card(summary=f"{self.ref(incident)} updated", body=body)

    def listing(self, incidents: Sequence[Incident], title: str = "Active incidents") -> Card:
        items = [{"ref": self.ref(i), "incident": i, "channel": _link(i)} for i in incidents]
        body = self.templates.render("incident/list.md.j2", incidents=items)
        return Card(summary=f"{len(items)} active incident(s)", title=title, body=body)

    def help(
        self, unknown: str = "", *, command: str = "/incident", only: Collection[str] | None = None
    ) -> Card:
        """`command` is how the platform's users type it; `only` limits the subcommands listed."""
        body = self.templates.render(
            "incident/help.md.j2",
            unknown=unknown,
            command=command,
            shows=lambda name: only is None or name in only,
        )
        return Card(summary=f"How to use {command}", body=body)

    def _summary_fields(self, incident: Incident) -> tuple[CardField, ...]:
        severity = self.policy.severities.get(incident.severity)
        fields = [
            CardField(
                "Severity", f"{incident.severity}" + (f" — {severity.description}" if severity else "")
            ),
            CardField(
                "Status", incident.status + (f" — {incident.status_note}" if incident.status_note else "")
            ),
            CardField("Customer impact", incident.customer_impact),
            CardField("Affected segments", ", ".join(incident.segments) or "—"),
            CardField("Commander", mention(incident.commander_id)),
            CardField("Comms owner", mention(incident.comms_owner_id)),
        ]
        if incident.named_accounts:
            fields.append(CardField("Named accounts (confidential)", ", ".join(incident.named_accounts)))
        return tuple(fields)

    def _buttons(self, incident: Incident) -> tuple[Button, ...]:
        value = str(incident.id)
        buttons = (
            Button(CardAction.DRAFT_UPDATE, "Draft update", value, ButtonStyle.PRIMARY),
            Button(CardAction.EDIT_INCIDENT, "Edit incident", value),
            Button(CardAction.SHOW_STATUS, "Show status", value),
        )
        if incident.status == IncidentStatus.RESOLVED:
            return buttons
        return (*buttons, Button(CardAction.RESOLVE_INCIDENT, "Resolve", value))


def _link(incident: Incident) -> str:
    return channel_link(incident.channel_id) if incident.channel_id else ""


def _earlier(history: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    """Superseded values, newest first: what the team believed before each edit."""
    entries = []
    for event in history:
        if event.action != AuditAction.EDITED.value:
            continue
        for name, (old, _new) in event.details.get("changes", {}).items():
            if old:
                entries.append({"at": event.at, "label": FIELD_LABELS.get(name, name), "old": old})
    return list(reversed(entries))[:10]
