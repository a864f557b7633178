"""Blame: a party (vendor, team or person) named as responsible for the fault.

A party is a name ("AWS", "Dave Miller", "our vendor Acme Cloud", "our engineer Dana") or an internal
team with a name ("the platform team", "our DBA team"; plain "our team" is us). It is blamed when the
draft says it caused the fault ("caused by AWS", "an outage at Cloudflare", "Stripe's outage"), made a
mistake ("Sarah accidentally deleted", "John pushed a bad config"), skipped or missed a review or a
process ("deployed a change without following our change process", "the billing team's review let the
change through"), or "is to blame" / "is responsible for the outage". Neutral mentions ("We have
contacted Twilio support", "customers hosted on Azure", "the storage team is adding capacity") are
fine, and so is owning it ("we made a mistake"). Days, months, holidays, technologies and
``CheckRules.allowed_names`` are not parties. The words are in the rule file.
"""

import re
from collections.abc import Iterator

from bot.comms.findings import Hit, drop_overlapping
from bot.comms.vocabulary import Vocabulary, cached_pattern, vocabulary_for
from bot.policy.check_rules import CheckRules

# bounded (a word of at most 41 characters and 4 hyphenated parts), so each start scans a few words:
# unbounded, every capital in "A-A-A-…" or "A&A&…" scanned to the end of the chain (quadratic)
_WORD = r"[A-Z][A-Za-z0-9&]{0,40}(?:-[A-Za-z0-9]{1,40}){0,4}"
_SUFFIX = r"(?:[ ](?:Inc|Ltd|Corp|LLC|GmbH|plc|AG|SA)\b\.?)?"
_NAME = rf"(?<![\w@])(?P<name>{_WORD}(?:[ ]{_WORD}){{0,3}}){_SUFFIX}"
_TEAM = r"(?<![\w-])(?P<team>(?i:the|our|their)[ ]+(?:[\w-]{1,30}[ ]+){1,2}?(?i:team))(?![\w-])"
# a party by its role: "our clearing bank", "the label vendor", "one of our developers", "reviewers on the
# payments team"; plural "our engineers" is us, "our team" too, and "an engineer" alone is no one
_ROLE = (
    r"(?<![\w-])(?P<role>(?i:(?:the|our|their|an?|one of (?:our|the|their)|another)[ ]+"
    r"(?:[\w-]{1,30}[ ]+){0,2}?(?:<<party_roles>>)s?|(?:<<party_roles>>)s))(?![\w-])"
)
# "Cloudflare's engineers", "Acme's support team": the named company is the party
_STAFF_OF = r"(?:['’]s[ ]+(?:[\w-]{1,30}[ ]+)?(?i:<<party_roles>>|team|staff|engineers|people)s?(?![\w-]))?"
_PARTY = rf"(?:{_NAME}{_STAFF_OF}|{_TEAM}{_STAFF_OF}|{_ROLE})"
_ON_TEAM = (  # "an engineer on the platform team", "an engineer at Edgewise": a named team or company
    r"(?P<on_team>,?\s+(?i:from|on|in|of)\s+(?i:the|our)\s+(?:[\w-]+\s+){0,2}?(?i:team)\b,?"
    rf"|[ ]+(?i:at|from|of|working for|employed by|hired by)[ ]+{_WORD}(?:[ ]{_WORD}){{0,2}})?"
)
_APPOSITION = r"(?:,[^,.\n]{1,60},|,)?"
_AUX = r"(?:[ ]+(?i:has|have|had|then|also|just|apparently))*"
_BE = r"(?:[ ]+(?i:is|was|are|were|has been|had been))?"
_PREFIX = r"(?:(?i:our|their|the|an?)\s+(?:[\w-]+\s+){0,3}?(?i:<<party_roles>>)s?,?\s+)?"
_FOLLOWERS = r"and|who|which|that|when|during|in|on|at|after|before|while|with|for|to|as|has|had|was"
_AFTER_NAME = (
    rf"(?=\s*(?:$|[.,;:!?)\u2013\u2014]|['’]s\b|\s(?i:{_FOLLOWERS})\b|\s(?i:(?:<<fault_nouns>>)s?)\b))"
)
_LISTS = (
    "party_roles", "fault_nouns", "fault_verbs", "careless_adverbs", "bad_adjectives", "change_actions",
    "change_words", "responsibility_phrases", "process_failures",
)  # fmt: skip

VENDOR_OR_PERSON = (
    "Describe what failed, not who is at fault, e.g. “an issue with a third-party provider” "
    "or “a configuration change”."
)
PERSON = "Describe what changed, not who did it, e.g. “a configuration change was deployed”."

_VENDOR_FRAMES = (
    r"(?i:\b(?:caused|triggered|introduced|made|pushed|deployed|initiated|started|done) by)\s+",
    r"(?i:\b(?:due to|because of|owing to|blamed? on))\s+",
    r"(?i:\b(?:<<fault_nouns>>)s?\s+(?:by|at|of|from|with))\s+",
    r"(?i:\b(?:fault (?:of|lies with)|(?:<<fault_nouns>>)s? on the part of|"
    r"(?:fault|blame|responsibility) (?:lies|lay|rests|rested|sits) with))"
    r"\s+",
    r"(?i:\b(?:<<bad_adjectives>>)\s+(?:[\w-]{1,40}\s+)?(?:by|from))\s+",
)
_FRAME_RULES = ("blame.caused_by", "blame.due_to", "blame.fault_at", "blame.fault_of", "blame.bad_work_by")
_THEIR_FAULT = (
    r"(?i:\b(?:their|his|her)[ ]+(?:own[ ]+)?(?:mistake|fault|error|blunder|negligence|oversight|"
    r"carelessness|screw-up)s?\b(?![ ]+(?:rates?|messages?|codes?|pages?|logs?|handling|budget)\b)"
    r"|\b(?:mistake|fault|error)[ ]+(?:was|is)[ ]+(?:entirely[ ]+|all[ ]+)?(?:theirs|his|hers)\b)"
)
_RULES = (
    *_FRAME_RULES, "blame.possessive_fault", "blame.responsibility", "blame.responsible_for",
    "blame.careless_adverb", "blame.bad_change", "blame.fault_verb", "blame.process_failure",
    "blame.change_caused", "blame.their_fault",
)  # fmt: skip
_TEMPLATES: tuple[tuple[str, str], ...] = (
    *((rf"{frame}{_PREFIX}{_NAME}{_AFTER_NAME}", VENDOR_OR_PERSON) for frame in _VENDOR_FRAMES),
    (rf"{_NAME}['’]s\s+(?:[\w-]+\s+)?(?i:<<fault_nouns>>|faulty|bad|broken)s?\b", VENDOR_OR_PERSON),
    (rf"{_PARTY}{_ON_TEAM}{_APPOSITION}{_BE}[ ]+(?i:<<responsibility_phrases>>)(?!\w)", VENDOR_OR_PERSON),
    (
        rf"{_PARTY}{_ON_TEAM}{_APPOSITION}{_BE}[ ]+(?i:directly[ ]+|fully[ ]+)?(?i:responsible)[ ]+(?i:for)"
        r"[ ]+(?i:the|this|that)[ ]+(?:[\w-]+[ ]+){0,2}?(?i:<<fault_nouns>>|failed|failure|broken|faulty)",
        VENDOR_OR_PERSON,
    ),
    (rf"{_PARTY}{_ON_TEAM}{_APPOSITION}{_AUX}[ ]+(?i:<<careless_adverbs>>)[ ]+\w+", PERSON),
    (
        rf"{_PARTY}{_ON_TEAM}{_APPOSITION}{_AUX}[ ]+(?i:<<change_actions>>)[ ]+(?i:an?[ ]+|the[ ]+|some[ ]+)?"
        r"(?:[\w-]+[ ]+)?(?i:<<bad_adjectives>>)(?:[ ]+[\w-]+)?",
        PERSON,
    ),
    (rf"{_PARTY}{_ON_TEAM}{_APPOSITION}{_AUX}[ ]+(?i:<<fault_verbs>>)(?!\w)", PERSON),
    (
        rf"{_PARTY}{_ON_TEAM}{_APPOSITION}{_AUX}[ ]+(?i:<<change_actions>>)(?:[ ][^.\n]{{0,80}}?)?[ ]+"
        r"(?i:<<process_failures>>|<<careless_adverbs>>)(?!\w)",
        PERSON,
    ),
    (
        rf"{_PARTY}['’]s\s+(?:[\w-]+\s+){{0,2}}?(?i:<<change_words>>)\s+(?:[\w-]+\s+){{0,2}}?"
        r"(?i:caused|broke|triggered|took down|introduced|<<process_failures>>|<<fault_verbs>>)(?!\w)",
        PERSON,
    ),
    (_THEIR_FAULT, VENDOR_OR_PERSON),
)


def find_blame(text: str, rules: CheckRules | None = None) -> list[Hit]:
    """Spans naming a vendor, team or person as responsible for the fault."""
    vocabulary = vocabulary_for(rules)
    hits = []
    for rule, (pattern, suggestion) in zip(_RULES, _patterns(vocabulary), strict=True):
        for m in pattern.finditer(text):
            if _is_party(m, vocabulary):
                hits.append(Hit("blame", m.start(), m.end(), suggestion, rule))
    return drop_overlapping(hits)


def _patterns(vocabulary: Vocabulary) -> Iterator[tuple[re.Pattern[str], str]]:
    lists = {key: vocabulary[key] for key in _LISTS}
    for template, suggestion in _TEMPLATES:
        yield cached_pattern(template, **lists), suggestion


def _is_party(m: re.Match[str], vocabulary: Vocabulary) -> bool:
    groups = m.re.groupindex
    if "name" not in groups or ("team" in groups and m.group("team")):
        return True
    if "role" in groups and m.group("role"):
        role = m.group("role").lower().split()
        if role[0] in ("a", "an", "another") and not ("on_team" in groups and m.group("on_team")):
            return False  # "an engineer pushed a bad config": nobody is named
        return not (role[0] == "our" and role[-1].endswith("s") and len(role) == 2)  # "our engineers": us
    lowered = m.group("name").lower()
    not_names = {*vocabulary["not_names"], *vocabulary["technology_names"]}
    if lowered in not_names or any(lowered.startswith(p) for p in vocabulary["not_name_phrases"]):
        return False
    return lowered.split()[0] not in not_names
