"""The live facts retold as the past, for the forms that prefill a resolution notice or a review.

Only rewrites that cannot change the meaning are made: auxiliaries ("cannot" → "could not", "are
failing" → "were failing") and a short list of verbs incidents use ("fail", "time out", "see"),
never after a modal ("may see" stays), and an open "since 09:12 UTC" is dropped because the
window says when it started and ended. The responder reads the result in the form and edits it;
the tense check (checks.tense) reports what is left in the present.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

AUXILIARIES = {
    "cannot": "could not",
    "can not": "could not",
    "can't": "couldn't",
    "can": "could",
    "are": "were",
    "is": "was",
    "aren't": "weren't",
    "isn't": "wasn't",
    "do not": "did not",
    "does not": "did not",
    "don't": "didn't",
    "doesn't": "didn't",
    "has been": "was",
    "have been": "were",
    "are still": "were",
    "is still": "was",
    "continue to": "continued to",
    "continues to": "continued to",
}
VERBS = {  # present (plural and third person) → past
    "fail": "failed", "fails": "failed", "see": "saw", "sees": "saw", "experience": "experienced",
    "experiences": "experienced", "receive": "received", "receives": "received", "return": "returned",
    "show": "showed", "get": "got", "gets": "got",
    "take": "took", "takes": "took", "hang": "hung", "hangs": "hung", "reach": "reached",
    "reaches": "reached", "wait": "waited",
    "affect": "affected", "affects": "affected", "remain": "remained", "remains": "remained",
    "arrive": "arrived", "arrives": "arrived", "stall": "stalled", "stalls": "stalled",
    "time out": "timed out", "times out": "timed out", "need": "needed", "needs": "needed",
    "occur": "occurred", "occurs": "occurred", "lose": "lost", "loses": "lost", "go": "went", "goes": "went",
}  # fmt: skip
# a verb right after one of these is a noun ("the errors", "a crash") or a base form ("may see")
_KEEP_AFTER = {
    "a", "an", "the", "to", "may", "might", "must", "should", "would", "could", "will", "can", "cannot",
    "not", "no", "of", "some", "any", "these", "those", "their", "our", "your", "its", "his", "her",
    "did", "didn't", "does", "do", "we'll", "you'll", "they'll", "and", "or", "with", "without", "few",
    "many", "more", "most", "fewer", "less", "first", "such", "by", "for", "in", "on", "at",
    "occasional", "intermittent", "sporadic", "payment", "login", "timeout", "http", "api",
}  # fmt: skip
_PHRASES = sorted({*AUXILIARIES, *VERBS}, key=len, reverse=True)
_ALTERNATIVES = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in _PHRASES)
_WORD = re.compile(r"(?<![\w'])(" + _ALTERNATIVES + r")(?![\w'])", re.I)
_PREVIOUS = re.compile(r"([\w'%]+)[^\w'%]*$")
_SINCE = re.compile(
    r"(?:,\s*)?\s*\b(?:ongoing\s+)?since\s+(?:about\s+|around\s+|approximately\s+)?(\d{1,2}):(\d{2})(?:\s*(?:UTC|GMT|Z))?\b",
    re.I,
)


def past_tense(text: str) -> str:
    """``text`` with the rewrites above; sentences it does not understand stay as they are."""
    text = _drop_since(text)

    def rewrite(match: re.Match[str]) -> str:
        found = match.group(1)
        key = " ".join(found.casefold().split())
        if key in VERBS and _after_keep_word(text, match.start()):
            return found
        past = AUXILIARIES.get(key) or VERBS[key]
        return past[0].upper() + past[1:] if found[0].isupper() else past

    return _WORD.sub(rewrite, text)


def _drop_since(text: str) -> str:
    """Without its open "since …"; a sentence that started with it starts with its next word."""
    while (match := _SINCE.search(text)) is not None:
        before, after = text[: match.start()], text[match.end() :].lstrip(" ,")
        if not before.strip() or before.rstrip()[-1] in ".!?":
            after = after[:1].upper() + after[1:]
            before = before.rstrip() + " " if before.strip() else ""
        elif after[:1].isalnum():
            after = " " + after
        text = before + after
    return text


def _after_keep_word(text: str, start: int) -> bool:
    previous = _PREVIOUS.search(text[max(0, start - 40) : start])
    return previous is None or previous.group(1).casefold() in _KEEP_AFTER


def started_since(text: str, declared_at: datetime) -> datetime | None:
    """The moment an open "since 09:12 UTC" in ``text`` names: on the day the incident was
    declared, or the day before when that time is later than the declaration."""
    match = _SINCE.search(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    moment = declared_at.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment - timedelta(days=1) if moment > declared_at else moment
