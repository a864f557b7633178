"""People, not ids: one human's Slack and Teams identities as one `Person`.

Identities are linked by the policy (`[people.<name>]`), by the platform itself (a Teams
object id and its UPN), and by verified e-mail: a full member of our own workspace or tenant
whose address is in one of `people.link_domains`. E-mail links are stored, audited, checked
again after `LINK_FRESH`, and removed when the platform no longer vouches for the address.
Without `link_domains` no address is ever looked up.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cachetools import TTLCache
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, delete, select

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.chat.ports import ChatPlatform
from bot.clock import Clock
from bot.policy.model import Policy
from storage.db import Database
from storage.models import PersonLink

log = logging.getLogger(__name__)
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$|^[a-z]+:.")  # a Slack user id, or another platform's (`msteams:…`)
_PREFIXED = re.compile(r"^[a-z]+:.")
LINK_FRESH = timedelta(hours=1)  # a stored e-mail link is confirmed with the platform after this
LINK_TRUSTED = timedelta(days=1)  # another id's link older than this is not merged in
CACHE_FOR = timedelta(minutes=1)  # a resolved person is reused this long in one process
PEOPLE_CACHED = 10_000  # people resolved at once; the least recently used are forgotten first


def canonical(user_id: str) -> str:
    """Teams object ids and UPNs ignore case; Slack ids do not."""
    return user_id.casefold() if _PREFIXED.match(user_id) else user_id


@dataclass(frozen=True)
class Person:
    key: str  # the `[people]` name, `email:<address>`, or the one id they act under
    ids: frozenset[str]  # canonical platform ids
    name: str = ""
    email: str = ""
    linked_by: str = ""  # "policy", "e-mail" or "" (one id only)

    def has(self, user_id: str) -> bool:
        return canonical(user_id) in self.ids


class People:
    def __init__(self, db: Database, policy: Policy, clock: Clock, platform: ChatPlatform) -> None:
        self.db, self.policy, self.clock, self.platform = db, policy, clock, platform
        # bounded in size and time: every id that ever spoke must not stay in memory for good
        self._cache: TTLCache[str, Person] = TTLCache(
            PEOPLE_CACHED, CACHE_FOR.total_seconds(), timer=lambda: clock.now().timestamp()
        )

    async def of(self, user_id: str) -> Person:
        if (cached := self._cache.get(user_id)) is not None:
            return cached
        person = await self._resolve(user_id, self.clock.now())
        self._cache[user_id] = person
        return person

    async def same(self, user_id: str, other_id: str) -> bool:
        return user_id == other_id or await self.is_(await self.of(user_id), other_id)

    async def is_(self, person: Person, user_id: str) -> bool:
        """Whether `user_id` is one of this person's identities."""
        if person.has(user_id):
            return True
        other = await self.of(user_id)
        return other.key == person.key or bool(other.ids & person.ids)

    async def _resolve(self, user_id: str, now: datetime) -> Person:
        if not USER_ID.match(user_id):  # the bot itself, or "policy"
            return Person(key=user_id, ids=frozenset({user_id}))
        ids = {canonical(a) for a in await self.platform.aliases(user_id) | {user_id}}
        email = await self._verified_link(canonical(user_id), now)
        if email:
            ids |= await self._linked_ids(email, now)
        for name, entry in self.policy.people.named.items():
            if entry.ids & ids:
                return Person(name, frozenset(ids | entry.ids), entry.name, email or "", "policy")
        if email:
            return Person(f"email:{email}", frozenset(ids), email=email, linked_by="e-mail")
        return Person(_one_key(ids), frozenset(ids))

    async def _verified_link(self, user_id: str, now: datetime) -> str | None:
        domains = self.policy.people.link_domains
        if not domains:
            return None
        async with self.db.read() as session:
            stored = await session.get(PersonLink, user_id)
        if stored is not None and now - stored.checked_at < LINK_FRESH:
            return stored.email
        try:
            email = await self.platform.verified_email(user_id)
        except Exception as error:  # the platform did not answer: keep what it said before
            log.warning("could not confirm a person's e-mail (%s); keeping the stored link", error)
            return stored.email if stored is not None else None
        if email and email.rpartition("@")[2] not in domains:
            email = None
        await self._record(user_id, email, stored, now)
        return email

    async def _record(
        self, user_id: str, email: str | None, stored: PersonLink | None, now: datetime
    ) -> None:
        """Store, refresh or remove the link; a new, changed or removed link is audited."""
        if email is None and stored is None:
            return
        changed = stored is None or stored.email != email
        async with self.db.write() as session:
            if email is None:
                await session.exec(delete(PersonLink).where(col(PersonLink.user_id) == user_id))
            else:
                insert = postgresql.insert if self.db.dialect == "postgresql" else sqlite.insert
                values = {"email": email, "checked_at": now, **({"linked_at": now} if changed else {})}
                await session.exec(
                    insert(PersonLink)
                    .values({"user_id": user_id, "linked_at": now, **values})
                    .on_conflict_do_update(index_elements=["user_id"], set_=values)
                )
            if changed:
                action = AuditAction.PERSON_UNLINKED if email is None else AuditAction.PERSON_LINKED
                shown = email or (stored.email if stored else "")
                audit.record(session, incident_id=None, actor=user_id, action=action, at=now, email=shown)

    async def _linked_ids(self, email: str, now: datetime) -> set[str]:
        """The other ids whose platform vouched for `email` lately (an old link of someone who
        left is not merged into whoever holds the address now)."""
        statement = select(PersonLink.user_id).where(
            col(PersonLink.email) == email, col(PersonLink.checked_at) >= now - LINK_TRUSTED
        )
        async with self.db.read() as session:
            return {canonical(r) for r in (await session.exec(statement)).all()}

    async def links(self, person: Person) -> list[PersonLink]:
        """The stored e-mail links of a person (shown by `/incident roles`)."""
        async with self.db.read() as session:
            rows = await session.exec(
                select(PersonLink).where(col(PersonLink.user_id).in_(sorted(person.ids)))
            )
            return list(rows.all())


def _one_key(ids: set[str]) -> str:
    """One id for a person the platform knows under several (a Teams object id over its UPN)."""
    return min(ids, key=lambda i: ("@" in i, i))
