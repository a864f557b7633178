import pytest

from bot.comms.personal_data import find_personal_data, luhn_valid
from bot.policy.check_rules import CheckRules


def flagged(text: str, rules: CheckRules | None = None) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_personal_data(text, rules or CheckRules())]


def test_flags_a_personal_email_address() -> None:
    assert flagged("Reported by laura.becker@gmx.example today.") == ["laura.becker@gmx.example"]


@pytest.mark.parametrize(
    "address",
    ["support@acme.example", "help@acme.example", "noreply@acme.example", "payments-support@acme.example"],
)
def test_does_not_flag_role_mailboxes(address: str) -> None:
    assert flagged(f"Contact {address} for help.") == []


def test_does_not_flag_addresses_on_our_domains_or_their_subdomains() -> None:
    rules = CheckRules(our_domains=["ourco.example"])
    assert flagged("Write to maria@ourco.example or ops.lead@eu.ourco.example.", rules) == []


@pytest.mark.parametrize("number", ["+49 151 23456789", "(415) 555-0132", "555-867-5309", "020 7946 0958"])
def test_flags_phone_numbers(number: str) -> None:
    assert flagged(f"The customer can be reached on {number} today.") == [number]


def test_does_not_flag_our_own_support_line() -> None:
    assert flagged("Call our support line on +1 800 555 0199.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Errors between 14:30-15:10 UTC on 2024-05-21.",
        "Reference PB-2024-1105-0007 and ticket 2024-0612-5567.",
        "Around 1,250,000 requests and 300-400 calls per minute.",
        "Order #100234567 and order 5555-2021-0042 were duplicated.",
    ],
)
def test_does_not_flag_times_dates_and_reference_numbers_as_phones(text: str) -> None:
    assert flagged(text) == []


def test_flags_ipv4_and_ipv6_addresses() -> None:
    text = "Traffic from 203.0.113.45 and 2001:db8:85a3::8a2e:370:7334 was blocked."
    assert flagged(text) == ["203.0.113.45", "2001:db8:85a3::8a2e:370:7334"]


@pytest.mark.parametrize(
    "text",
    ["Use SDK v10.2.3.4 or later.", "Clients on version 1.9.4.2 see errors.", "Roll back to 3.18.0.2."],
)
def test_does_not_flag_version_strings_as_ip_addresses(text: str) -> None:
    assert flagged(text) == []


def test_does_not_flag_clock_times_as_ipv6() -> None:
    assert flagged("Between 12:30:45 and 12:58:10 UTC.") == []


def test_flags_luhn_valid_card_numbers() -> None:
    assert flagged("The card 4242 4242 4242 4242 was declined.") == ["4242 4242 4242 4242"]


def test_does_not_flag_luhn_invalid_long_numbers() -> None:
    assert flagged("The card 4242 4242 4242 4241 was declined.") == []


def test_does_not_flag_a_luhn_valid_number_introduced_as_an_order_number() -> None:
    assert luhn_valid("4539148803436467")
    assert flagged("Order 4539 1488 0343 6467 failed.") == []


@pytest.mark.parametrize(
    "mention", ["<@U04TZ8K2L>", "<@U02ABCD1234|jane>", "<at>Jordan Lee</at>", "@jane.doe"]
)
def test_flags_user_mentions_as_personal_data(mention: str) -> None:
    assert flagged(f"Thanks {mention} for reporting it.") == [mention]


def test_does_not_flag_broadcast_mentions_as_personal_data() -> None:
    assert flagged("@here @channel <!everyone> <!subteam^S01|@oncall>") == []
