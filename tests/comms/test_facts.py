"""DraftFacts as stored in DraftVersion.facts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.comms.drafting import FACT_LIMITS, DraftFacts

FULL = DraftFacts(
    headline="Checkout errors in EU",
    what_happened="Card payments are failing at checkout.",
    impact="Customers in the EU cannot complete purchases.",
    eta="",
    actions_taken="We rolled back a configuration change.",
    next_steps="We will monitor payment success rates.",
    next_update_at=datetime(2026, 11, 23, 10, 50, tzinfo=UTC),
    support_route="Contact support@shop.example.",
    resolution="Card payments are working normally again.",
    root_cause="A configuration change rejected EU cards.",
    corrective_actions="We rolled back the change.",
    preventive_measures="Gateway changes now require a staged rollout.",
    feedback_route="Reply to this message.",
)


def test_round_trips_through_json() -> None:
    stored = json.loads(json.dumps(FULL.to_json()))  # what the JSON column gives back
    assert DraftFacts.from_json(stored) == FULL


def test_round_trips_without_next_update() -> None:
    facts = DraftFacts("h", "w", "i", "", "a", "n", None, "s")
    assert facts.to_json()["next_update_at"] is None
    assert DraftFacts.from_json(facts.to_json()) == facts


def test_from_json_tolerates_missing_unknown_and_offset_values() -> None:
    facts = DraftFacts.from_json(
        {"headline": "h", "eta": None, "next_update_at": "2026-11-23T11:50:00+01:00", "later_field": 1}
    )
    assert facts.headline == "h"
    assert facts.eta == "" and facts.root_cause == ""
    assert facts.next_update_at == datetime(2026, 11, 23, 10, 50, tzinfo=UTC)
    assert facts.next_update_at.utcoffset() == timedelta(0)


def test_naive_next_update_is_taken_as_utc() -> None:
    facts = DraftFacts.from_json({"next_update_at": "2026-11-23T10:50:00"})
    assert facts.next_update_at == datetime(2026, 11, 23, 10, 50, tzinfo=UTC)


def test_limits_cover_every_text_field_and_clip() -> None:
    text_fields = set(FULL.to_json()) - {"next_update_at"}
    assert set(FACT_LIMITS) == text_fields
    assert FACT_LIMITS["headline"] == 150
    long = DraftFacts("x" * 500, "y" * 10, "", "", "", "", None, "")
    clipped = long.clipped()
    assert len(clipped.headline) == 150 and clipped.headline.endswith("…")
    assert clipped.what_happened == "y" * 10
