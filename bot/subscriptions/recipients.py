"""Which confirmed subscribers receive a message, and each one's own signed link.

Only approved broad-customer messages of public incidents, and the customer texts of scheduled
maintenance, reach subscribers: those who chose all updates, and those whose components
intersect the incident's (or the maintenance's). Policy-listed addresses
come first; a subscriber already listed is not added twice.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.enums import AudienceKind, Visibility
from bot.policy.model import Policy
from bot.subscriptions.tokens import Signer, links_base, normalised, signer_for
from storage.maintenance_models import MaintenanceWindow
from storage.models import Draft, Incident
from storage.subscription_models import Subscriber


async def with_subscribers(
    session: AsyncSession, policy: Policy, incident: Incident, draft: Draft, listed: list[str]
) -> list[str]:
    """`listed` (the policy's recipients of the draft), then the subscribers it concerns."""
    if not policy.subscriptions.enabled:
        return listed
    if draft.audience_kind != AudienceKind.CUSTOMER:
        return listed
    if draft.stage.startswith("maintenance"):  # a maintenance's text: its (private) host incident
        window = await session.exec(
            select(MaintenanceWindow).where(MaintenanceWindow.incident_id == incident.id)
        )
        found = window.first()
        affected = set(found.components) if found is not None else set()
    elif incident.visibility == Visibility.PUBLIC:
        affected = set(incident.components or {})
    else:
        return listed
    seen = {normalised(address) for address in listed}
    chosen = list(listed)
    rows = await session.exec(select(Subscriber.address, Subscriber.components).order_by(Subscriber.id))
    for address, components in rows.all():
        if (not components or affected.intersection(components)) and normalised(address) not in seen:
            seen.add(normalised(address))
            chosen.append(address)
    return chosen


def shown_recipient(policy: Policy, signer: Signer | None = None) -> Callable[[str], str]:
    """How logs, failure cards and the audit trail name an e-mail recipient: a policy-listed address
    as it is, a subscriber only by a keyed hash (subscribers never appear in logs or exports)."""
    link = unsubscribe_links(policy, signer)
    signer = signer or signer_for(policy)
    if signer is None:
        return lambda address: address
    return lambda address: (
        address if link(address) is None else f"subscriber {signer.hashed('address', address)[:12]}"
    )


def unsubscribe_links(policy: Policy, signer: Signer | None = None) -> Callable[[str], str | None]:
    """address -> its own unsubscribe page (also the RFC 8058 one-click target); None for an
    address the policy lists (it keeps the policy's unsubscribe URIs) or with subscriptions off."""
    signer = signer or signer_for(policy)
    if signer is None:
        return lambda _address: None
    email = policy.email
    lists = [email.customers, email.internal, *email.segments.values(), *email.accounts.values()]
    listed = {normalised(address) for chosen in lists for address in chosen}
    base = links_base(policy)

    def link(address: str) -> str | None:
        if normalised(address) in listed:
            return None
        return f"{base}/subscription/{signer.address_key(address)}"

    return link
