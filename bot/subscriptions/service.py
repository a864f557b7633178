"""Subscribing, confirming, changing and leaving: the rules and their transactions.

`request` answers the same whether or not the address is known (a known address simply gets a
new confirmation e-mail, within the caps); only a confirmed link writes a `subscriber`, and
leaving deletes it together with every e-mail row still holding the address. Log lines name
addresses only by a keyed hash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.templating import Templates
from bot.clock import Clock
from bot.enums import OutboxStatus
from bot.metrics import Metrics
from bot.policy.model import Policy
from bot.subscriptions import limits
from bot.subscriptions.mail import ConfirmationMail, SmtpSettings, send
from bot.subscriptions.tokens import Signer, is_key, links_base, new_request_id, normalised
from storage.channel_models import ExternalDelivery
from storage.db import Database
from storage.subscription_models import Subscriber, SubscriptionRequest

log = logging.getLogger(__name__)
SENT, BLOCKED, LIMITED = "sent", "blocked", "limited"


@dataclass(frozen=True)
class Requested:
    """What the form answers: `sent` (also when the address cap held the e-mail back), `blocked`
    (a blocked domain) or `limited` (this client or everyone is over the hourly cap)."""

    outcome: str
    mail: EmailMessage | None = None
    recipient: str = ""


class SubscriptionService:
    def __init__(
        self,
        db: Database,
        policy: Policy,
        clock: Clock,
        signer: Signer,
        templates: Templates,
        smtp: SmtpSettings | None,
        metrics: Metrics | None = None,
    ) -> None:
        self.db, self.policy, self.clock, self.signer = db, policy, clock, signer
        self.settings = policy.subscriptions
        self.mail, self.smtp, self.metrics = ConfirmationMail(templates, policy), smtp, metrics

    async def request(self, address: str, components: list[str], client: str) -> Requested:
        """A confirmation e-mail for `address` (already checked by the form), within the caps."""
        address = address.strip()
        who = self.signer.hashed("address", address)
        if self.settings.blocks(address):
            self.count("blocked_domain", who)
            return Requested(BLOCKED)
        now = self.clock.now()
        row = SubscriptionRequest(
            id=new_request_id(),
            address=address,
            address_hash=who,
            client_hash=self.signer.hashed("client", client),
            components=sorted(set(components)),
            created_at=now,
            expires_at=now + self.settings.link_lifetime,
        )
        async with self.db.write() as session:
            await limits.prune(session, self.settings, now)
            refused = await limits.refusal(session, self.settings, who, row.client_hash, now)
            row.sent = refused is None
            if refused != "global":  # a global refusal is not this client's doing
                session.add(row)
        if refused is not None:
            self.count(f"{refused}_cap", who)
            return Requested(SENT if refused == "address" else LIMITED)
        return Requested(SENT, self._mail(row, now), address)

    async def invite(self, address: str, components: list[str]) -> Requested:
        """A confirmation e-mail asked for by an operator (`subscribers import` without
        --confirmed): the per-address cap applies, the per-client and global ones do not."""
        now, who = self.clock.now(), self.signer.hashed("address", address)
        row = SubscriptionRequest(
            id=new_request_id(),
            address=address,
            address_hash=who,
            client_hash=self.signer.hashed("client", "import"),
            components=sorted(set(components)),
            sent=True,
            created_at=now,
            expires_at=now + self.settings.link_lifetime,
        )
        async with self.db.write() as session:
            if await limits.address_count(session, who, now) >= self.settings.per_address_per_hour:
                return Requested(SENT)
            session.add(row)
        return Requested(SENT, self._mail(row, now), address)

    def _mail(self, row: SubscriptionRequest, now) -> EmailMessage:
        token = self.signer.confirmation(row.id, row.expires_at)
        link = f"{links_base(self.policy)}/subscribe/confirm/{token}"
        return self.mail.render(row.address, link, row.components, now, self.settings.link_lifetime)

    async def send(self, requested: Requested) -> bool:
        """Send a confirmation e-mail (after the request's transaction); False when it failed."""
        if requested.mail is None or self.smtp is None:
            return False
        reason = await send(self.smtp, requested.mail, requested.recipient)
        outcome = "sent" if reason is None else "failed"
        if self.metrics is not None:
            self.metrics.subscriptions.labels(f"confirmation_{outcome}").inc()
        if reason is not None:
            log.warning(
                "a confirmation e-mail to %s failed: %s",
                self.signer.hashed("address", requested.recipient)[:12],
                reason,
            )
        return reason is None

    async def pending(self, token: str) -> SubscriptionRequest | None:
        """The request a genuine, unexpired, unused link would confirm (read only: a GET)."""
        request_id = self.signer.confirmed_request(token, self.clock.now())
        if request_id is None:
            return None
        async with self.db.read() as session:
            row = await session.get(SubscriptionRequest, request_id)
        return row if row is not None and row.sent and row.expires_at > self.clock.now() else None

    async def confirm(self, token: str) -> str | None:
        """Confirm a link (a POST); returns the subscriber's key, or None for a refused link."""
        now = self.clock.now()
        request_id = self.signer.confirmed_request(token, now)
        if request_id is None:
            return None
        async with self.db.write() as session:
            row = await session.get(SubscriptionRequest, request_id, with_for_update=True)
            if row is None or not row.sent or row.expires_at <= now:
                return None
            row.expires_at = now  # used: the same link cannot subscribe again later
            key = self.signer.address_key(row.address)
            await upsert(session, row.address, key, row.components, now, "form")
        self.count("confirmed", row.address_hash)
        return key

    async def subscriber(self, key: str) -> Subscriber | None:
        if not is_key(key):
            return None
        async with self.db.read() as session:
            return (await session.exec(select(Subscriber).where(Subscriber.address_key == key))).first()

    async def change(self, key: str, components: list[str]) -> bool:
        if not is_key(key):
            return False
        async with self.db.write() as session:
            found = (await session.exec(select(Subscriber).where(Subscriber.address_key == key))).first()
            if found is None:
                return False
            found.components = sorted(set(components))
            session.add(found)
        return True

    async def unsubscribe(self, key: str) -> bool:
        """Delete the subscriber and every row still holding its address (unless the policy lists it)."""
        if not is_key(key):
            return False
        async with self.db.write() as session:
            found = (await session.exec(select(Subscriber).where(Subscriber.address_key == key))).first()
            if found is None:
                return False
            await forget(session, self.policy, found.address, self.signer.hashed("address", found.address))
            await session.delete(found)
        self.count("unsubscribed", self.signer.hashed("address", found.address))
        return True

    def count(self, event: str, who: str) -> None:
        if self.metrics is not None:
            self.metrics.subscriptions.labels(event).inc()
        if event.endswith("_cap") or event == "blocked_domain":
            log.warning("subscription request refused (%s) for address %s", event, who[:12])
        else:
            log.info("subscription %s: address %s", event, who[:12])


async def upsert(
    session: AsyncSession, address: str, key: str, components: list[str], now, source: str
) -> None:
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    values = {"address": address, "address_key": key, "components": components, "confirmed_at": now}
    statement = insert(Subscriber).values(**values, created_at=now, source=source)
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["address_key"],
            set_={"components": components, "confirmed_at": now, "address": address},
        )
    )


async def forget(session: AsyncSession, policy: Policy, address: str, address_hash: str) -> None:
    """Remove the address from the e-mail outbox (not a row being sent) and from requests."""
    await session.exec(delete(SubscriptionRequest).where(SubscriptionRequest.address_hash == address_hash))
    if normalised(address) in listed(policy):
        return  # the policy still names it: its rows are the policy's
    await session.exec(
        delete(ExternalDelivery).where(
            ExternalDelivery.channel == "email",
            col(ExternalDelivery.recipient) == address,
            ExternalDelivery.status != OutboxStatus.IN_FLIGHT.value,
        )
    )


def listed(policy: Policy) -> set[str]:
    """Every address the policy's e-mail lists name, case-folded."""
    email = policy.email
    lists = [email.customers, email.internal, *email.segments.values(), *email.accounts.values()]
    return {normalised(address) for chosen in lists for address in chosen}
