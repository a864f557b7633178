import pytest

from bot.comms.blame import PERSON, find_blame
from bot.policy.check_rules import CheckRules


def flagged(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_blame(text, CheckRules(allowed_names=list(allowed)))]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "The outage was due to an error by our vendor Acme Cloud.",
            "due to an error by our vendor Acme Cloud",
        ),
        ("The failures were caused by AWS.", "caused by AWS"),
        ("Delays were caused by Postmark, our email provider.", "caused by Postmark"),
        ("Previews failed because of an outage at AWS in us-east-1.", "outage at AWS"),
        ("Stripe's outage is the reason renewals failed.", "Stripe's outage"),
        (
            "It was a faulty change made by our DNS provider, NS1, to their network.",
            "made by our DNS provider, NS1",
        ),
    ],
)
def test_flags_a_named_vendor_at_fault(text: str, phrase: str) -> None:
    assert flagged(text) == [phrase]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("John pushed a bad config to the gateway.", "John pushed a bad config"),
        (
            "Sarah from the infrastructure team accidentally deleted the bucket.",
            "Sarah from the infrastructure team accidentally deleted",
        ),
        ("Marco forgot to renew the certificate.", "Marco forgot"),
    ],
)
def test_flags_a_named_person_at_fault(text: str, phrase: str) -> None:
    assert flagged(text) == [phrase]


def test_suggests_describing_the_change_for_a_person() -> None:
    assert find_blame("John pushed a bad config.")[0].suggestion == PERSON


@pytest.mark.parametrize(
    "text",
    [
        "The outage was caused by a configuration change.",
        "An engineer pushed a bad config.",
        "The slowdown was caused by Black Friday traffic.",
        "We have contacted Twilio support about the delays.",
        "Customers whose runners are hosted on Azure are not affected.",
        "The outage on Monday was caused by a DNS misconfiguration.",
        "Thanks to Priya for spotting it.",
        "Customer John Park called us to report it.",
        "Errors were due to high demand on our authentication service.",
    ],
)
def test_does_not_flag_unnamed_causes_or_names_not_at_fault(text: str) -> None:
    assert flagged(text) == []


def test_does_not_flag_names_the_policy_allows() -> None:
    assert flagged("Search failed because of a bug in Searchly.", ("Searchly",)) == []
