"""A realistic incident and the facts a responder would have published along the way."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.chat.templating import Templates
from bot.comms.drafting import DraftFacts, Maintenance, default_facts
from bot.enums import Stage
from bot.policy.model import Policy, load_policy
from bot.resolution.past_tense import past_tense
from storage.models import Incident

NOW = datetime(2026, 11, 23, 9, 47, 12, tzinfo=UTC)
ACCOUNTS = ["Acme Corp", "Globex Corporation"]
MAINTENANCE = Maintenance(
    start=datetime(2026, 12, 12, 2, 0, tzinfo=UTC),
    end=datetime(2026, 12, 12, 4, 0, tzinfo=UTC),
    affected_services=("Checkout", "Order history"),
    expected_impact="Checkout will be unavailable for up to 15 minutes; order history may load slowly.",
)
"""The window the maintenance templates are rendered with."""


@pytest.fixture
def policy() -> Policy:
    """The shipped defaults (SEV1 30m … SEV4 4h); defined here so this folder runs on its own."""
    return load_policy()


@pytest.fixture
def incident() -> Incident:
    return Incident(
        id=42,
        title="Checkout errors in EU",
        what_happened="Card payments are failing at checkout for customers in the EU region since 09:12 UTC.",
        customer_impact="Customers in the EU cannot complete purchases; about 30% of card payments fail.",
        severity="SEV2",
        status="investigating",
        visibility="public",
        segments=["EU region", "Self-serve"],
        named_accounts=list(ACCOUNTS),
        reporter_id="UALICE",
        commander_id="UBOB",
        comms_owner_id="UCAROL",
        source_key="test-42",
        declared_at=datetime(2026, 11, 23, 9, 15, tzinfo=UTC),
        updated_at=NOW,
    )


@pytest.fixture
def templates() -> Templates:
    return Templates()


@pytest.fixture
def published_update(incident: Incident, policy: Policy) -> DraftFacts:
    """The last update customers saw, as the responder edited it in the form."""
    return replace(
        default_facts(incident, Stage.UPDATE, policy, NOW),
        eta="We expect card payments to recover by 11:00 UTC.",
        actions_taken="We rolled back a payment gateway configuration change at 10:40 UTC.",
        next_steps="We will monitor payment success rates until they are back to normal.",
    )


@pytest.fixture
def stage_facts(incident: Incident, policy: Policy, published_update: DraftFacts) -> dict[Stage, DraftFacts]:
    """Default facts of every stage along a realistic timeline (post-incident findings filled in)."""
    initial = default_facts(incident, Stage.INITIAL, policy, NOW)
    resolved = replace(  # as the resolve form retells the live facts (bot/resolution/past_tense.py)
        default_facts(incident, Stage.RESOLVED, policy, NOW, previous=published_update),
        what_happened=past_tense(incident.what_happened),
        impact=past_tense(incident.customer_impact),
        window="Between 09:12 and 10:55 UTC on Mon 23 Nov 2026",
    )
    review = replace(
        default_facts(incident, Stage.POST_INCIDENT, policy, NOW, previous=resolved),
        root_cause="A configuration change to the payment gateway rejected cards issued in the EU.",
        preventive_measures="Payment gateway changes now require a staged rollout with automatic rollback.",
    )
    return {
        Stage.INITIAL: initial,
        Stage.UPDATE: default_facts(incident, Stage.UPDATE, policy, NOW, previous=initial),
        Stage.RESOLVED: resolved,
        Stage.POST_INCIDENT: review,
        **{
            stage: replace(default_facts(incident, stage, policy, NOW), headline="Checkout database upgrade")
            for stage in (Stage.MAINTENANCE_SCHEDULED, Stage.MAINTENANCE_STARTED, Stage.MAINTENANCE_COMPLETED)
        },
    }
