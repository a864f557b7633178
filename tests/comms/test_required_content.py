import pytest

from bot.comms.required_content import HUMAN_LABELS, REQUIRED_KEYS, detect_required, heading_keys
from bot.enums import Stage


def present(text: str, key: str, stage: Stage = Stage.UPDATE) -> bool:
    return detect_required(text, stage)[key]


def test_every_stage_has_its_required_keys_and_labels() -> None:
    assert set(REQUIRED_KEYS) == set(Stage)
    assert REQUIRED_KEYS[Stage.RESOLVED] == (
        "what_happened", "impact", "actions_taken", "support_route", "resolution_confirmed",
    )  # fmt: skip
    assert all(key in HUMAN_LABELS for keys in REQUIRED_KEYS.values() for key in keys)


def test_returns_only_the_keys_of_the_stage() -> None:
    assert set(detect_required("", Stage.POST_INCIDENT)) == set(REQUIRED_KEYS[Stage.POST_INCIDENT])


def test_reports_everything_missing_for_an_empty_draft() -> None:
    assert not any(detect_required("", Stage.INITIAL).values())


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        ("what_happened", "We're investigating elevated error rates on the API."),
        ("impact", "Customers in the EU cannot complete checkout."),
        ("eta", "We expect full recovery by 15:00 UTC."),
        ("eta", "We don't have an estimate yet."),
        ("eta", "There is no ETA at this stage."),
        ("actions_taken", "We have rolled back the deployment."),
        ("actions_taken", "Our engineers are investigating."),
        ("next_steps", "Once the fix is tested we will roll it out to all regions."),
        ("support_route", "Contact support@example.com if you need help."),
        ("support_route", "Reach our support team at any time."),
        ("support_route", "Follow along on our status page."),
        ("support_route", "Please open a ticket from your dashboard."),
        ("next_update_time", "We will share another update by 14:30 UTC."),
        ("next_update_time", "Next update in 30 minutes."),
    ],
)
def test_finds_required_content_written_as_prose(key: str, sentence: str) -> None:
    assert present(sentence, key)


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        ("next_update_time", "We will post an update when we know more."),
        ("next_steps", "We will share an update at 14:00 UTC."),
        ("eta", "The fix should be ready soon."),
        ("eta", "Requests took 40 minutes to complete during the outage."),
        ("support_route", "We have opened a case with our vendor."),
        ("impact", "A faulty deployment to our routing layer has been rolled back."),
        ("what_happened", "We've rolled back the change and are monitoring."),
    ],
)
def test_does_not_take_look_alikes_for_required_content(key: str, sentence: str) -> None:
    assert not present(sentence, key)


def test_does_not_count_a_help_offer_as_the_impact() -> None:
    assert not present("If you still see errors, please contact support.", "impact")


def test_confirms_resolution_only_when_unhedged() -> None:
    assert present("The issue has been resolved.", "resolution_confirmed", Stage.RESOLVED)
    assert not present("It appears the issue is resolved.", "resolution_confirmed", Stage.RESOLVED)


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        ("root_cause", "This happened because a worker pool ran out of connections."),
        ("corrective_actions", "We restored the index from a snapshot."),
        ("preventive_measures", "To prevent a repeat, renewals are now automated."),
        ("feedback_route", "Send any feedback about this report to your account manager."),
    ],
)
def test_finds_post_incident_content_in_prose(key: str, sentence: str) -> None:
    assert present(sentence, key, Stage.POST_INCIDENT)


def test_counts_headings_with_content_on_the_same_line() -> None:
    assert heading_keys("*Impact:* Customers see errors\n*Next update:* 14:00 UTC") == {
        "impact",
        "expected_impact",  # the same heading in a maintenance notice
        "next_update_time",
    }


def test_counts_headings_with_content_on_the_following_lines() -> None:
    assert heading_keys("**Root cause**\nA consumer was misconfigured.") >= {"root_cause"}


def test_ignores_headings_left_empty() -> None:
    assert heading_keys("Impact:\n\nNext update: TBD") == set()


def test_counts_an_explicit_unknown_eta_heading() -> None:
    assert heading_keys("ETA: TBD") == {"eta"}


def test_counts_template_placeholders_as_content() -> None:
    assert heading_keys("*Impact:* {{ impact }}") == {"impact", "expected_impact"}
