"""Phone numbers through Google's libphonenumber (the ``phonenumbers`` package).

``PhoneNumberMatcher`` with ``Leniency.VALID`` finds numbers valid for one of
``CheckRules.phone_regions`` in national format and any ``+`` number in international format;
dates, times, ranges, versions and order numbers are not valid numbers. A strict North American
pattern (``555-867-5309``) and a ``+`` pattern are kept for the fictional numbers (555, Ofcom's
drama ranges) libphonenumber rejects. Our own lines ("call our support line on ...") are not personal data.
"""

import re
from collections.abc import Sequence

import phonenumbers

from bot.comms.vocabulary import Vocabulary, cached_pattern

_FALLBACKS = (
    re.compile(r"(?<![\w#+-])(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-]|\.\d)"),
    re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\w-]|\.\d)"),
)
_OWN_LINE = (  # "call our support line on …", "contact the practice support line on …"
    r"(?i:\b(?:our|us)\b[^.!?\n]{0,40}?\b(?:<<own_line_words>>)\b[^.!?\n]{0,30}$"
    r"|\bthe\b[^.!?\n]{0,30}?\b(?:support|help|service|care)\b[^.!?\n]{0,12}?\b(?:line|desk|number|hotline)\b"
    r"[^.!?\n]{0,20}$"
    r"|\b(?:call|ring|phone|contact|reach)\s+us\s+(?:on|at|via)\s*$"
    r"|\b(?:support|helpline|hotline|service desk|customer service)\b[^.!?\n]{0,30}?\b(?:available|open|"
    r"reachable)"
    r"[^.!?\n]{0,12}?\b(?:on|at|via)\s*$)"
)
_REFERENCE = (
    r"(?i:\b(?:order|ticket|case|ref|reference|invoice|tracking|id|transaction|booking|confirmation|batch)s?"
    r"\s*(?:#|no\.?|number|id)?\s*:?\s*$)"
)


def find_phone_numbers(text: str, regions: Sequence[str], vocabulary: Vocabulary) -> list[tuple[int, int]]:
    """Spans of phone numbers that are not our own lines or references."""
    spans: set[tuple[int, int]] = set()
    for region in regions or ("US",):
        matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
        spans.update((m.start, m.end) for m in matcher)
    for fallback in _FALLBACKS:
        spans.update(m.span() for m in fallback.finditer(text) if 8 <= sum(c.isdigit() for c in m[0]) <= 15)
    own_line = cached_pattern(_OWN_LINE, own_line_words=vocabulary["own_line_words"])
    reference = re.compile(_REFERENCE)
    kept = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        before = text[max(0, start - 80) : start]
        if (kept and kept[-1][1] > start) or (
            start and (text[start - 1].isalnum() or text[start - 1] in "-_/#")
        ):
            continue
        if own_line.search(before) or reference.search(before):
            continue
        kept.append((start, end))
    return kept
