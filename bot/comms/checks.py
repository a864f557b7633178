"""Entry point of the draft checks: required content, speculation, blame, personal data,
confidential names, broadcast mentions, Slack length and (after resolution) present-tense impact,
with severities from the policy.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.comms.blame import find_blame
from bot.comms.confidential import find_named_accounts
from bot.comms.findings import FINDING_KINDS, Finding, Hit
from bot.comms.mentions import find_mentions
from bot.comms.personal_data import find_personal_data
from bot.comms.redaction import redact
from bot.comms.required_content import HUMAN_LABELS, REQUIRED_KEYS, detect_required
from bot.comms.slack_limits import find_length_overflow
from bot.comms.speculation import find_speculation
from bot.comms.tense import find_present_tense
from bot.comms.vocabulary import vocabulary_for
from bot.enums import Stage
from bot.policy.check_rules import CheckRules

AFTER_RESOLUTION = (Stage.RESOLVED, Stage.POST_INCIDENT)
"""Stages whose impact is told in the past tense (the ``tense`` check)."""

__all__ = [
    "FINDING_KINDS",
    "HUMAN_LABELS",
    "REQUIRED_KEYS",
    "CheckReport",
    "CheckRules",
    "Finding",
    "check_draft",
    "redact",
]


@dataclass(frozen=True)
class CheckReport:
    """Result of checking one draft: the required-content checklist and the findings."""

    stage: Stage
    required: dict[str, bool]
    findings: tuple[Finding, ...]
    rules: CheckRules = field(default_factory=CheckRules, repr=False, compare=False)

    @property
    def missing(self) -> tuple[str, ...]:
        """Required keys of the stage that were not found, in checklist order."""
        return tuple(key for key, present in self.required.items() if not present)

    @property
    def blocking(self) -> bool:
        """Whether approval is blocked: a blocking finding, or missing content when the policy says so."""
        if any(finding.severity == "block" for finding in self.findings):
            return True
        return bool(self.missing) and self.rules.missing_required == "block"

    def to_json(self) -> dict[str, object]:
        return {
            "required": dict(self.required),
            "findings": [finding.to_json() for finding in self.findings],
        }


def check_draft(
    text: str,
    stage: Stage,
    *,
    named_accounts: Sequence[str] = (),
    may_name: Sequence[str] = (),
    rules: CheckRules | None = None,
) -> CheckReport:
    """Run every check on ``text``.

    ``named_accounts`` are the confidential accounts in the incident's audience; ``may_name`` are the
    accounts this message is for, which may therefore be named (never flagged).
    """
    rules = rules or CheckRules()
    stage = Stage(stage)
    hits: list[Hit] = [
        *find_speculation(text, vocabulary_for(rules)["hedges"]),
        *find_blame(text, rules),
        *find_personal_data(text, rules),
        *find_named_accounts(text, named_accounts, may_name),
        *find_mentions(text),
        *find_length_overflow(text, rules.max_length),
        *(find_present_tense(text) if stage in AFTER_RESOLUTION else ()),
    ]
    findings = tuple(
        Finding(
            hit.kind,
            text[hit.start : hit.end],
            hit.start,
            hit.end,
            rules.severity_for(hit.kind),
            hit.suggestion,
            hit.rule or hit.kind,
        )
        for hit in sorted(hits, key=lambda h: (h.start, h.end, h.kind))
        if rules.severity_for(hit.kind) != "off"
    )
    return CheckReport(stage, detect_required(text, stage, rules), findings, rules)
