"""Cues for the required pieces of maintenance notices (scheduled, started, completed), per sentence.

- window: when the work happens, with times: a range ("02:00–04:00 UTC", "from 02:00 to 04:00",
  "between 02:00 and 04:00"), a start with a duration ("starting at 02:00 UTC for two hours"), or, once
  completed, when it ran or ended ("completed at 03:40 UTC"). A date alone is not a window.
- affected_services: which services the work touches, or an explicit "no customer-facing services".
- expected_impact: what customers will notice (or noticed) and how: unavailable, read-only, slower,
  a brief interruption, "you will not be able to …", or "no downtime is expected".
"""

import re

from bot.comms.required_cues import DURATION, _rx

_CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
_TIMED = r"\d{1,2}[:.]\d{2}|\d{1,2}\s*(?:am|pm)"
WINDOW = _rx(
    rf"\b(?:{_TIMED})\s*(?:[A-Z]{{2,4}}\s*)?(?:–|-|—|to|until|till)\s*(?:{_CLOCK})\b",
    rf"\b(?:between|from)\s+(?:\w+\s+){{0,4}}?(?:{_TIMED})\b[^.]{{0,40}}?\b(?:and|to|until|till)\s+"
    rf"(?:\w+\s+){{0,4}}?(?:{_TIMED})",
    rf"\b(?:start(?:s|ing)?|begin(?:s|ning)?|from|at)\s+(?:\w+\s+){{0,4}}?(?:{_TIMED})\b[^.]{{0,60}}?"
    rf"(?:\bfor\s+(?:up to\s+|about\s+|"
    rf"around\s+)?{DURATION}|\b(?:last|take)\w*\s+(?:up to\s+|about\s+)?{DURATION})",
    rf"\b(?:completed|finished|ended|done|wrapped up|closed|"
    rf"concluded)\b[^.]{{0,40}}?\b(?:at\s+|by\s+)?(?:{_TIMED})",
    # two times in a sentence: when it started and when it ended
    rf"(?<![\d:.])(?:{_TIMED})\b[^.\n]{{1,60}}?(?<![\d:.])(?:{_TIMED})\b",
    r"\{\{\s*(?:maintenance_)?window(?:_start|_end)?\b[^}]*\}\}",
)

_SERVICE = (
    r"(?:api|apis|dashboard|app|apps|website|site|portal|checkout|payments?|log-?ins?|sign-?ins?|search|"
    r"reports?|reporting|exports?|databases?|webhooks?|notifications?|integrations?|"
    r"admin console|console|billing|invoic\w+|storage|uploads?|downloads?|files?|messaging|messages|chat|"
    r"helpline|telephony|bookings?|orders?|sync|backups?|status page|authentication|sso|analytics|"
    r"scheduler|queues?|postgres\w*|mysql|redis|kafka|video\w*|playback|deliveries|events?|"
    r"(?<![\w-])(?!(?:customer|support|our|the|this|that|a|all|no|other|any|help)\b)[\w-]{1,30} "
    r"(?:services?|platform|"
    r"cluster|servers?|network|systems?|infrastructure))"
)
AFFECTED_SERVICES = _rx(
    r"\b(?:affected|impacted)\s+(?:services?|systems?|components?|products?)\b",
    rf"\b{_SERVICE}\b",
    r"\bno (?:customer[- ]facing |other )?(?:services?|systems?|products?)\s+(?:will be|are|is|were|was)\b",
    r"\ball (?:other )?services\b",
)
EXPECTED_IMPACT = _rx(
    r"\b(?:will|may|might|could|should|would)\s+(?:\w+\s+)?(?:be\s+)?(?:unavailable|read-only|offline|down|"
    r"paused|slower|slow|degraded|interrupted|delayed|queued|disabled|unable|not be able|notice|see|"
    r"experience|"
    r"need to|have to|be logged out|be signed out|lose|fail|time out|reconnect|retry|drop|run)\b",
    r"\b(?:won't|will not|cannot|can't|could not|couldn't|may not|might not)\s+(?:\w+\s+)?",
    r"\bno (?:downtime|impact|interruption|disruption|outage|action|data|events?|e-?mails?|messages?)\b",
    r"\b(?:without|zero)\s+(?:customer[- ]facing\s+)?(?:downtime|impact|interruption|disruption|data loss)\b",
    r"\b(?:brief|short|momentary|intermittent)\s+(?:\w+\s+)?(?:interruptions?|outages?|downtime|"
    r"disconnections?|errors?|delays?|pauses?)\b",
    r"\b(?:is|are|was|were|remains?|remained|stays?|stayed)\s+(?:\w+\s+)?(?:unavailable|read-only|offline|"
    r"down|"
    r"paused|slower|degraded|interrupted|delayed|queued|disabled|logged out|signed out|unaffected|"
    r"not affected|"
    r"affected|lost|late|not possible|interrupted)\b",
    r"\b(?:read-only|maintenance page|not possible|interrupted|unavailable|queued|delayed|late|dropped|"
    r"(?:fail|failed|returned|return) (?:\w+ )?(?:for|with|errors?|\d{3}))\b",
    r"\b(?:did not|didn't|does not|doesn't|do not|don't)\s+(?:\w+\s+)?(?:notice|see|experience|lose|need)\b",
)
_EMAIL = re.compile(r"[\w.%+-]{1,64}@[\w-]+(?:\.[\w-]+)+")  # linear: a local part is at most 64 characters


def window(sentence: str) -> bool:
    return bool(WINDOW.search(sentence))


def affected_services(sentence: str) -> bool:
    return bool(AFFECTED_SERVICES.search(_EMAIL.sub(" ", sentence)))


def expected_impact(sentence: str) -> bool:
    return bool(EXPECTED_IMPACT.search(_EMAIL.sub(" ", sentence)))
