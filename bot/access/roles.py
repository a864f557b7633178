"""Which roles a person holds on an incident: from the incident row, the policy and the platform.

Policy entries (`approvals.approvers`, `roles.cs_leads`, `roles.admins`) are user ids,
`[people]` names or user group handles. A group that cannot be read counts as empty, so a
platform failure never grants anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.access.people import USER_ID, Person, canonical
from bot.access.presence import came_from
from bot.chat.ports import ChatPlatform
from bot.enums import Role
from bot.errors import PlatformError
from bot.policy.model import Policy
from storage.models import Incident

log = logging.getLogger(__name__)


class RoleBook:
    def __init__(self, policy: Policy, platform: ChatPlatform) -> None:
        self.policy = policy
        self.platform = platform

    def entries(self, role: Role) -> list[str]:
        """The policy entries behind a policy-wide role."""
        return {
            Role.RESPONDERS: [self.policy.incident.responder_group]
            if self.policy.incident.responder_group
            else [],
            Role.APPROVERS: self.policy.approvals.approvers,
            Role.CS_LEADS: self.policy.roles.cs_leads,
            Role.ADMINS: self.policy.roles.admins,
        }.get(role, [])

    async def holds(
        self, role: Role, person: Person, incident: Incident | None, owner: str | None = None
    ) -> bool:
        if role is Role.EVERYONE:
            return True
        if role in (Role.RESPONDERS, Role.APPROVERS, Role.CS_LEADS, Role.ADMINS):
            return await self.listed(self.entries(role), person)
        if role is Role.FOLLOW_UP_OWNER:
            return bool(owner) and person.has(owner)
        if incident is None:
            return False
        if role is Role.CHANNEL_MEMBERS:
            return await self._in_channel(incident.channel_id, person)
        named = incident_person(incident, role)
        return bool(named) and person.has(named)

    async def listed(self, entries: Iterable[str], person: Person) -> bool:
        for entry in entries:
            if entry in self.policy.people.named:
                if person.key == entry:
                    return True
            elif USER_ID.match(entry):
                if person.has(entry):
                    return True
            elif person.ids.intersection(canonical(m) for m in await self._group(entry)):
                return True
        return False

    async def _group(self, group: str) -> list[str]:
        try:
            return await self.platform.group_members(group)
        except PlatformError as error:
            log.warning("could not read user group %s (%s); counting it as empty", group, error.code)
            return []

    async def _in_channel(self, channel_id: str | None, person: Person) -> bool:
        if not channel_id:
            return False
        seen = came_from()
        if seen is not None and person.has(seen[0]) and seen[1] == channel_id:
            return True  # the platform says this request came from that channel
        for user_id in sorted(person.ids):
            if "@" not in user_id and await self.platform.in_channel(channel_id, user_id):
                return True
        return False


def incident_person(incident: Incident, role: Role) -> str:
    """The user id an incident names for one of its own roles."""
    return {
        Role.REPORTER: incident.reporter_id,
        Role.COMMANDER: incident.commander_id,
        Role.COMMS_OWNER: incident.comms_owner_id,
    }.get(role, "")
