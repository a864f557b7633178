"""Personal data: e-mail addresses, phone numbers, IP addresses, card numbers, user mentions and
people's names (``person_names``; phone numbers through ``phones``, i.e. libphonenumber).

Decisions (documented for approvers):

- Role or team mailboxes (``support@``, ``help@``, ``noreply@`` ...; the rule file's ``role_mailboxes``)
  and addresses on ``CheckRules.our_domains`` are not personal data: they are how customers reach us.
- A phone number introduced as our own line ("call our support line on ...") is not personal data.
- Dotted numbers introduced as versions ("v10.2.3.4", "version 1.9.4.2") are not IP addresses.
- Long numbers are card numbers only when Luhn-valid and not introduced as an order, ticket or
  reference number.
"""

import ipaddress
import re

from bot.comms.findings import Hit
from bot.comms.mentions import BROADCAST_WORDS
from bot.comms.person_names import find_person_names
from bot.comms.phones import find_phone_numbers
from bot.comms.vocabulary import vocabulary_for
from bot.policy.check_rules import CheckRules

_USER_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]{1,80}</at>")
_PLAIN_USER = re.compile(r"(?<![\w@.<|^])@([A-Za-z][\w.-]*\w|[A-Za-z])")
_EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")
_CARD = re.compile(r"(?<![\w+.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)")
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_VERSION_BEFORE = re.compile(
    r"(?:\bv|\bversion|\brelease|\bbuild|\bsdk|\bfirmware|\bver\.?|"
    r"\b(?:roll(?:ed|ing)? back|upgrade|downgrade|update|revert(?:ed|ing)?|pinned|install)\s+to)\s*$",
    re.IGNORECASE,
)
_REFERENCE_BEFORE = re.compile(
    r"\b(?:order|ticket|case|ref|reference|invoice|tracking|id|transaction|booking|confirmation)s?"
    r"\s*(?:#|no\.?|number|id)?\s*:?\s*$",
    re.IGNORECASE,
)
SUGGESTIONS = {
    "user": "Remove the user mention (one-click redaction: “[redacted user]”).",
    "email": "Remove this personal e-mail address (one-click redaction: “[redacted]”).",
    "phone": "Remove this phone number (one-click redaction: “[redacted]”).",
    "ip": "Remove this IP address (one-click redaction: “[redacted]”).",
    "card": "Remove this card number (one-click redaction: “[redacted]”).",
}


def find_personal_data(text: str, rules: CheckRules) -> list[Hit]:
    """All personal-data spans; where candidates overlap the first type found wins."""
    vocabulary = vocabulary_for(rules)
    candidates = [
        *(("user", span) for span in _user_mentions(text)),
        *(("email", span) for span in _emails(text, rules)),
        *(("card", span) for span in _cards(text)),
        *(("phone", span) for span in find_phone_numbers(text, rules.phone_regions, vocabulary)),
        *(("ip", span) for span in _ip_addresses(text)),
    ]
    hits: list[Hit] = []
    for label, (start, end) in candidates:
        if not any(h.start < end and start < h.end for h in hits):
            hits.append(Hit("pii", start, end, SUGGESTIONS[label], f"pii.{label}"))
    for hit in find_person_names(text, vocabulary, rules.allowed_person_names):
        if not any(h.start < hit.end and hit.start < h.end for h in hits):
            hits.append(hit)
    return sorted(hits)


def is_user_mention(match: str) -> bool:
    return match.startswith(("<@", "<at>", "@"))


def _user_mentions(text: str) -> list[tuple[int, int]]:
    # every mention ends with `>`: searching only up to the last one keeps `[^>]*` linear
    spans = [m.span() for m in _USER_MENTION.finditer(text, 0, text.rfind(">") + 1)]
    for m in _PLAIN_USER.finditer(text):
        if m.group(1).lower() not in BROADCAST_WORDS:
            spans.append(m.span())
    return spans


def _emails(text: str, rules: CheckRules) -> list[tuple[int, int]]:
    return [m.span() for m in _EMAIL.finditer(text) if not is_non_personal_email(m.group(0), rules)]


def is_non_personal_email(address: str, rules: CheckRules) -> bool:
    """Role/team mailbox or one of our own domains."""
    local, _, domain = address.lower().rpartition("@")
    if any(domain == ours or domain.endswith("." + ours) for ours in rules.our_domains):
        return True
    mailboxes = vocabulary_for(rules)["role_mailboxes"]
    parts = re.split(r"[._+-]", local)
    return local in mailboxes or any(part in mailboxes for part in parts)


def _cards(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if (
            13 <= len(digits) <= 19
            and luhn_valid(digits)
            and not _REFERENCE_BEFORE.search(text, 0, m.start())
        ):
            spans.append(m.span())
    return spans


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _ip_addresses(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (_IPV4, _IPV6):
        for m in pattern.finditer(text):
            if (
                _valid_ip(m.group(0))
                and not _VERSION_BEFORE.search(text[max(0, m.start() - 24) : m.start()])
                and not re.match(
                    r"/\d{1,3}\b", text[m.end() : m.end() + 4]
                )  # a network range (CIDR), no host
            ):
                spans.append(m.span())
    return spans


def _valid_ip(candidate: str) -> bool:
    """A parseable address that can identify a host (loopback and unspecified cannot)."""
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_unspecified)
