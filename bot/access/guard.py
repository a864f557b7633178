"""The one permission check: may this person do this (to this incident)?

Decided from trusted data only: the platform-verified user id, the incident row and the
policy. Every service calls `require` before it changes or shows anything; a refusal is
audited and raised as `NotAllowed` whose message names who can, which each platform's
handler delivers privately.
"""

from __future__ import annotations

import logging

from bot.access.people import USER_ID, People, Person
from bot.access.roles import RoleBook, incident_person
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.cards import mention
from bot.clock import Clock
from bot.enums import Action, Role, Visibility
from bot.errors import NotAllowed
from bot.policy.model import Policy
from bot.policy.permissions import NO_INCIDENT, allowed_roles
from storage.db import Database
from storage.models import Incident

log = logging.getLogger(__name__)

VERBS: dict[Action, str] = {
    Action.DECLARE: "declare incidents",
    Action.EDIT: "edit {ref}",
    Action.RESOLVE: "resolve {ref}",
    Action.REOPEN: "reopen {ref}",
    Action.HAND_OVER: "hand over roles on {ref}",
    Action.DRAFT: "draft messages for {ref}",
    Action.EDIT_DRAFT: "edit drafts of {ref}",
    Action.REDACT: "redact drafts of {ref}",
    Action.APPROVE: "approve messages of {ref}",
    Action.REJECT: "reject messages of {ref}",
    Action.CORRECT: "correct published messages of {ref}",
    Action.SNOOZE: "snooze reminders of {ref}",
    Action.PAUSE: "pause reminders of {ref}",
    Action.RESUME: "resume reminders of {ref}",
    Action.COMPLETE_FOLLOW_UP: "complete follow-ups of {ref}",
    Action.REASSIGN_FOLLOW_UP: "reassign follow-ups of {ref}",
    Action.EXPORT: "export {ref}",
    Action.TIMELINE: "see the timeline of {ref}",
    Action.STATUS: "see the status of {ref}",
    Action.ROLES: "see who holds the roles of {ref}",
    Action.DIGEST: "read the digest",
    Action.DIGEST_POST: "post the digest in a channel",
    Action.SCHEDULE_MAINTENANCE: "schedule maintenance",
    Action.APPROVE_MAINTENANCE: "approve the maintenance {ref}",
    Action.EDIT_MAINTENANCE: "change the maintenance {ref}",
    Action.CANCEL_MAINTENANCE: "cancel the maintenance {ref}",
}
PRIVATE = "Only the people running {ref} can do that: it is a private incident."
ROLE_NAMES: dict[Role, str] = {
    Role.REPORTER: "the reporter",
    Role.COMMANDER: "the commander",
    Role.COMMS_OWNER: "the comms owner",
    Role.CHANNEL_MEMBERS: "members of the incident channel",
    Role.FOLLOW_UP_OWNER: "the item's owner",
    Role.RESPONDERS: "responders",
    Role.APPROVERS: "approvers",
    Role.CS_LEADS: "CS leads",
    Role.ADMINS: "admins",
    Role.EVERYONE: "everyone",
}


RUN_PRIVATE = (Role.REPORTER, Role.COMMANDER, Role.COMMS_OWNER, Role.CHANNEL_MEMBERS, Role.ADMINS)
DECIDES_DRAFTS = frozenset({Action.APPROVE, Action.REJECT, Action.EDIT_DRAFT, Action.REDACT, Action.CORRECT})
# a maintenance's host incident is private (bot/maintenance/records.py); its approvers still count
DECIDES_DRAFTS |= {Action.APPROVE_MAINTENANCE, Action.EDIT_MAINTENANCE, Action.CANCEL_MAINTENANCE}


def counts_on(incident: Incident | None, role: Role, action: Action) -> bool:
    """On a private incident only the people running it (and approvers, on its drafts, and a
    follow-up's owner, on that item) count: responders, CS leads and everyone else do not."""
    if incident is None or incident.visibility != Visibility.PRIVATE or action in NO_INCIDENT:
        return True
    if role is Role.APPROVERS:
        return action in DECIDES_DRAFTS
    return role in RUN_PRIVATE or role is Role.FOLLOW_UP_OWNER


class Access:
    def __init__(
        self,
        db: Database,
        policy: Policy,
        clock: Clock,
        people: People,
        book: RoleBook,
    ) -> None:
        self.db, self.policy, self.clock = db, policy, clock
        self.people, self.book = people, book

    def reference(self, incident: Incident) -> str:
        return f"{self.policy.incident.number_prefix}-{incident.id}"

    async def may(
        self, actor: str, action: Action, incident: Incident | None = None, *, owner: str | None = None
    ) -> bool:
        return await self._allowed(await self.people.of(actor), action, incident, owner)

    async def require(
        self, actor: str, action: Action, incident: Incident | None = None, *, owner: str | None = None
    ) -> Person:
        """The acting person, or `NotAllowed` naming who can (the refusal is audited)."""
        person = await self.people.of(actor)
        if await self._allowed(person, action, incident, owner):
            return person
        async with self.db.write() as session:  # off the incident's timeline: refusals cannot flood it
            audit.record(
                session,
                incident_id=None,
                actor=actor,
                action=AuditAction.ACCESS_REFUSED,
                at=self.clock.now(),
                attempted=action.value,
                incident=incident.id if incident else None,
            )
        log.info("refused %s to %s", action.value, actor)
        private = incident is not None and incident.visibility == Visibility.PRIVATE
        if private and not await self._runs(person, incident):
            raise NotAllowed(PRIVATE.format(ref=self.reference(incident)))  # no names for outsiders
        raise NotAllowed(self.who_can(action, incident, owner))

    async def _runs(self, person: Person, incident: Incident) -> bool:
        return any([await self.book.holds(r, person, incident) for r in RUN_PRIVATE])

    async def roles_of(self, person: Person, incident: Incident | None) -> list[Role]:
        """Every role the person holds (for `/incident roles`)."""
        return [r for r in Role if r is not Role.EVERYONE and await self.book.holds(r, person, incident)]

    async def _allowed(
        self, person: Person, action: Action, incident: Incident | None, owner: str | None
    ) -> bool:
        for role in allowed_roles(self.policy.permissions, action):
            if counts_on(incident, role, action) and await self.book.holds(role, person, incident, owner):
                return True
        return False

    def who_can(self, action: Action, incident: Incident | None, owner: str | None = None) -> str:
        ref = self.reference(incident) if incident else "this incident"
        named = self._named(allowed_roles(self.policy.permissions, action), incident, owner)
        verb = VERBS[action].format(ref=ref)
        if not named:
            return f"Nobody can {verb} under this policy; an admin can change `[permissions] {action.value}`."
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        return f"Only {listed} can {verb}."

    def _named(self, roles: tuple[Role, ...], incident: Incident | None, owner: str | None) -> list[str]:
        """Each role in words; incident roles one person holds together are named once
        ("the commander and the comms owner (@alice)")."""
        held: dict[str, list[str]] = {}
        for role in roles:
            if incident is not None and (user := incident_person(incident, role)):
                held.setdefault(user, []).append(ROLE_NAMES[role])
        named = []
        for role in roles:
            user = incident_person(incident, role) if incident is not None else ""
            if user in held:
                labels = held.pop(user)
                joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
                named.append(f"{joined} ({mention(user)})")
            elif not user and (text := self._describe(role, incident, owner)):
                named.append(text)
        return named

    def _describe(self, role: Role, incident: Incident | None, owner: str | None) -> str:
        """A role no incident field names (those `_named` words itself)."""
        base = ROLE_NAMES[role]
        if role is Role.FOLLOW_UP_OWNER:
            return f"{base} ({mention(owner)})" if owner else ""
        if role is Role.CHANNEL_MEMBERS:
            return base if incident and incident.channel_id else ""
        if role is Role.EVERYONE:
            return base
        entries = self.book.entries(role)
        return f"{base} ({', '.join(self.entry_name(e) for e in entries)})" if entries else ""

    def entry_name(self, entry: str) -> str:
        """A policy entry as cards show it: a mention, a person's name, or @group."""
        if entry in self.policy.people.named:
            person = self.policy.people.named[entry]
            return mention(person.slack) if person.slack else person.name or entry
        return mention(entry) if USER_ID.match(entry) else f"@{entry.lstrip('@')}"
