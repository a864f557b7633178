"""The communications plan's first sections: the incident summary and its audiences, as rows."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.audit.trail import AuditAction
from bot.chat.cards import channel_link, mention, strip_markers
from bot.drafts.cards import audience_label
from bot.durations import format_duration
from bot.enums import AudienceKind, IncidentStatus
from bot.export.data import COMPLETE, OPEN, PlanData, Row
from bot.slo.wording import plan_rows
from storage.models import AuditEvent


def at(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def cell_text(value: str) -> str:
    """User text for a cell: typed text can never become a mention."""
    return strip_markers(value or "").strip()


def done(filled: object) -> str:
    return COMPLETE if filled else OPEN


def summary_rows(data: PlanData, owner: str) -> list[Row]:
    i = data.incident
    commander, reporter = i.commander_id or owner, i.reporter_id or owner
    resolved = i.resolved_at if i.status == IncidentStatus.RESOLVED.value else None
    severity = " — ".join(filter(None, [i.severity, data.policy.severity_description]))
    status = ": ".join(filter(None, [i.status.capitalize(), cell_text(i.status_note)]))
    lasted = format_duration(resolved - i.declared_at) if resolved else ""
    ended = f"{at(resolved)}, {lasted} after it was declared" if resolved else ""
    accounts = ", ".join(cell_text(a) for a in i.named_accounts)
    secret = "Confidential: never named in messages to other audiences." if accounts else ""
    unwritten = "Not written yet"
    channel = channel_link(i.channel_id) if i.channel_id else "Not created yet"
    closed = i.resolution_summary
    history = _changes(data, AuditAction.STATUS_CHANGED, AuditAction.RESOLVED, AuditAction.REOPENED)
    facts = [
        ("Title", cell_text(i.title), owner, True, ""),
        ("Severity", severity, commander, True, _changes(data, AuditAction.SEVERITY_CHANGED)),
        ("Status", status, commander, resolved, history),
        ("Declared", f"{at(i.declared_at)} by {mention(reporter)}", reporter, True, ""),
        ("Resolved", ended or "Not resolved yet", commander, resolved, ""),
        ("What happened", cell_text(i.what_happened) or unwritten, commander, i.what_happened, ""),
        ("Customer impact", cell_text(i.customer_impact) or unwritten, owner, i.customer_impact, ""),
        ("Segments", ", ".join(cell_text(s) for s in i.segments) or "None given", owner, True, ""),
        ("Named accounts", accounts or "None", owner, True, secret),
        ("Commander", mention(commander), commander, True, ""),
        ("Comms owner", mention(owner), owner, True, ""),
        ("Incident channel", channel, owner, i.channel_id, ""),
        ("Resolution summary", cell_text(i.resolution_summary) or unwritten, commander, closed, ""),
    ]
    times = {"Declared": {"declared": i.declared_at}, "Resolved": {"resolved": resolved} if resolved else {}}
    return [
        Row(item, text, who, done(ok), notes, times.get(item, {})) for item, text, who, ok, notes in facts
    ]


def _changes(data: PlanData, *actions: AuditAction) -> str:
    """`old → new at … by …` for each change of a fact (resolving and reopening change the status)."""

    def change(e: AuditEvent) -> tuple[object, object]:
        if e.action == AuditAction.RESOLVED:
            return e.details.get("old_status"), IncidentStatus.RESOLVED.value
        if e.action == AuditAction.REOPENED:
            return IncidentStatus.RESOLVED.value, "reopened"
        return e.details.get("old"), e.details.get("new")

    return "; ".join(
        f"{cell_text(str(old))} → {cell_text(str(new))} at {at(e.at)} by {mention(e.actor_id)}"
        for e in data.events
        if e.action in actions
        for old, new in [change(e)]
    )


def audience_rows(data: PlanData, owner: str) -> list[Row]:
    rows = []
    for audience in data.policy.audiences:
        channels = list(audience.channels)
        notes = []
        if audience.kind == AudienceKind.NAMED_ACCOUNT:
            notes.append("Confidential: only its own channels receive its messages.")
        if audience.kind == AudienceKind.INTERNAL and data.incident.channel_id:
            channels.insert(0, data.incident.channel_id)
        elif not channels:
            notes.append("No channels in the policy: only the incident channel gets a copy.")
        listed = ", ".join(channel_link(c) for c in channels) or "none"
        status = "Informed" if data.published_to(audience.kind, audience.name) else OPEN
        label = audience_label(audience.kind, cell_text(audience.name))
        rows.append(Row(label[:1].upper() + label[1:], f"Channels: {listed}", owner, status, " ".join(notes)))
    return rows


def communication_rows(data: PlanData, owner: str) -> list[Row]:
    """How well customers were kept informed: the comms SLOs (bot/slo) at the time of the export."""
    if data.slo is None:
        return []
    verdicts = {True: "Met", False: "Missed", None: "—"}
    return [Row(item, value, owner, verdicts[met]) for item, value, met in plan_rows(data.slo)]
