"""Cards about drafts: the approval card (preview, checklist, decisions) and notices."""

from __future__ import annotations

from bot.chat.cards import Button, ButtonStyle, Card, CardAction, CardField, mention
from bot.comms.checks import HUMAN_LABELS
from bot.drafts.state import DraftState
from bot.enums import AudienceKind, DraftStatus

STAGE_LABELS = {
    "initial": "Initial notice",
    "update": "Update",
    "resolved": "Resolution notice",
    "post_incident": "Post-incident summary",
    "maintenance_scheduled": "Maintenance notice",
    "maintenance_started": "Maintenance start notice",
    "maintenance_completed": "Maintenance completion notice",
}
STATUS_LABELS = {
    DraftStatus.PENDING: "⏳ Waiting for approval",
    DraftStatus.APPROVED: "✅ Approved — publishing",
    DraftStatus.PUBLISHED: "📣 Published",
    DraftStatus.REJECTED: "⛔ Rejected",
}
SEVERITY_ICONS = {"block": "🚫", "warn": "⚠️"}


def audience_label(kind: str, key: str) -> str:
    if kind == AudienceKind.NAMED_ACCOUNT:
        return f"{key} (named account)"
    return "customers" if kind == AudienceKind.CUSTOMER else "internal recipients"


def describe(state: DraftState) -> str:
    """ "Update for customers", "Initial notice for Acme Corp (named account)" …"""
    draft = state.draft
    return f"{STAGE_LABELS[draft.stage]} for {audience_label(draft.audience_kind, draft.audience_key)}"


def draft_value(state: DraftState) -> str:
    return f"{state.draft.id}:{state.draft.version}"


def approval_card(state: DraftState, reference: str, needed: int) -> Card:
    draft, version = state.draft, state.version
    title = f"{reference} · {describe(state)}"
    quoted = "\n".join(f"> {line}" if line else ">" for line in version.text.splitlines())
    body = f"{quoted}\n\n{checklist(version.checks)}"
    approvers = (
        ", ".join(
            f"{mention(a.approver_id)} at {a.at:%H:%M} UTC"
            for a in state.approvals
            if a.decision == "approved" and a.version == version.number
        )
        or "none yet"
    )
    fields = [
        CardField("Status", STATUS_LABELS[DraftStatus(draft.status)]),
        CardField("Approvals", f"{len(state.approvers)} of {needed}: {approvers}"),
        CardField("Drafted by", f"{mention(version.author_id)} · version {version.number}"),
    ]
    if rejection := state.rejection:
        who = f"by {mention(rejection.approver_id)} at {rejection.at:%H:%M} UTC"
        fields.append(CardField("Rejected", f"{who}: {rejection.reason}"))
    return Card(
        summary=f"{title} (v{version.number}): {STATUS_LABELS[DraftStatus(draft.status)]}",
        title=f"{title} · v{version.number}",
        body=body,
        fields=tuple(fields),
        buttons=_buttons(state),
        context=_context(state),
    )


def checklist(checks: dict) -> str:
    lines = ["**Checks**"]
    for key, present in checks.get("required", {}).items():
        lines.append(f"- {'✅' if present else '❌'} {HUMAN_LABELS.get(key, key)}")
    for finding in checks.get("findings", []):
        icon = SEVERITY_ICONS.get(finding["severity"], "•")
        lines.append(f"- {icon} {finding['kind']}: “{finding['match']}” — {finding['suggestion']}")
    return "\n".join(lines)


def _buttons(state: DraftState) -> tuple[Button, ...]:
    value = draft_value(state)
    if state.draft.status == DraftStatus.PUBLISHED:
        return (Button(CardAction.CORRECT_MESSAGE, "Correct", value),)
    if state.draft.status == DraftStatus.REJECTED:
        return (Button(CardAction.EDIT_DRAFT, "Edit and resubmit", value),)
    if state.draft.status != DraftStatus.PENDING:
        return ()
    buttons = [
        Button(CardAction.APPROVE_DRAFT, "Approve", value, ButtonStyle.PRIMARY),
        Button(CardAction.EDIT_DRAFT, "Edit", value),
        Button(CardAction.REJECT_DRAFT, "Reject", value, ButtonStyle.DANGER),
    ]
    if any(f["kind"] == "pii" for f in state.version.checks.get("findings", [])):
        buttons.append(Button(CardAction.REDACT_DRAFT, "Redact personal data", value))
    return tuple(buttons)


def _context(state: DraftState) -> str:
    if state.version.blocking:
        return "🚫 Blocking findings: this version cannot be approved until they are fixed."
    if state.draft.status != DraftStatus.PENDING:
        return f"Last change {state.draft.updated_at:%Y-%m-%d %H:%M} UTC."
    if state.draft.published_version:
        return "✏️ Correction of a published message: on approval every delivered copy is edited."
    return "Approving publishes to every target of this audience."


def rejected_notice(state: DraftState, reference: str) -> Card:
    rejection = state.rejection
    who = mention(rejection.approver_id) if rejection else "an approver"
    text = (
        f"{mention(state.version.author_id)} your {STAGE_LABELS[state.draft.stage].lower()} for "
        f"{audience_label(state.draft.audience_kind, state.draft.audience_key)} ({reference}, "
        f"version {state.version.number}) was rejected by {who}: {rejection.reason if rejection else ''}"
    )
    return Card(summary=text, body=text)


def awaiting_notice(state: DraftState, reference: str, where: str) -> Card:
    text = f"{describe(state)} drafted (version {state.version.number}) and waiting for approval in {where}."
    return Card(summary=f"{reference}: {text}", body=text)
