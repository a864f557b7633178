"""Speculation: hedged claims about cause, scope, recovery or timing.

Cue phrases are flagged where they hedge ("we think", "probably", "might be caused by", "appears to
be due to", "hopefully"). Deliberately *not* speculation:

- a plain estimate ("We expect full recovery within 30 minutes", "should be resolved by 15:00"):
  an ETA is a commitment the checklist asks for, not a guess;
- a confirmed cause ("The cause was ...") or a committed date ("We will publish an RCA by ...");
- possibility in impact statements ("Customers may see errors"): "may"/"might"/"could" only count
  when they hedge a cause ("may be related to", "could have been caused by");
- stated uncertainty without a guess ("We're not sure yet what caused this").
"""

import re
from collections.abc import Sequence

from bot.comms.findings import Hit, drop_overlapping
from bot.comms.text_spans import sentence_at, split_sentences
from bot.comms.vocabulary import vocabulary_for, word_pattern

_CUES: tuple[str, ...] = (
    r"\bwe(?: (?:do not|don't))? (?:think|believe|suspect|assume|guess|reckon|presume)\b"
    r"(?! (?:about|carefully|hard|highly|of|through)\b)(?! in (?:terms|advance|detail)\b)",
    r"\bI (?:think|believe|suspect|guess)\b",
    r"\b(?:most |very |quite |highly )?(?:probably|likely)\b",
    r"\bpossibly\b",
    r"\b(?:a|the|one) (?:possible|potential|probable|likely|suspected) "
    r"(?:cause|reason|explanation|culprit|trigger|source)\b",
    r"\bsuspected\b",
    r"\b(?:presumably|perhaps|maybe|hopefully|supposedly|apparently)\b",
    r"\bwe(?:'re| are)? hop(?:e|ing) (?:to|that)\b",
    r"\bfingers crossed\b",
    r"\bit (?:seems|appears|looks)(?: (?:like|as if|as though|that))?\b",
    r"\b(?:seems|seem|appears|appear) to (?:be|have)(?: been)?"
    r"(?: (?:due to|caused by|related to|linked to))?",
    r"\b(?:looks|look) like\b",
    r"\b(?:seems|seem|appears|appear) to\b",
    r"\bnot (?:yet |entirely |completely |fully |100% )?(?:certain|sure|confirmed)(?: yet)?,? but\b",
    r"\b(?:may|might|could) (?:well )?(?:be|lie|sit) (?:in|with|within|on|at|inside|somewhere|down to)\b",
    r"\b(?:is|are|was|were) (?:believed|thought|suspected|presumed|assumed) to\b",
    r"\bit (?:could|may|might) be that\b",
    r"\b(?:may|might|could) have (?:broken|caused|triggered|introduced|corrupted|started|led to|set off)\b",
    r"\b(?:may|might|could) (?:have been|be|also be|have) "
    r"(?:caused|triggered|due|related|linked|connected|the result|a result|because|the cause|a cause)\b"
    r"(?: (?:by|to|with|of))?",
    r"\b(?:may|might|could) (?:stem|come|originate|result) from\b",
    r"\b(?:may|might|could) be (?:a|an|the) (?:problem|issue|bug|fault) (?:with|in)\b",
    r"\b(?:initial|early|preliminary|first) (?:\w+ )?(?:indications?|signs?|signals?|findings?|analysis)"
    r" (?:suggests?|indicates?|points? to)\b",
    r"\b(?:our|the|one|a) (?:working )?(?:theory|hypothesis|hunch|guess)\b",
    r"\bwe(?:'re| are) (?:fairly|pretty|reasonably|quite|almost|nearly) (?:sure|confident|certain)\b",
)
_CUE_PATTERNS = tuple(re.compile(cue, re.IGNORECASE) for cue in _CUES)
HEDGE_RE = re.compile("|".join(f"(?:{cue})" for cue in _CUES), re.IGNORECASE)
"""Any hedging cue; used elsewhere to tell a confirmed statement from a hedged one."""
_CAUSE_WORDS = re.compile(
    r"\b(?:cause[sd]?|due to|related|linked|because|culprit|reason|result of|triggered|stem\w*|"
    r"upgrade|change|maintenance|problem with|issue with|connection)\b",
    re.IGNORECASE,
)
_TIMING_WORDS = re.compile(
    r"\b(?:fix(?:ed)?|resolved|back|recover\w*|restored?|clear\w*|soon|hour|minutes?|by \d|within|eta)\b",
    re.IGNORECASE,
)

SUGGEST_CAUSE = (
    "State only what is confirmed, e.g. "
    "“We are still investigating the cause and will share it once confirmed.”"
)
SUGGEST_TIMING = (
    "Give a committed estimate (“We expect … by 15:00 UTC”) or say “We don't have an estimate yet.”"
)
SUGGEST_OTHER = (
    "Replace the hedge with what you have confirmed, e.g. “So far we have seen …”, or leave it out."
)


def find_speculation(text: str, extra_phrases: Sequence[str] = ()) -> list[Hit]:
    """Hedging cues and the rule file's ``hedges`` (plus ``extra_phrases``), each with a calm factual
    rewording hint for its sentence."""
    sentences = split_sentences(text)
    spans = [(*m.span(), "speculation.cue") for pattern in _CUE_PATTERNS for m in pattern.finditer(text)]
    hedges = word_pattern((*vocabulary_for()["hedges"], *(p.lower() for p in extra_phrases)))
    spans.extend((*m.span(), "speculation.hedges") for m in hedges.finditer(text))
    hits = []
    for start, end, rule in spans:
        sentence = sentence_at(sentences, start)
        hits.append(Hit("speculation", start, end, _suggestion(sentence.text if sentence else ""), rule))
    return drop_overlapping(hits)


def _suggestion(sentence: str) -> str:
    if _CAUSE_WORDS.search(sentence):
        return SUGGEST_CAUSE
    if _TIMING_WORDS.search(sentence):
        return SUGGEST_TIMING
    return SUGGEST_OTHER
