"""``incident-comms lint --explain``: which rule fired on which words, and why."""

import json

from bot.comms.checks import HUMAN_LABELS, CheckReport
from bot.comms.required_content import required_evidence
from bot.comms.text_spans import line_and_column

RULE_REASONS: dict[str, str] = {
    "blame.caused_by": "a named party is said to have caused, triggered or made the fault",
    "blame.due_to": "the fault is put down to a named party (“due to”, “because of”, “blamed on”)",
    "blame.fault_at": "a fault word names a party (“an outage at X”, “an error by X”)",
    "blame.fault_of": "the fault is said to be a party's (“the fault of X”, “blame lies with X”)",
    "blame.bad_work_by": "bad work is put down to a named party (“sloppy work by X”, “a faulty update from”)",
    "blame.possessive_fault": "a fault word is a party's (“Stripe's outage”)",
    "blame.responsibility": "a party is to blame, at fault or the culprit (responsibility_phrases)",
    "blame.responsible_for": "a party is said to be responsible for the failure",
    "blame.careless_adverb": "a party did something accidentally or by mistake (careless_adverbs)",
    "blame.bad_change": "a party made a bad, faulty or untested change (change_actions, bad_adjectives)",
    "blame.fault_verb": "a party broke, forgot, skipped or missed something (fault_verbs)",
    "blame.process_failure": "a party made a change outside the process or without review (process_failures)",
    "blame.change_caused": "a party's change, review or deploy caused or let the fault through",
    "blame.their_fault": "the fault is said to be someone else's (“their mistake”, “the error was theirs”)",
    "pii.user": "a user mention identifies a person",
    "pii.email": "a personal e-mail address (not a role mailbox, not one of our domains)",
    "pii.card": "a Luhn-valid card number not introduced as an order or reference",
    "pii.phone": "a phone number (libphonenumber, checks.phone_regions) that is not our own line",
    "pii.ip": "an IP address that can identify a host",
    "pii.name.honorific": "a name after an honorific (honorifics); allow it in checks.allowed_person_names",
    "pii.name.role_before": "a name after a role word (name_roles); allow it in checks.allowed_person_names",
    "pii.name.role_after": "a name before a role (“Kwame, our incident manager”, “Sarah from the X team”)",
    "pii.name.sign_off": "a name in a sign-off (sign_offs); allow it in checks.allowed_person_names",
    "pii.name.dash": "a name signing the message (“— Nina”); allow it in checks.allowed_person_names",
    "speculation.cue": "a hedging construction (“we think”, “it seems”, “may be caused by”)",
    "speculation.hedges": "a hedging word from the rule file (hedges, checks.extra_speculation_phrases)",
    "named_account": "a confidential account of the incident's audience this message is not for",
    "mention": "a broadcast mention notifies everyone in the channel",
    "length": "longer than checks.max_length",
    "tense.cannot": "present-tense inability after the fix (“cannot”, “are unable to”): say “could not”",
    "tense.is_failing": "a present-tense symptom after the fix (“is down”, “are failing”): say “was”, “were”",
    "tense.experiencing": "customers are said to be experiencing it now: say “experienced”, with the window",
    "tense.present_simple": "a present-tense symptom (“payments fail”, “pages do not load”) after the fix",
    "tense.since_open": "an open “since 09:12” on a problem, with no end time (“until”, “between … and …”)",
}


def explain(report: CheckReport, text: str) -> str:
    """The required items with their evidence, then each finding with its rule and the reason."""
    lines = ["Explain:", "  Required content (why each counts as present):"]
    evidence = required_evidence(text, report.stage, report.rules)
    for key, why in evidence.items():
        shown = f"found in {json.dumps(_short(why))}" if why else "no heading or sentence says it"
        lines.append(f"    {HUMAN_LABELS[key]}: {shown}")
    lines.append("  Findings (which rule fired on which words):")
    for finding in report.findings:
        line, column = line_and_column(text, finding.start)
        reason = RULE_REASONS.get(finding.rule, "")
        shown = json.dumps(_short(finding.match))
        lines.append(f"    {finding.rule or finding.kind} {line}:{column} {shown}")
        lines.append(f"      why: {reason}")
    if not report.findings:
        lines.append("    none")
    return "\n".join(lines) + "\n"


def explain_json(report: CheckReport, text: str) -> dict[str, object]:
    """``--explain`` for ``--format json``: evidence per required key, rule and reason per finding."""
    return {
        "required": required_evidence(text, report.stage, report.rules),
        "findings": [
            {"rule": f.rule or f.kind, "match": f.match, "why": RULE_REASONS.get(f.rule, "")}
            for f in report.findings
        ],
    }


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
