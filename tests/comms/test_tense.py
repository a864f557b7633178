"""The present-tense check of resolution notices and post-incident reviews (issue 21)."""

import pytest

from bot.comms.checks import check_draft
from bot.comms.tense import find_present_tense
from bot.enums import Stage
from bot.policy.check_rules import CheckRules


def flagged(text: str) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_present_tense(text)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("EU customers cannot complete purchases.", "cannot"),
        ("Android users can't upload photos.", "can't"),
        ("Customers using single sign-on are unable to log in.", "are unable to"),
        ("Webhook deliveries are failing with TLS errors.", "are failing"),
        ("The booking widget is down for partner websites.", "is down"),
        ("Customers are experiencing delays on push notifications.", "Customers are experiencing"),
        ("Card payments fail at checkout for EU shoppers.", "fail"),
        ("Search times out for large workspaces.", "times out"),
        ("Reset e-mails do not arrive for Outlook addresses.", "do not arrive"),
        ("The reporting API remains unavailable to large clients.", "remains unavailable"),
    ],
)
def test_flags_present_tense_impact(text: str, phrase: str) -> None:
    assert flagged(text) == [phrase]


def test_flags_an_open_since_on_a_problem() -> None:
    assert flagged("Exports are failing for most workspaces since 02:10 UTC.") == [
        "are failing",
        "since 02:10",
    ]
    assert "since 09:12" in flagged("Card payments fail at checkout since 09:12 UTC.")


@pytest.mark.parametrize(
    "text",
    [
        "Between 09:12 and 10:55 UTC, card payments failed and customers could not complete purchases.",
        "From 14:02 to 14:31 UTC, webhook deliveries were failing with TLS errors.",
        "The booking widget was down between 17:40 and 18:25 CET.",
        "All services are operating normally.",
        "You can now sign in as usual; no action is needed.",
        "We are monitoring delivery times.",
        "Contact support@example.com if you have questions.",
        "If you still cannot log in, contact support.",
        "Everything has been running normally since 05:40 UTC.",
        "Since 06:00 UTC, changes made on mobile were not appearing on the web app.",
        "Payments now fail over automatically when the first processor times out twice.",
        "We run two providers so a single provider's failure cannot take our domains offline.",
        "Post-incident report — mobile app crashes",
        "Producers fail over within seconds after the setting change.",
    ],
)
def test_past_tense_and_what_is_true_after_the_fix_stay_clean(text: str) -> None:
    assert flagged(text) == []


def test_only_resolved_and_post_incident_messages_are_checked() -> None:
    text = "Customers cannot complete purchases since 09:12 UTC."
    for stage in (Stage.RESOLVED, Stage.POST_INCIDENT):
        assert {f.kind for f in check_draft(text, stage).findings} == {"tense"}
    for stage in (Stage.INITIAL, Stage.UPDATE, Stage.MAINTENANCE_STARTED):
        assert check_draft(text, stage).findings == ()


def test_tense_warns_by_default_and_follows_the_policy() -> None:
    text = "Resolved. Customers cannot complete purchases."
    assert [f.severity for f in check_draft(text, Stage.RESOLVED).findings] == ["warn"]
    blocked = check_draft(text, Stage.RESOLVED, rules=CheckRules(tense="block"))
    assert blocked.blocking and [f.rule for f in blocked.findings] == ["tense.cannot"]
    assert check_draft(text, Stage.RESOLVED, rules=CheckRules(tense="off")).findings == ()
