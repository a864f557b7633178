"""Which follow-up items a resolved incident needs, from the policy. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.business_days import add_business_days
from bot.enums import FollowUpKind
from bot.policy.model import Policy
from storage.models import Incident

TITLES = {
    FollowUpKind.RCA: "Root-cause analysis",
    FollowUpKind.SERVICE_CREDIT: "Service-credit review",
    FollowUpKind.RENEWAL_RISK: "Renewal-risk review",
    FollowUpKind.EXECUTIVE: "Executive follow-up",
}


@dataclass(frozen=True)
class PlannedFollowUp:
    kind: FollowUpKind
    subject: str  # the named account, for renewal risk
    owner_id: str
    due_at: datetime

    @property
    def title(self) -> str:
        return title_of(self.kind, self.subject)


def title_of(kind: str, subject: str) -> str:
    base = TITLES[FollowUpKind(kind)]
    return f"{base}: {subject}" if subject else base


def plan_follow_ups(incident: Incident, policy: Policy, resolved_at: datetime) -> list[PlannedFollowUp]:
    rules = policy.follow_ups

    def due(days: int) -> datetime:
        return add_business_days(resolved_at, days)

    items = [PlannedFollowUp(FollowUpKind.RCA, "", incident.commander_id, due(rules.rca_due_days))]
    lasted = resolved_at - incident.declared_at
    if incident.severity in rules.service_credit_severities or lasted >= rules.service_credit_after:
        owner = rules.service_credit_owner or incident.comms_owner_id
        items.append(
            PlannedFollowUp(FollowUpKind.SERVICE_CREDIT, "", owner, due(rules.service_credit_due_days))
        )
    for account in incident.named_accounts:
        owner = rules.renewal_risk_owner or incident.comms_owner_id
        items.append(
            PlannedFollowUp(FollowUpKind.RENEWAL_RISK, account, owner, due(rules.renewal_risk_due_days))
        )
    if incident.severity in rules.executive_severities:
        owner = rules.executive_owner or incident.commander_id
        items.append(PlannedFollowUp(FollowUpKind.EXECUTIVE, "", owner, due(rules.executive_due_days)))
    return items
