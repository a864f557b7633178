import pytest

from bot.comms.speculation import SUGGEST_CAUSE, SUGGEST_TIMING, find_speculation


def flagged(text: str) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_speculation(text)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We think the database is overloaded.", "We think"),
        ("This is probably related to the deploy.", "probably"),
        ("The errors might be caused by a bad certificate.", "might be caused by"),
        ("It appears to be due to a network change.", "appears to be due to"),
        ("The outage may have been triggered by the upgrade.", "may have been triggered by"),
        ("It looks like the cache is stale.", "It looks like"),
        ("The most likely cause is a full disk.", "most likely"),
        ("Our working theory is a memory leak.", "Our working theory"),
        ("We suspect a faulty switch.", "We suspect"),
    ],
)
def test_flags_hedged_claims_about_the_cause(text: str, phrase: str) -> None:
    assert flagged(text) == [phrase]


def test_flags_a_hedged_eta() -> None:
    assert flagged("It should probably be fixed soon.") == ["probably"]


def test_flags_hopefully_as_a_hedge() -> None:
    assert flagged("It should hopefully be back within the hour.") == ["hopefully"]


@pytest.mark.parametrize(
    "text",
    [
        "The cause was a misconfigured load balancer, which we have rolled back.",
        "We will publish a root-cause analysis by 28 November.",
        "We expect full recovery within 30 minutes.",
        "Searches should be complete again by 19:00 UTC.",
        "Customers may see errors when loading the dashboard.",
        "Some messages might take a few minutes to appear.",
        "We're not sure yet what caused this, so we won't guess.",
        "The root cause has not yet been confirmed.",
        "We could not reproduce the issue in staging.",
        "Since the release on May 14, exports fail.",
        "We will retry as soon as possible.",
        "We think carefully about every change.",
    ],
)
def test_does_not_flag_look_alikes(text: str) -> None:
    assert flagged(text) == []


def test_reports_overlapping_cues_once_with_the_longest_span() -> None:
    assert flagged("It seems to be related to DNS.") == ["seems to be related to"]


def test_suggests_a_cause_rewording_when_the_hedge_is_about_the_cause() -> None:
    assert find_speculation("This is probably caused by the upgrade.")[0].suggestion == SUGGEST_CAUSE


def test_suggests_a_committed_estimate_when_the_hedge_is_about_timing() -> None:
    assert find_speculation("It should probably be fixed soon.")[0].suggestion == SUGGEST_TIMING


def test_flags_extra_phrases_from_the_policy_as_whole_words() -> None:
    text = "Our gut feeling is a DNS issue; gut feelings aside."
    assert [text[h.start : h.end] for h in find_speculation(text, ["gut feeling"])] == ["gut feeling"]
