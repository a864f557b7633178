"""One version of a draft: rendered from its facts (or given text), then checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.chat.templating import Templates
from bot.comms.checks import check_draft
from bot.comms.drafting import DraftFacts, render_draft
from bot.enums import AudienceKind, Stage
from bot.policy.model import Policy
from storage.models import Draft, DraftVersion, Incident


def needs_approval(policy: Policy, audience_kind: str) -> bool:
    return audience_kind != AudienceKind.INTERNAL or policy.approvals.internal_needs_approval


def build_version(
    templates: Templates,
    policy: Policy,
    reference: Callable[[Incident], str],
    incident: Incident,
    draft: Draft,
    facts: DraftFacts,
    author: str,
    *,
    now: datetime,
    number: int,
    text: str | None = None,
) -> DraftVersion:
    account = draft.audience_key if draft.audience_kind == AudienceKind.NAMED_ACCOUNT else None
    if text is None:
        text = render_draft(
            templates,
            incident,
            Stage(draft.stage),
            AudienceKind(draft.audience_kind),
            facts,
            reference=reference(incident),
            account=account,
            own_support_route=policy.messages.support_route,
        )
    may_name = incident.named_accounts if draft.audience_kind == AudienceKind.INTERNAL else [account or ""]
    report = check_draft(
        text,
        Stage(draft.stage),
        named_accounts=incident.named_accounts,
        may_name=[n for n in may_name if n],
        rules=policy.checks,
    )
    blocking = report.blocking and needs_approval(policy, draft.audience_kind)
    return DraftVersion(
        draft_id=draft.id,
        number=number,
        text=text,
        facts=facts.to_json(),
        checks=report.to_json(),
        blocking=blocking,
        author_id=author,
        created_at=now,
    )
