"""People's names in customer messages: a capitalised name next to a role word ("our engineer Dana",
"Kwame Osei, our incident manager", "Sarah from the infrastructure team"), after an honorific
("Ms Patel", "Dr. Amelia Shaw") or in a sign-off ("Thanks,\\nHelen Carter", "— Nina (on-call)").

Names listed in ``CheckRules.allowed_person_names`` (e.g. the signer of your updates) are allowed.
Words that name teams, functions or companies ("The Calsync Support Team") are never a person, and
after a customer-like role ("customer", "patient") only a full name counts ("customer Globex" is an
account, not a person). The word lists are in the rule file (``honorifics``, ``sign_offs``,
``name_roles``, ``not_person_words``).
"""

import re
from typing import NamedTuple

from bot.comms.findings import Hit
from bot.comms.vocabulary import Vocabulary, cached_pattern

SUGGESTION = "Remove the person's name, or use a role (“our support team”) instead."
_TOKEN = r"[^\W\d_][^\W\d_'’-]{0,30}"
_NAME = rf"(?P<name>{_TOKEN}(?:[ ]{_TOKEN}){{0,2}})"
_WEAK_ROLES = frozenset(  # roles that also name companies or accounts: "our partner Authly"
    {"customer", "patient", "user", "clinician", "shopper", "merchant", "subscriber", "partner", "contact"}
)
_SIGN_OFF_TAIL = 240  # a dash sign-off counts only near the end of the message
_TEMPLATES = {
    "honorific": rf"(?<!\w)(?i:<<honorifics>>)\.?[ ]+{_NAME}",
    "role_before": (  # "our on-call engineer Liam": a second role word may follow the first
        rf"(?<![\w-])(?P<role>(?i:<<name_roles>>))s?(?:[ ](?i:<<name_roles>>)){{0,2}},?[ ]+{_NAME}"
    ),
    "role_after": rf"{_NAME}(?:,[ ]+(?i:our|your|the|an?)?[ ]*(?:[\w-]+[ ]+){{0,3}}?(?i:<<name_roles>>)(?!\w)"
    r"|[ ]+(?i:from|on|in|of)[ ]+(?i:the|our)[ ]+(?:[\w-]+[ ]+){0,2}?(?i:team)\b"
    r"|[ ]*\((?i:<<name_roles>>)[^)\n]{0,40}\)"
    r"|,[ ]+(?:(?i:head|director|vp|chief)[ ]+of|[\w-]+[ ]+(?i:<<name_roles>>)(?!\w)))",
    "sign_off": rf"(?im)^[ \t]*(?:<<sign_offs>>)[ \t]*[,!.:]?[ \t]*(?:\n[ \t]*)?{_NAME}[ \t]*(?:[,(]|$)",
    "dash": rf"(?m)^[ \t]*(?:—|–|--?)[ \t]*{_NAME}[ \t]*(?:[,(]|$)",
}


class _Context(NamedTuple):
    not_person: frozenset[str]
    allowed: frozenset[str]


def find_person_names(text: str, vocabulary: Vocabulary, allowed_names: list[str]) -> list[Hit]:
    """Spans of people's names (the name itself) that are not allowed."""
    roles = {*vocabulary["name_roles"], *vocabulary["party_roles"], *vocabulary["person_roles"]}
    context = _Context(
        frozenset(vocabulary["not_person_words"])
        | frozenset(vocabulary["not_names"])
        | frozenset(roles)
        | frozenset(role + "s" for role in roles),  # "Reviewers on the payments team" is no one's name
        _allowed_tokens(allowed_names),
    )
    lists = {key: vocabulary[key] for key in ("honorifics", "sign_offs", "name_roles")}
    hits: list[Hit] = []
    for kind, template in _TEMPLATES.items():
        pattern = cached_pattern(template, **lists)
        for m in pattern.finditer(text):
            if kind == "dash" and m.start() < len(text) - _SIGN_OFF_TAIL:
                continue
            span = _name_span(text, m, kind, context)
            if span and not any(h.start < span[1] and span[0] < h.end for h in hits):
                hits.append(Hit("pii", span[0], span[1], SUGGESTION, f"pii.name.{kind}"))
    return sorted(hits)


def _allowed_tokens(names: list[str]) -> frozenset[str]:
    allowed = {name.lower() for name in names}
    return frozenset(allowed | {token for name in allowed for token in name.split()})


def _name_span(text: str, m: re.Match[str], kind: str, context: _Context) -> tuple[int, int] | None:
    start, end = m.span("name")
    tokens = [(t.start() + start, t.end() + start) for t in re.finditer(r"\S+", text[start:end])]
    words = [_strip_possessive(text[a:b]) for a, b in tokens]
    if kind in ("sign_off", "dash") and any(w.lower() in context.not_person for w in words):
        return None
    keep = [_is_name_word(w, context) for w in words]
    if kind == "role_after":  # the name is the capitalised run just before the role
        while keep and not keep[0]:
            keep, words, tokens = keep[1:], words[1:], tokens[1:]
    run = 0
    while run < len(keep) and keep[run]:
        run += 1
    if run == 0 or (kind == "role_after" and run < len(keep)):
        return None
    if run < 2 and _weak_role(m, kind):
        return None
    name = " ".join(words[:run]).lower()
    if name in context.allowed or any(w.lower() in context.allowed for w in words[:run]):
        return None
    return tokens[0][0], tokens[run - 1][0] + len(words[run - 1])


def _weak_role(m: re.Match[str], kind: str) -> bool:
    """ "customer Globex", "Logista, our fulfilment partner": one word next to these roles is an account."""
    if kind == "role_before":
        return m.group("role").lower() in _WEAK_ROLES
    tail = m.group(0)[m.end("name") - m.start() :].lower()
    return kind == "role_after" and any(re.search(rf"\b{role}\b", tail) for role in _WEAK_ROLES)


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word.rstrip("'’-")


def _is_name_word(word: str, context: _Context) -> bool:
    """Capitalised, not all capitals (an acronym), no capital inside (CamelCase product names)."""
    if len(word) < 2 or not word[0].isupper() or word.isupper() or word.lower() in context.not_person:
        return False
    inner = word[1:]
    return not any(c.isupper() for c in inner) or bool(re.match(r"(?:Mc|Mac|O['’]|D['’])\w", word))
