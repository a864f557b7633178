"""Who holds what on an incident, and how each person's platform identities are linked."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access.guard import ROLE_NAMES, Access
from bot.access.people import Person
from bot.enums import Role
from storage.models import Incident

INCIDENT_ROLES = (Role.REPORTER, Role.COMMANDER, Role.COMMS_OWNER)
POLICY_ROLES = (Role.RESPONDERS, Role.APPROVERS, Role.CS_LEADS, Role.ADMINS)
YOUR_ROLE = {  # one person's roles, as "You: …" lists them
    Role.REPORTER: "reporter",
    Role.COMMANDER: "commander",
    Role.COMMS_OWNER: "comms owner",
    Role.CHANNEL_MEMBERS: "member of the incident channel",
    Role.RESPONDERS: "responder",
    Role.APPROVERS: "approver",
    Role.CS_LEADS: "CS lead",
    Role.ADMINS: "admin",
}


@dataclass(frozen=True)
class Holder:
    role: str  # "Commander"
    user_id: str
    linked: str  # how the person's identities are linked, in words ("" = one id only)


@dataclass(frozen=True)
class Roster:
    incident: Incident
    holders: list[Holder]
    policy_roles: list[tuple[str, str]]  # ("Approvers", "<@U1>, @approvers"), configured ones only
    yours: list[str]  # the viewer's roles, in words


async def roster(access: Access, incident: Incident, viewer: Person) -> Roster:
    holders = []
    for role in INCIDENT_ROLES:
        user_id = {
            Role.REPORTER: incident.reporter_id,
            Role.COMMANDER: incident.commander_id,
            Role.COMMS_OWNER: incident.comms_owner_id,
        }[role]
        person = await access.people.of(user_id)
        holders.append(Holder(_title(role), user_id, linked(person)))
    configured = []
    for role in POLICY_ROLES:
        if entries := access.book.entries(role):
            configured.append((_title(role), ", ".join(access.entry_name(e) for e in entries)))
    yours = [YOUR_ROLE[r] for r in await access.roles_of(viewer, incident) if r in YOUR_ROLE]
    return Roster(incident, holders, configured, yours)


def linked(person: Person) -> str:
    if person.linked_by == "policy":
        return f"linked by `[people.{person.key}]` in the policy ({len(person.ids)} ids)"
    if person.linked_by == "e-mail":
        return f"linked by verified e-mail {person.email} ({len(person.ids)} ids)"
    return ""


def _title(role: Role) -> str:
    name = ROLE_NAMES[role].removeprefix("the ")
    return name[0].upper() + name[1:]
