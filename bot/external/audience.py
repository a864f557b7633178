"""Who receives an approved message outside chat: e-mail addresses and webhook endpoints.

The draft's audience decides, never its text. A customer message goes to the `customers`
list plus the lists of the incident's affected segments; a named account's message only to
that account's list and endpoints; an internal message only to internal recipients. Every
address is chosen once, however many lists hold it.
"""

from __future__ import annotations

from bot.enums import AudienceKind
from bot.policy.external import EmailPolicy, WebhookPolicy, unique_addresses
from storage.models import Draft, Incident

EMAIL, WEBHOOK = "email", "webhook"


def audiences_of(incident: Incident, draft: Draft) -> set[str]:
    """The audience names (as webhooks list them) a draft is meant for."""
    if draft.audience_kind == AudienceKind.CUSTOMER:
        return {"customers", *(f"segment:{segment}" for segment in incident.segments)}
    if draft.audience_kind == AudienceKind.NAMED_ACCOUNT:
        return {f"account:{draft.audience_key}"}
    return {"internal"}


def email_recipients(email: EmailPolicy, incident: Incident, draft: Draft) -> list[str]:
    if draft.audience_kind == AudienceKind.CUSTOMER:
        lists = [email.customers, *(email.segments.get(segment, []) for segment in incident.segments)]
    elif draft.audience_kind == AudienceKind.NAMED_ACCOUNT:
        lists = [email.accounts.get(draft.audience_key, [])]
    else:
        lists = [email.internal]
    return unique_addresses([address for chosen in lists for address in chosen])


def webhook_recipients(webhooks: dict[str, WebhookPolicy], incident: Incident, draft: Draft) -> list[str]:
    wanted = audiences_of(incident, draft)
    return [name for name, hook in webhooks.items() if wanted.intersection(hook.audiences)]
