"""Blame: a vendor or a person named as being at fault.

Only *named* parties count: "caused by AWS", "an outage at Cloudflare", "due to an error by our
vendor Acme Cloud", "Stripe's outage", "John pushed a bad config". Unnamed causes ("a configuration
change", "our cloud provider", "an engineer") and named parties that are not at fault ("We have
contacted Twilio support", "customers hosted on Azure") are fine. Names are capitalised words;
days, months, holidays and common technical terms are not names, and ``CheckRules.allowed_names``
adds more (e.g. your own product).
"""

import re
from collections.abc import Sequence

from bot.comms.findings import Hit, drop_overlapping

# bounded (a word of at most 41 characters and 4 hyphenated parts), so each start scans a few words:
# unbounded, every capital in "A-A-A-…" or "A&A&…" scanned to the end of the chain (quadratic)
_WORD = r"[A-Z][A-Za-z0-9&]{0,40}(?:-[A-Za-z0-9]{1,40}){0,4}"
_NAME = rf"(?<![\w@])(?P<name>{_WORD}(?:[ ]{_WORD}){{0,3}})"
_ROLE = (
    r"(?:vendor|provider|supplier|partner|contractor|carrier|host|processor|acquirer|bank|engineer|"
    r"colleague|employee|developer|administrator|admin)s?"
)
_PREFIX = rf"(?:(?i:our|their|the|an?)\s+(?:[\w-]+\s+){{0,3}}?(?i:{_ROLE}),?\s+)?"
_FAULT_NOUN = (
    r"outage|error|mistake|failure|fault|bug|incident|misconfiguration|problem|issue|disruption|"
    r"downtime|change|deploy(?:ment)?|config(?:uration)?|update"
)
_FOLLOWERS = r"and|who|which|that|when|during|in|on|at|after|before|while|with|for|to|as|has|had|was"
_AFTER_NAME = (
    rf"(?=\s*(?:$|[.,;:!?)\u2013\u2014]|['’]s\b|\s(?i:{_FOLLOWERS})\b|\s(?i:(?:{_FAULT_NOUN})s?)\b))"
)
_TEAM = r"(?:,?\s+(?i:from|on|in|of)\s+(?i:the|our)\s+(?:[\w-]+\s+){0,2}?(?i:team)\b,?)?"
_ADVERB = r"(?i:accidentally|mistakenly|inadvertently|incorrectly|wrongly|erroneously|unintentionally)"
_ADJECTIVE = r"(?i:bad|faulty|broken|wrong|incorrect|untested|buggy|erroneous|invalid|bogus|unreviewed)"
_ACTION = r"(?i:pushed|deployed|merged|shipped|applied|ran|committed|released|made|introduced|rolled out)"
_FAULT_VERB = (
    r"(?i:broke|forgot|misconfigured|messed up|failed to|caused|overlooked|deleted|wiped|"
    r"made (?:a|an) (?:mistake|error))"
)
_CHANGE = (
    r"(?i:change|commit|deploy(?:ment)?|script|config(?:uration)?|update|release|migration|pull request|PR)"
)
_BLAME_WORDS = (
    r"(?i:to blame|at fault|responsible for (?:the|this) (?:outage|incident|issue|problem|failure))"
)

VENDOR_OR_PERSON = (
    "Describe what failed, not who is at fault, e.g. “an issue with a third-party provider” "
    "or “a configuration change”."
)
PERSON = "Describe what changed, not who did it, e.g. “a configuration change was deployed”."

_VENDOR_FRAMES = (
    r"(?i:\b(?:caused|triggered|introduced|made|pushed|deployed|initiated|started|done) by)\s+",
    r"(?i:\b(?:due to|because of|owing to|blamed? on))\s+",
    rf"(?i:\b(?:{_FAULT_NOUN})s?\s+(?:by|at|of|from|with))\s+",
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    *((re.compile(f"{frame}{_PREFIX}{_NAME}{_AFTER_NAME}"), VENDOR_OR_PERSON) for frame in _VENDOR_FRAMES),
    (re.compile(rf"{_NAME}['’]s\s+(?:[\w-]+\s+)?(?i:{_FAULT_NOUN}|faulty|bad|broken)s?\b"), VENDOR_OR_PERSON),
    (re.compile(rf"{_NAME}\s+(?i:is|was|are|were)\s+{_BLAME_WORDS}"), VENDOR_OR_PERSON),
    (re.compile(rf"(?i:\bfault (?:of|lies with))\s+{_PREFIX}{_NAME}"), VENDOR_OR_PERSON),
    (re.compile(rf"{_NAME}{_TEAM}\s+{_ADVERB}\s+\w+"), PERSON),
    (
        re.compile(
            rf"{_NAME}{_TEAM}\s+{_ACTION}\s+(?i:an?|the|some)\s+(?:[\w-]+\s+)?{_ADJECTIVE}(?:\s+[\w-]+)?"
        ),
        PERSON,
    ),
    (re.compile(rf"{_NAME}{_TEAM}\s+{_FAULT_VERB}\b"), PERSON),
    (
        re.compile(
            rf"{_NAME}['’]s\s+(?:[\w-]+\s+){{0,2}}?{_CHANGE}\s+(?:[\w-]+\s+){{0,2}}?"
            r"(?i:caused|broke|triggered|took down|introduced)\b"
        ),
        PERSON,
    ),
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NOT_NAMES = _word_set(
    """a all an and any as at both each either every few he her his i it its many most my neither no
    none one our several she some that the their these they this those we you your
    there here today yesterday tonight tomorrow earlier later now then update resolved incident issue
    summary fix impact status customers customer users user engineers engineer someone somebody
    nobody everyone everybody team
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december christmas easter thanksgiving
    api dns tls ssl cdn sso saml http https cpu ram sql utc gmt cet pst est vpn bgp ip tcp udp sms os jvm
    gc oom db ci cd ui sdk cli url json xml pdf csv ddos ntp oauth io disk
    kubernetes redis postgres postgresql mysql kafka elasticsearch linux java python node"""
)
_NOT_NAME_PHRASES = frozenset({"black friday", "cyber monday", "new year", "boxing day"})


def find_blame(text: str, allowed_names: Sequence[str] = ()) -> list[Hit]:
    """Spans naming a vendor or person as at fault."""
    allowed = {name.lower() for name in allowed_names}
    hits = []
    for pattern, suggestion in _PATTERNS:
        for m in pattern.finditer(text):
            if _is_name(m.group("name"), allowed):
                hits.append(Hit("blame", m.start(), m.end(), suggestion))
    return drop_overlapping(hits)


def _is_name(candidate: str, allowed: set[str]) -> bool:
    lowered = candidate.lower()
    if lowered in allowed or any(lowered.startswith(phrase) for phrase in _NOT_NAME_PHRASES):
        return False
    first = lowered.split()[0]
    return first not in _NOT_NAMES and first not in allowed
