"""The three customer texts of a maintenance: prefilled from the stage templates, then checked as
any draft is (`bot/comms/checks.py`), all three approved together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.chat.cards import strip_markers
from bot.chat.templating import Templates
from bot.comms.checks import check_draft
from bot.comms.drafting import DraftFacts, Maintenance, render_draft
from bot.comms.maintenance import MAINTENANCE_STAGES
from bot.enums import AudienceKind, Stage
from bot.maintenance.forms import MaintenancePlan
from bot.policy.model import Policy
from storage.models import Incident

PREFILL_REFERENCE = "(reference given on submission)"
AUDIENCE = "customers"  # the broad customer audience: its channels, e-mail, webhooks, the status page


def facts_of(plan: MaintenancePlan, policy: Policy) -> DraftFacts:
    return DraftFacts(
        headline=plan.title,
        what_happened="",
        impact=plan.expected_impact,
        eta="",
        actions_taken="",
        next_steps="",
        next_update_at=None,
        support_route=policy.messages.support_route,
    )


def component_names(plan: MaintenancePlan, policy: Policy) -> tuple[str, ...]:
    known = policy.status_page.components
    return tuple(known[c].name if c in known else c for c in plan.components)


def template_texts(
    templates: Templates, policy: Policy, plan: MaintenancePlan, reference: str, *, links: bool = True
) -> dict[Stage, str]:
    """Each stage's text as its template words it for this plan; `links`: the policy's support
    route with live links (a form shows it as the plain text a person could type)."""
    window = Maintenance(plan.starts_at, plan.ends_at, component_names(plan, policy), plan.expected_impact)
    host = Incident(title=plan.title, what_happened="", customer_impact=plan.expected_impact, severity="")
    facts = facts_of(plan, policy)
    return {
        stage: render_draft(
            templates,
            host,
            stage,
            AudienceKind.CUSTOMER,
            facts,
            reference=reference,
            own_support_route=policy.messages.support_route if links else "",
            maintenance=window,
        )
        for stage in MAINTENANCE_STAGES
    }


def final_texts(
    plan: MaintenancePlan, rendered: dict[Stage, str], prefilled: dict[Stage, str]
) -> dict[Stage, str]:
    """A text left empty, or left as the form prefilled it, follows the plan as submitted (a
    changed window or title re-words it); a text the person edited is kept as they wrote it."""
    chosen = {}
    for stage in MAINTENANCE_STAGES:
        typed = plan.texts.get(stage, "").strip()
        untouched = not typed or typed == strip_markers(prefilled.get(stage, "")).strip()
        chosen[stage] = rendered[stage] if untouched else typed
    return chosen


@dataclass(frozen=True)
class Checked:
    texts: dict[str, str]  # stage value -> text
    checks: dict[str, Any]  # stage value -> the check report's JSON
    blocking: bool


def check_texts(texts: dict[Stage, str], policy: Policy) -> Checked:
    reports = {stage: check_draft(text, stage, rules=policy.checks) for stage, text in texts.items()}
    return Checked(
        texts={stage.value: text for stage, text in texts.items()},
        checks={stage.value: report.to_json() for stage, report in reports.items()},
        blocking=any(report.blocking for report in reports.values()),
    )
