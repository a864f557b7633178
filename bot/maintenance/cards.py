"""Neutral cards about a maintenance: the approval card (the three texts, approved together),
the owner's reminder before the start, and the overrun nag."""

from __future__ import annotations

from datetime import datetime

from bot.chat.cards import Button, ButtonStyle, Card, CardAction, CardField, mention
from bot.comms.drafting import Maintenance
from bot.comms.maintenance import MAINTENANCE_STAGES
from bot.enums import Stage
from storage.maintenance_models import MaintenanceStatus as S
from storage.maintenance_models import MaintenanceWindow

TEXT_LABELS = {
    Stage.MAINTENANCE_SCHEDULED: "Announcement (on approval)",
    Stage.MAINTENANCE_STARTED: "At the start",
    Stage.MAINTENANCE_COMPLETED: "At the end",
}
STATUS_LABELS = {
    S.PENDING: "Waiting for approval",
    S.SCHEDULED: "Approved: scheduled",
    S.IN_PROGRESS: "In progress",
    S.COMPLETED: "Completed",
    S.CANCELLED: "Cancelled",
    S.REJECTED: "Rejected",
}


def window_text(window: MaintenanceWindow) -> str:
    return Maintenance(window.starts_at, window.ends_at).window_text()


def reference(window: MaintenanceWindow) -> str:
    return f"MNT-{window.id}"


def approval_card(window: MaintenanceWindow, component_names: dict[str, str]) -> Card:
    """What the approver reads: the window, the components, each text with its findings."""
    components = ", ".join(component_names.get(c, c) for c in window.components) or "none"
    fields = (
        CardField("Status", STATUS_LABELS.get(S(window.status), window.status)),
        CardField("Window", window_text(window)),
        CardField("Components", components),
        CardField("Scheduled by", mention(window.owner_id)),
    )
    sections = [
        f"**{TEXT_LABELS[stage]}**\n{_quoted(window.texts.get(stage.value, ''))}"
        for stage in MAINTENANCE_STAGES
    ]
    findings = _findings(window)
    buttons: tuple[Button, ...] = ()
    if window.change:
        sections.append(_change(window))
        value = f"{window.id}:{window.version}"
        buttons = (Button(CardAction.APPROVE_MAINTENANCE, "Approve change", value, ButtonStyle.PRIMARY),)
    elif window.status == S.PENDING:
        value = f"{window.id}:{window.version}"
        buttons = (
            Button(CardAction.APPROVE_MAINTENANCE, "Approve all three", value, ButtonStyle.PRIMARY),
            Button(CardAction.CANCEL_MAINTENANCE, "Cancel", str(window.id), ButtonStyle.DANGER),
        )
    elif window.status == S.SCHEDULED:
        buttons = (Button(CardAction.CANCEL_MAINTENANCE, "Cancel", str(window.id), ButtonStyle.DANGER),)
    approved = f"Approved by {mention(window.approved_by)}. " if window.approved_by else ""
    return Card(
        summary=f"Scheduled maintenance {reference(window)}: {window.title}",
        title=f"Maintenance {reference(window)}: {window.title}",
        body="\n\n".join(sections + ([findings] if findings else [])),
        fields=fields,
        buttons=buttons,
        context=approved + "The three customer texts are approved together; each goes out at its time.",
    )


def reminder_card(window: MaintenanceWindow) -> Card:
    text = (
        f"Maintenance {reference(window)} **{window.title}** starts at {window.starts_at:%H:%M} UTC "
        f"({window_text(window)}). At the start the bot publishes the approved start text and marks "
        "its components under maintenance."
    )
    return Card(
        summary=f"Maintenance {reference(window)} starts soon", title="Maintenance starts soon", body=text
    )


def overrun_card(window: MaintenanceWindow, command: str) -> Card:
    text = (
        f"Maintenance {reference(window)} **{window.title}** was planned to end at "
        f"{window.ends_at:%H:%M} UTC and is still in progress. When the work is done, "
        f"`{command} maintenance complete {window.id}` publishes the approved completion text."
    )
    buttons = (Button(CardAction.COMPLETE_MAINTENANCE, "Complete now", str(window.id), ButtonStyle.PRIMARY),)
    return Card(
        summary=f"Maintenance {reference(window)} overran",
        title="Maintenance overran",
        body=text,
        buttons=buttons,
    )


def done_card(window: MaintenanceWindow, what: str) -> Card:
    text = f"Maintenance {reference(window)} **{window.title}** ({window_text(window)}): {what}"
    return Card(summary=text, body=text)


def _change(window: MaintenanceWindow) -> str:
    change = window.change
    if change.get("kind") == "extend":
        until = datetime.fromisoformat(change["until"])
        what = f"**Waiting for approval: extend the window to {until:%H:%M} UTC** ({until:%a %-d %b})"
    else:
        what = "**Waiting for approval: cancel the maintenance**"
    report = change.get("checks", {})
    missing = [name.replace("_", " ") for name, ok in report.get("required", {}).items() if not ok]
    said = f"\n_Checks: missing {', '.join(missing)}_" if missing else ""
    return f"{what} (asked by {mention(change.get('by', ''))})\n{_quoted(change.get('text', ''))}{said}"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _findings(window: MaintenanceWindow) -> str:
    lines = []
    for stage in MAINTENANCE_STAGES:
        report = window.checks.get(stage.value, {})
        missing = [name.replace("_", " ") for name, ok in report.get("required", {}).items() if not ok]
        found = [
            f"{f.get('kind')} “{f.get('match', '')}” ({f.get('severity')})"
            for f in report.get("findings", [])
        ]
        if missing or found:
            said = (["missing " + ", ".join(missing)] if missing else []) + found
            lines.append(f"- {TEXT_LABELS[stage]}: " + "; ".join(said))
    if not lines:
        return ""
    head = "**Checks** (blocking: fix before approval)" if window.blocking else "**Checks**"
    return head + "\n" + "\n".join(lines)
