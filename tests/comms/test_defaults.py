"""The drafting form's prefill: incident facts, previous published facts, next update time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.comms.drafting import DraftFacts, default_facts, next_update_default
from bot.comms.drafting_defaults import NEUTRAL_HEADLINE, round_up
from bot.enums import Stage
from bot.policy.model import Policy
from storage.models import Incident
from tests.comms.conftest import NOW


def test_initial_prefill_comes_from_the_incident_and_policy(incident: Incident, policy: Policy) -> None:
    facts = default_facts(incident, Stage.INITIAL, policy, NOW)
    assert facts.headline == incident.title
    assert facts.what_happened == incident.what_happened
    assert facts.impact == incident.customer_impact
    assert facts.eta == ""  # no estimate yet
    assert facts.support_route == policy.messages.support_route
    assert facts.actions_taken and facts.next_steps


@pytest.mark.parametrize(
    ("severity", "now", "expected"),
    [
        ("SEV2", datetime(2026, 11, 23, 9, 47, 12, tzinfo=UTC), datetime(2026, 11, 23, 10, 50, tzinfo=UTC)),
        ("SEV1", datetime(2026, 11, 23, 9, 45, tzinfo=UTC), datetime(2026, 11, 23, 10, 15, tzinfo=UTC)),
        ("SEV1", datetime(2026, 11, 23, 9, 45, 0, 1, tzinfo=UTC), datetime(2026, 11, 23, 10, 20, tzinfo=UTC)),
        ("SEV4", datetime(2026, 11, 23, 21, 58, tzinfo=UTC), datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
    ],
)
def test_next_update_is_now_plus_cadence_rounded_up(incident, policy, severity, now, expected) -> None:
    incident.severity = severity
    assert next_update_default(incident, policy, now) == expected
    assert default_facts(incident, Stage.UPDATE, policy, now).next_update_at == expected


def test_next_update_is_in_utc(incident: Incident, policy: Policy) -> None:
    paris = datetime(2026, 11, 23, 10, 47, 12, tzinfo=timezone(timedelta(hours=1)))
    moment = next_update_default(incident, policy, paris)
    assert moment.tzinfo == UTC and moment == datetime(2026, 11, 23, 10, 50, tzinfo=UTC)


def test_unknown_severity_uses_the_default_cadence(incident: Incident, policy: Policy) -> None:
    incident.severity = "SEV9"  # renamed in the policy since the incident was declared
    cadence = policy.cadence(policy.default_severity)
    assert next_update_default(incident, policy, NOW) == round_up(NOW + cadence, timedelta(minutes=5))


@pytest.mark.parametrize("stage", [Stage.RESOLVED, Stage.POST_INCIDENT])
def test_no_next_update_after_resolution(incident, policy, stage) -> None:
    assert default_facts(incident, stage, policy, NOW).next_update_at is None


def test_update_carries_what_customers_were_last_told(incident, policy, published_update: DraftFacts) -> None:
    previous = replace(
        published_update, headline="Card payment errors", support_route="Email help@shop.example."
    )
    incident.status_note = "Configuration change rolled back; payments recovering."
    facts = default_facts(incident, Stage.UPDATE, policy, NOW, previous=previous)
    assert facts.headline == "Card payment errors"
    assert facts.what_happened == incident.status_note  # what changed
    assert facts.impact == incident.customer_impact  # the incident is the source of truth
    assert (facts.eta, facts.actions_taken, facts.next_steps) == (
        previous.eta,
        previous.actions_taken,
        previous.next_steps,
    )
    assert facts.support_route == "Email help@shop.example."
    assert facts.next_update_at == datetime(2026, 11, 23, 10, 50, tzinfo=UTC)  # never carried


def test_resolved_prefill(incident, policy, published_update: DraftFacts) -> None:
    facts = default_facts(incident, Stage.RESOLVED, policy, NOW, previous=published_update)
    assert facts.resolution
    assert facts.actions_taken == published_update.actions_taken
    assert facts.eta == "" and facts.next_steps == ""


def test_post_incident_prefill_invents_nothing(incident, policy, published_update: DraftFacts) -> None:
    facts = default_facts(incident, Stage.POST_INCIDENT, policy, NOW, previous=published_update)
    assert facts.root_cause == "" and facts.preventive_measures == ""
    assert facts.corrective_actions == published_update.actions_taken
    assert facts.feedback_route == published_update.support_route


def test_title_naming_an_account_is_not_the_customer_headline(incident: Incident, policy: Policy) -> None:
    incident.title = "ACME corp. checkout failures"
    assert default_facts(incident, Stage.INITIAL, policy, NOW).headline == NEUTRAL_HEADLINE


def test_prefill_fits_the_form_limits(incident: Incident, policy: Policy) -> None:
    incident.what_happened = "x" * 3000
    assert len(default_facts(incident, Stage.INITIAL, policy, NOW).what_happened) == 2000
