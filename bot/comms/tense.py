"""Tense after resolution: present-tense impact in resolution notices and post-incident reviews.

The message announcing the fix, and the review days later, should tell the impact in the past tense
with its window ("Between 09:12 and 10:55 UTC, customers could not complete checkout"). Flagged:
present-tense impact ("customers cannot complete purchases", "card payments are failing", "the API is
down", "are unable to", "are experiencing errors", "payments fail at checkout") and an open "since
09:12" on a problem with no end ("until", "between … and …", "from … to …").

Present tense that is right after a fix stays clean: "all services are operating normally", "you can
now sign in", "no action is needed", "we are monitoring", "contact support", a condition ("if you still
cannot sign in, contact support") and what we do now ("payments now fail over automatically").
"""

import re

from bot.comms.findings import Hit, drop_overlapping
from bot.comms.required_cues import PROBLEM
from bot.comms.text_spans import split_sentences

SUGGESTION = (
    "After the fix, tell the impact in the past tense with its window, e.g. "
    "“Between 09:12 and 10:55 UTC, customers could not complete checkout.”"
)
_CUSTOMERS = (
    r"(?:customers?|users?|merchants?|shoppers?|patients?|clinicians?|subscribers?|clients?|you|members?|"
    r"admins?|people|everyone|some|many|most|all|they|partners?|teams?|accounts?|integrations?)"
)
_SYMPTOM = (
    r"(?:failing|down|unavailable|degraded|broken|offline|erroring|timing out|stuck|delayed|"
    r"not (?:working|loading|arriving|available|receiving|being \w+ed|reachable|syncing|responding|sent)|"
    r"unreachable|inaccessible|slow|returning (?:errors?|\d{3}s?)|being (?:declined|rejected|dropped|"
    r"charged twice))"
)
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "tense.cannot",
        re.compile(r"\b(?:cannot|can't|can ?not|(?:is|are|am) (?:still )?(?:unable|not able) to)\b", re.I),
    ),
    (
        "tense.is_failing",
        re.compile(
            rf"\b(?:is|are|remains?|continues? to be|keeps? being) (?:still |currently |now )?{_SYMPTOM}\b",
            re.I,
        ),
    ),
    (
        "tense.experiencing",
        re.compile(
            rf"\b{_CUSTOMERS} (?:are|is) (?:still |currently )?(?:experiencing|seeing|getting|receiving)\b"
            r"|\b(?:are|is) (?:still |currently )?(?:experiencing|seeing|getting|receiving|hitting)\b"
            r"(?=[^.]{0,40}\b(?:errors?|delays?|timeouts?|failures?|\d{3}|issues?|problems?|outages?|"
            r"slow\w*)\b)",
            re.I,
        ),
    ),
    (
        "tense.present_simple",
        re.compile(
            r"\b(?:fails?(?! over\b)|times? out|do not load|does not load|don't load|doesn't load|"
            r"do not arrive|does not arrive|don't arrive|doesn't arrive|(?:still|continue to|continues to|"
            r"keep|"
            r"keeps) (?:fail|failing|time out|timing out|crash|crashing))\b",
            re.I,
        ),
    ),
    (
        "tense.since_open",
        re.compile(r"\bsince\s+(?:about\s+|around\s+|approximately\s+)?\d{1,2}[:.]\d{2}\b", re.I),
    ),
)
_LOOK_BACK = 160  # characters before a match that a condition or a negation is looked for in
_CONDITION = re.compile(
    r"\b(?:if|should you|in case|whenever|unless|when|once|until|whether|so that|if ever)\b", re.I
)
_NOW_BY_DESIGN = re.compile(  # what the fix or the new safeguard does now
    r"\b(?:now|automatically|no longer|never|will|would|could|might|may|to prevent|so that)\b", re.I
)
_SAFEGUARD = re.compile(
    r"\b(?:now|will|going forward|added|adding|introduced|changed|set|made|built|moved|configured|run)\b",
    re.I,
)
_PRESENT = re.compile(
    r"\b(?:is|are|am|has been|have been|remains?|cannot|can't|fails?|continues?|keeps?|isn't|aren't|"
    r"(?:do|does) not|don't|doesn't)\b",
    re.I,
)
_CLOSED = re.compile(
    r"\b(?:until|till|between\b[^.]{0,60}\band|from\b[^.]{0,40}\b(?:to|until)\b|ended|resolved|recovered|"
    r"restored|fixed|normal(?:ly)?|stable|healthy)\b|\d{1,2}[:.]\d{2}\s*(?:–|-|—|to)\s*\d{1,2}[:.]\d{2}",
    re.I,
)


def find_present_tense(text: str) -> list[Hit]:
    """Present-tense impact, sentence by sentence (call for resolved and post-incident stages only)."""
    hits: list[Hit] = []
    for sentence in split_sentences(text):
        open_since = _open_since(sentence.text)
        for rule, pattern in _RULES:
            for m in pattern.finditer(sentence.text):
                if open_since if rule == "tense.since_open" else _fires(sentence.text, m, rule):
                    start = sentence.start + m.start()
                    hits.append(Hit("tense", start, sentence.start + m.end(), SUGGESTION, rule))
    return drop_overlapping(hits)


def _open_since(sentence: str) -> bool:
    """ "since 09:12" counts on a problem told in the present with no end ("until", "between … and …")."""
    if not _RULES[-1][1].search(sentence):
        return False
    return bool(_PRESENT.search(sentence) and PROBLEM.search(sentence)) and not _CLOSED.search(sentence)


def _fires(sentence: str, m: re.Match[str], rule: str) -> bool:
    before = sentence[max(0, m.start() - _LOOK_BACK) : m.start()]  # bounded: linear in long sentences
    if _CONDITION.search(before):
        return False  # "if you still cannot sign in, contact support"
    if re.search(r"\bso\b", before, re.I) and _SAFEGUARD.search(before):
        return False  # "we will run two providers so one failure cannot take us offline"
    if rule == "tense.present_simple" and _NOW_BY_DESIGN.search(
        sentence, max(0, m.start() - _LOOK_BACK), m.end() + _LOOK_BACK
    ):
        return False  # "payments now fail over automatically", "checks that fail now page on-call"
    return not re.search(r"\b(?:no|not|nobody|none|no one)\s+\w*\s*$", before, re.I)
