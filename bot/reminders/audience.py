"""Who hears one reminder step: the channels and DMs it goes to, and whom it mentions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.people import USER_ID
from bot.enums import ReminderStage, Role
from bot.policy.model import Policy
from bot.reminders.schedule import Step
from storage.models import Incident


@dataclass(frozen=True)
class Target:
    channel_id: str  # a channel, or a user id (a DM)
    in_incident_channel: bool
    thread: str | None = None  # repeats thread under the first nag


def _incident_role(incident: Incident, role: str) -> str:
    return {
        Role.COMMANDER: incident.commander_id,
        Role.COMMS_OWNER: incident.comms_owner_id,
        Role.REPORTER: incident.reporter_id,
    }.get(Role(role), "")


def _policy_entries(policy: Policy, role: str) -> list[str]:
    group = policy.incident.responder_group
    return {
        Role.RESPONDERS: [group] if group else [],
        Role.APPROVERS: policy.approvals.approvers,
        Role.CS_LEADS: policy.roles.cs_leads,
        Role.ADMINS: policy.roles.admins,
    }.get(Role(role), [])


def mentions(incident: Incident, step: Step, policy: Policy) -> tuple[str, ...]:
    """The ids a step's card mentions (a tier: its roles and groups; others: the usual people)."""
    if step.stage is not ReminderStage.ESCALATION:
        return tuple(dict.fromkeys([incident.comms_owner_id, incident.commander_id]))
    found: list[str] = []
    for entry in policy.reminders.tiers[step.number].notify:
        if entry.startswith("group:"):
            found.append(entry.removeprefix("group:"))
        elif not entry.startswith("channel:"):
            found.extend([_incident_role(incident, entry), *_policy_entries(policy, entry)])
    return tuple(dict.fromkeys(m for m in found if m))


def targets(incident: Incident, step: Step, policy: Policy) -> list[Target]:
    """The incident channel first, then the step's other channels and DMs (each once)."""
    home = incident.channel_id or ""
    found = [Target(home, True, incident.reminder_thread_ts if step.stage is ReminderStage.REPEAT else None)]
    extra: list[str] = []
    if step.stage is ReminderStage.REPEAT:
        extra.append(incident.comms_owner_id)
    elif step.stage is ReminderStage.ESCALATION:
        for entry in policy.reminders.tiers[step.number].notify:
            if entry.startswith("channel:"):
                extra.append(entry.removeprefix("channel:"))
            elif not entry.startswith("group:") and Role(entry) not in (Role.COMMANDER, Role.COMMS_OWNER):
                extra.extend(e for e in _policy_entries(policy, entry) if USER_ID.match(e))
    for channel in dict.fromkeys(extra):
        if channel and channel != home:
            found.append(Target(channel, False))
    return found
