"""Required content of a message per stage, detected from headings and from prose.

What counts (the labelled corpus in tests/data/drafts follows the same conventions):

- what_happened: a statement of what is or was going wrong.
- impact: who or what is affected and how (an explicit "no data was lost" scope counts).
- eta: an estimated duration or time to resolution, or an explicit "no estimate yet". An estimate
  is not speculation; "soon" alone is not an estimate.
- actions_taken: what the team has done or is doing ("we are investigating" counts).
- next_steps: what the team will do next; only promising another update does not count.
- support_route: how to get help (support address, ticket, portal, account manager, status page).
- next_update_time: when the next update comes, with a time or an interval ("more soon" does not).
- resolution_confirmed: an unhedged statement that the problem is fixed ("it appears resolved" is not).
- root_cause, corrective_actions, preventive_measures, feedback_route: the post-incident pieces.
- window, affected_services, expected_impact (with support_route): the maintenance notices' pieces
  (``maintenance_cues``); once completed, the window may be the times the work actually ran.

A heading (``Impact:``, ``*Next update:*``, ``**Root cause**`` on its own line) counts when it has
content; a template placeholder (``{{ impact }}``) is content, so templates can be linted too.
"""

import re
from collections.abc import Callable

from bot.comms import after_cues, maintenance_cues, route_cues
from bot.comms import required_cues as cues
from bot.comms.personal_data import is_non_personal_email
from bot.comms.text_spans import split_sentences
from bot.comms.vocabulary import vocabulary_for, word_pattern
from bot.enums import Stage
from bot.policy.check_rules import CheckRules

REQUIRED_KEYS: dict[Stage, tuple[str, ...]] = {
    Stage.INITIAL: (
        "what_happened", "impact", "eta", "actions_taken", "next_steps", "support_route", "next_update_time",
    ),
    Stage.UPDATE: (
        "what_happened", "impact", "eta", "actions_taken", "next_steps", "support_route", "next_update_time",
    ),
    Stage.RESOLVED: ("what_happened", "impact", "actions_taken", "support_route", "resolution_confirmed"),
    Stage.POST_INCIDENT: ("root_cause", "corrective_actions", "preventive_measures", "feedback_route"),
    Stage.MAINTENANCE_SCHEDULED: ("window", "affected_services", "expected_impact", "support_route"),
    Stage.MAINTENANCE_STARTED: ("window", "affected_services", "expected_impact", "support_route"),
    Stage.MAINTENANCE_COMPLETED: ("window", "affected_services", "expected_impact", "support_route"),
}  # fmt: skip

HUMAN_LABELS: dict[str, str] = {
    "what_happened": "What happened",
    "impact": "Impact (who is affected and how)",
    "eta": "Estimated duration (or “no estimate yet”)",
    "actions_taken": "Actions taken",
    "next_steps": "Next steps",
    "support_route": "How to get support",
    "next_update_time": "When the next update comes",
    "resolution_confirmed": "Resolution confirmed",
    "root_cause": "Root cause",
    "corrective_actions": "Corrective actions",
    "preventive_measures": "Preventive measures",
    "feedback_route": "How to send questions or feedback",
    "window": "Maintenance window (with times)",
    "affected_services": "Affected services",
    "expected_impact": "Expected impact (what customers will notice)",
}

_HEADINGS: dict[str, re.Pattern[str]] = {
    key: re.compile(pattern)
    for key, pattern in {
        "what_happened": r"what happened|what'?s happening|what is happening|issue|incident|problem|summary|"
        r"description|overview|incident summary",
        "impact": r"(?:customer |user )?impact|who(?:'s| is) affected|affected(?: \w+)?|scope",
        "eta": r"eta|estimated? (?:time to )?(?:resolution|recovery|fix|duration)(?: time)?|"
        r"expected (?:resolution|recovery|fix)(?: time)?|estimate|time to (?:resolution|recovery)",
        "actions_taken": r"actions?(?: taken| so far)?|what we(?:'ve| have) done|what we(?:'re| are) doing|"
        r"current actions|mitigation|response|what we did",
        "next_steps": r"next steps?|what'?s next|what happens next|what we(?:'ll| will) do next|plan",
        "support_route": r"support|need help|need assistance|questions(?: or feedback)?|contact|help|"
        r"getting help|how to get help",
        "next_update_time": r"next update(?: at| by)?|updates",
        "root_cause": r"root causes?|causes?|what went wrong|why it happened|contributing factors|"
        r"what caused (?:it|this|the [\w-]+)|the cause|why|reasons?|"
        r"what happened",
        "corrective_actions": r"corrective actions?|remediation|resolution|(?:the )?fix|how we fixed it|"
        r"what we did|immediate actions?|mitigation",
        "preventive_measures": r"preventive measures|preventative measures|prevention|preventing a repeat|"
        r"preventing recurrence|what we(?:'re| are) changing|follow-?up actions|action items|"
        r"lessons learned|next steps|what we will do|longer-term actions|what changes|what we change|"
        r"what(?:'s| is| will be) changing|what will change|what(?:'s| is) next|prevent(?:ion)?|follow-?ups?|"
        r"(?:for the |in )?future",
        "feedback_route": r"feedback|questions(?: or feedback)?|contact",
        "window": r"(?:maintenance |scheduled |planned )?window|when|schedule[d]?|date(?: and time)?|"
        "time(?:s|ing)?|"
        r"start(?:s|ed)?|duration|completed|finished|ended",
        "affected_services": r"affected services|services affected|(?:affected|impacted) (?:systems?|"
        "components?)|"
        r"services|systems|components|scope|what(?:'s| is) affected|affected",
        "expected_impact": r"(?:expected |customer )?impact|what to expect|what you(?:'ll| will) (?:notice|"
        "see)|"
        r"what this means for you|what you need to do|effect on you",
    }.items()
}
# possessive runs: `(?:[•\-*#>]+\s*)*` nested two quantifiers (exponential: "-" * 22 + "1" took 0.3 s,
# each dash doubling it), and `\s*[*_]*\s*` around the separator split a run of spaces every way
# (quadratic); what a run holds can never start the next token, so taking it whole matches the same lines
_HEADING_LINE = re.compile(
    r"^[\s•*#>-]*+[*_]*+\s*+(?P<label>[A-Za-z][A-Za-z'’ -]{0,40}?)\s*+[*_]*+\s*+"
    r"(?P<sep>[:?]|—|–|$)\s*[*_]*\s*(?P<rest>.*)$"
)
_EMPTY_VALUE = re.compile(r"(?:tbd|tbc|n/?a|none|-+|\?+|\.\.\.|…|todo)\.?", re.IGNORECASE)
# a heading whose content is a placeholder for later: "Root cause: under investigation."
_PENDING = re.compile(
    r"(?:to be (?:decided|determined|confirmed|defined|agreed|announced|shared)|pending|to follow|"
    r"will follow|"
    r"under (?:investigation|review)|being investigated|not yet (?:known|decided|available)|unknown)\b",
    re.IGNORECASE,
)
# linear: a local part is at most 64 characters (RFC 5321), so no start scans a long run for an `@`
_EMAIL = re.compile(r"[\w.%+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_NOT_A_STEP = re.compile(  # "… is under way and will take four hours": an estimate, not a step
    r"(?:take|last|be|need|require|remain|stay|cost|have (?:a better idea|more)|know more)\b", re.IGNORECASE
)
_NOT_AN_ESTIMATE = re.compile(
    r"\bexpect(?:s|ed|ing)? (?:to )?(?:know|learn|have|find out) more\b|"
    r"\bexpect(?:s|ed|ing)? (?:to )?(?:hear|know|learn|receive|get) (?:back |more |an? )?(?:from|answer|"
    r"reply|"
    r"response|update|news|information)\b",
    re.IGNORECASE,
)
_CONDITIONAL_HELP = re.compile(r"\bif (?:you|your|anything|an?|any)\b", re.IGNORECASE)


def detect_required(text: str, stage: Stage, rules: CheckRules | None = None) -> dict[str, bool]:
    """Which required pieces of ``stage`` the text contains."""
    rules = rules or CheckRules()
    evidence = required_evidence(text, stage, rules)
    return {key: found is not None for key, found in evidence.items()}


def heading_keys(text: str) -> set[str]:
    """Keys whose heading is present with non-empty content (same line or the following lines)."""
    lines = text.splitlines()
    found: set[str] = set()
    for index, line in enumerate(lines):
        keys, rest = _heading(line)
        if keys:
            content = rest or _following_content(lines, index + 1)
            found.update(key for key in keys if _has_content(content, key))
    return found


def _heading(line: str) -> tuple[list[str], str]:
    """Keys of a heading line and the content after the label (empty when not a heading)."""
    m = _HEADING_LINE.match(line)
    if not m:
        return [], ""
    label = " ".join(m.group("label").lower().replace("’", "'").split())
    keys = [key for key, pattern in _HEADINGS.items() if pattern.fullmatch(label)]
    return keys, m.group("rest").strip(" *_")


def _pending_heading(line: str) -> bool:
    """ "Preventive measures: to be decided" promises the piece; it does not give it."""
    keys, rest = _heading(line)
    return bool(keys) and bool(_PENDING.match(rest.strip(" *_")))


def _following_content(lines: list[str], start: int) -> str:
    collected = []
    for line in lines[start:]:
        if not line.strip() or _heading(line)[0]:
            break
        collected.append(line.strip())
    return " ".join(collected)


def _has_content(content: str, key: str) -> bool:
    if "{{" in content:
        return True
    if not re.search(r"\w", content):
        return False
    if key == "root_cause" and after_cues.cause_is_unknown(content):
        return False
    if key != "eta" and _PENDING.match(content.strip(" *_")):
        return False
    return key == "eta" or not _EMPTY_VALUE.fullmatch(content.strip())


def _what_happened(sentence: str, rules: CheckRules) -> bool:
    """A problem stated, not only referred to: "the issue has been resolved" says nothing of what it was."""
    if not cues.PROBLEM.search(sentence) or _is_help_offer(sentence, rules):
        return False
    return _stated_problem(sentence)


def _stated_problem(sentence: str) -> bool:
    """A problem word other than a bare reference to the incident ("the issue", "this incident")."""
    if cues.QUALIFIED_PROBLEM.search(sentence):
        return True
    return bool(cues.PROBLEM.search(cues.GENERIC_PROBLEM.sub(" ", sentence)))


def _impact(sentence: str, rules: CheckRules) -> bool:
    """Who is affected and how: an affected party with a consequence ("customers cannot ..."), or
    people (not a component: "an issue with our message queue") with a problem word."""
    affected = cues.AFFECTED.search(sentence)
    if not affected or _is_help_offer(sentence, rules):
        return False
    if cues.CONSEQUENCE.search(sentence):
        return True
    return bool(cues.PEOPLE.search(sentence) and _stated_problem(sentence))


def _is_help_offer(sentence: str, rules: CheckRules) -> bool:
    """ "If you still see errors, contact support" describes the support route, not the incident."""
    return bool(_CONDITIONAL_HELP.search(sentence)) and _support_route(sentence, rules)


def _eta(sentence: str, rules: CheckRules) -> bool:
    if cues.NO_ESTIMATE.search(sentence):
        return True
    if not cues.ETA_VERB.search(sentence) or not cues.TIME.search(sentence):
        return False
    if _NOT_AN_ESTIMATE.search(sentence):
        return False  # "we expect to hear from the bank by 14:00"
    return not route_cues.NEXT_UPDATE.search(sentence) or bool(
        re.search(r"\b(?:expect|estimat)", sentence, re.I)
    )


def _next_steps(sentence: str, rules: CheckRules) -> bool:
    for marker in cues.FUTURE_MARKER.finditer(sentence):
        clause = cues.CLAUSE_END.split(sentence[marker.end() :], maxsplit=1)[0]
        if clause.strip() and not cues.COMMUNICATION_CLAUSE.search(clause) and not _NOT_A_STEP.match(clause):
            return True
    return bool(cues.FUTURE_PASSIVE.search(sentence))


def _support_route(sentence: str, rules: CheckRules) -> bool:
    if route_cues.SUPPORT_ROUTE.search(sentence):
        return True
    if word_pattern(vocabulary_for(rules)["support_route_phrases"]).search(sentence):
        return True
    return any(is_non_personal_email(m.group(0), rules) for m in _EMAIL.finditer(sentence))


def _feedback_route(sentence: str, rules: CheckRules) -> bool:
    return bool(route_cues.FEEDBACK.search(sentence)) or _support_route(sentence, rules)


def _next_update_time(sentence: str, rules: CheckRules) -> bool:
    return bool(route_cues.NEXT_UPDATE.search(sentence) and cues.TIME.search(sentence))


def _matches(pattern: re.Pattern[str]) -> Callable[[str, CheckRules], bool]:
    return lambda sentence, rules: bool(pattern.search(sentence))


_PROSE: dict[str, Callable[[str, CheckRules], bool]] = {
    "what_happened": _what_happened,
    "impact": _impact,
    "eta": _eta,
    "actions_taken": _matches(cues.ACTIONS_TAKEN),
    "next_steps": _next_steps,
    "support_route": _support_route,
    "next_update_time": _next_update_time,
    "resolution_confirmed": lambda sentence, rules: after_cues.resolution_confirmed(sentence),
    "root_cause": lambda sentence, rules: after_cues.root_cause(sentence),
    "corrective_actions": _matches(after_cues.CORRECTIVE),
    "preventive_measures": lambda sentence, rules: after_cues.preventive(sentence),
    "feedback_route": _feedback_route,
    "window": lambda sentence, rules: maintenance_cues.window(sentence),
    "affected_services": lambda sentence, rules: maintenance_cues.affected_services(sentence),
    "expected_impact": lambda sentence, rules: maintenance_cues.expected_impact(sentence),
}


def required_evidence(text: str, stage: Stage, rules: CheckRules | None = None) -> dict[str, str | None]:
    """Per required key, why it counts as present ("heading" or the sentence that says it), else None."""
    rules = rules or CheckRules()
    headed = heading_keys(text)
    sentences = [s.text for s in split_sentences(text) if not _pending_heading(s.text)]
    evidence: dict[str, str | None] = {}
    for key in REQUIRED_KEYS[Stage(stage)]:
        found = next((s for s in sentences if _PROSE[key](s, rules)), None)
        evidence[key] = "a heading with content" if key in headed else found
    if "resolution_confirmed" in evidence and any(after_cues.WITHHELD.search(s) for s in sentences):
        evidence["resolution_confirmed"] = None  # "we will confirm once it is fully resolved"
    return evidence
