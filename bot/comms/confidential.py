"""Confidential names: a named account from the incident's audience in a message for others.

Matching is case-insensitive and on whole words, tolerant of punctuation and spacing variants
("Acme Corp" / "Acme Corp." / "Acme, Corp") and of possessives ("Acme's"). A trailing legal suffix
(Inc, Corp, Ltd ...) is optional, so "Globex" matches the account "Globex Corporation".
Accounts the message is for (``may_name``) are never flagged.
"""

import re
from collections.abc import Sequence

from bot.comms.findings import Hit

_LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "pty",
        "oy",
        "ab",
        "srl",
        "spa",
        "kk",
    }
)
_WORD = re.compile(r"[^\W_]+(?:['’&][^\W_]+)*")
_SEPARATOR = r"[\s.,&\-]+"

SUGGESTION = "Remove the confidential account name; this message goes to other customers."


def name_key(name: str) -> tuple[str, ...]:
    """Normalised core words of an account name (legal suffix dropped), for comparisons."""
    words = [w.lower() for w in _WORD.findall(name)]
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return tuple(words)


def account_pattern(name: str) -> re.Pattern[str] | None:
    """Regex matching ``name`` as whole words, with optional legal suffix, excluding a possessive."""
    core = name_key(name)
    if not core:
        return None
    body = _SEPARATOR.join(re.escape(word) for word in core)
    suffix = "|".join(sorted(_LEGAL_SUFFIXES, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?:{_SEPARATOR}(?:{suffix})\b)?(?![\w])", re.IGNORECASE)


def find_named_accounts(text: str, named_accounts: Sequence[str], may_name: Sequence[str] = ()) -> list[Hit]:
    """Occurrences of confidential account names this message is not for."""
    allowed = {name_key(name) for name in may_name}
    hits = []
    for name in named_accounts:
        pattern = account_pattern(name)
        if pattern is None or name_key(name) in allowed:
            continue
        hits.extend(Hit("named_account", m.start(), m.end(), SUGGESTION) for m in pattern.finditer(text))
    return sorted(set(hits))
