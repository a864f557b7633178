"""Blame that understands responsibility, people's names and phone numbers (issue 20)."""

import pytest

from bot.comms.blame import find_blame
from bot.comms.personal_data import find_personal_data
from bot.policy.check_rules import CheckRules


def blamed(text: str) -> list[str]:
    return [text[h.start : h.end] for h in find_blame(text)]


def personal(text: str, **rules: object) -> list[str]:
    return [text[h.start : h.end] for h in find_personal_data(text, CheckRules(**rules))]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "The platform team deployed a change without following our change process.",
            "The platform team deployed a change without following",
        ),
        ("Our operations team forgot to renew the certificate.", "Our operations team forgot"),
        ("One of our engineers, Tomasz Nowak, made a mistake.", "Tomasz Nowak, made a mistake"),
        (
            "Relaynet, our media relay provider, is to blame.",
            "Relaynet, our media relay provider, is to blame",
        ),
        (
            "The billing team's code review let the change through.",
            "The billing team's code review let the change through",
        ),
        ("Textwave is responsible for the outage.", "Textwave is responsible for the outage"),
        ("Alex Chen merged without review on Friday.", "Alex Chen merged without review"),
        (
            "our engineer Dana disabled the scheduler by mistake.",
            "our engineer Dana disabled the scheduler by mistake",
        ),
    ],
)
def test_a_party_named_as_responsible_is_blame(text: str, phrase: str) -> None:
    assert any(phrase in hit or hit in phrase for hit in blamed(text)), blamed(text)


@pytest.mark.parametrize(
    "text",
    [
        "We have contacted our cloud provider and are working with them.",
        "Stores hosted on Azure are not affected.",
        "The payments team is still investigating the declined refunds.",
        "We made a mistake in a configuration change and have reverted it.",
        "The platform team restored the build runners at 15:20 UTC.",
        "Delays were caused by a Kafka consumer lag.",
    ],
)
def test_neutral_mentions_and_owning_it_are_not_blame(text: str) -> None:
    assert blamed(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our incident commander, Rachel Kim, led the response.", "Rachel Kim"),
        ("Thank you to Ms Patel for the report.", "Patel"),
        ("Questions go to Kwame Osei, our incident manager.", "Kwame Osei"),
        ("Sarah from the infrastructure team found it.", "Sarah"),
        ("Reports are late.\n\nThanks,\nHelen Carter", "Helen Carter"),
        ("Reports are late.\n\n-- Nina (on-call)", "Nina"),
        ("Customer John Park called us.", "John Park"),
    ],
)
def test_names_next_to_a_role_an_honorific_or_in_a_sign_off_are_personal_data(text: str, name: str) -> None:
    assert personal(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Reports are late.\n\nThanks,\nThe Calsync Support Team",
        "Thanks for your patience,\nAdminly Status",
        "Our support team is here to help.",
        "The first report came from customer Globex.",
        "John pushed a config at 16:02.",
    ],
)
def test_teams_companies_and_bare_names_are_not_personal_data(text: str) -> None:
    assert personal(text) == []


def test_allowed_person_names_may_sign_or_be_named() -> None:
    text = "Payments are failing.\n\n— Jordan Blake, Head of Support"
    assert personal(text) == ["Jordan Blake"]
    assert personal(text, allowed_person_names=["Jordan Blake"]) == []


@pytest.mark.parametrize(
    "number", ["(212) 555-0147", "07700 900123", "+49 170 1234567", "030 12345678", "415.555.0123"]
)
def test_phone_numbers_in_the_policy_regions(number: str) -> None:
    assert personal(f"A customer gave us {number} for a call back.") == [number]


def test_national_formats_follow_phone_regions_and_international_ones_always_count() -> None:
    assert personal("Call back on 030 12345678.", phone_regions=["US"]) == []
    assert personal("Call back on +49 30 12345678.", phone_regions=["US"]) == ["+49 30 12345678"]


@pytest.mark.parametrize(
    "text",
    [
        "Orders 2024-551-8821 and 2024-551-8822 were charged twice.",
        "Between 10:05-10:45 UTC about 1,200-1,500 requests failed.",
        "Call our customer service line on 0345 600 1234.",
        "Reference for your records: INC-2024-0318-11.",
    ],
)
def test_references_times_and_our_own_lines_are_not_phone_numbers(text: str) -> None:
    assert personal(text) == []
