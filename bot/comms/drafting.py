"""Drafting stage messages: the form's facts, their prefill, and rendering through the templates.

A draft belongs to (incident, stage, audience). Customer and named-account drafts share the
``customer/<stage>.md.j2`` templates; a named account's draft has ``account`` set and may name it,
the broad customer draft never names an account. Internal drafts use ``internal/<stage>.md.j2``.
The context is documented in docs/templates.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.chat.links import own_links
from bot.chat.templating import Templates
from bot.comms.drafting_defaults import default_facts, next_update_default
from bot.comms.drafting_facts import FACT_LIMITS, DraftFacts, as_utc
from bot.comms.maintenance import Maintenance, maintenance_context
from bot.enums import AudienceKind, Stage
from storage.models import Incident

__all__ = [
    "FACT_LIMITS",
    "NO_ESTIMATE",
    "DraftFacts",
    "Maintenance",
    "default_facts",
    "next_update_default",
    "render_draft",
    "template_context",
    "template_name",
]

NO_ESTIMATE = "We do not have an estimate for resolution yet."
"""Said when the ETA is empty; the draft checks recognise it as the (explicit) estimate."""


def template_name(stage: Stage, audience_kind: AudienceKind) -> str:
    """``customer/update.md.j2`` etc.; named accounts use the customer templates."""
    folder = "internal" if AudienceKind(audience_kind) == AudienceKind.INTERNAL else "customer"
    return f"{folder}/{Stage(stage).value}.md.j2"


def render_draft(
    templates: Templates,
    incident: Incident,
    stage: Stage,
    audience_kind: AudienceKind,
    facts: DraftFacts,
    *,
    reference: str,
    account: str | None = None,
    own_support_route: str = "",
    maintenance: Maintenance | None = None,
) -> str:
    """The draft's neutral Markdown text. `own_support_route` is the policy's: its links are live
    while the draft's support route is exactly that text (a typed one's links read as text)."""
    context = template_context(
        incident, stage, audience_kind, facts, reference=reference, account=account, maintenance=maintenance
    )
    if own_support_route and facts.support_route == own_support_route:
        context["support_route"] = own_links(own_support_route)
    return templates.render(template_name(stage, audience_kind), **context)


def template_context(
    incident: Incident,
    stage: Stage,
    audience_kind: AudienceKind,
    facts: DraftFacts,
    *,
    reference: str,
    account: str | None = None,
    maintenance: Maintenance | None = None,
) -> dict[str, Any]:
    """Every variable a stage template sees (documented in docs/templates.md)."""
    audience = AudienceKind(audience_kind)
    if (audience == AudienceKind.NAMED_ACCOUNT) != bool(account):
        raise ValueError("account is required for a named-account draft and only for one")
    return {
        "incident": incident,
        "ref": reference,
        "stage": Stage(stage).value,
        "audience": audience.value,
        "account": account or None,
        "facts": facts,
        "next_update": format_next_update(facts.next_update_at),
        "eta_text": facts.eta.strip() or NO_ESTIMATE,
        "support_route": facts.support_route,
        "links": {},
        **maintenance_context(maintenance),
    }


def format_next_update(moment: datetime | None) -> str | None:
    """``"14:30 UTC"``; templates wanting the date use ``facts.next_update_at | utc``."""
    return as_utc(moment).strftime("%H:%M UTC") if moment else None
