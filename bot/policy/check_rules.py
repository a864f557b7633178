"""Policy rules for the draft checks: the ``[checks]`` table of the policy TOML."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Severity = Literal["block", "warn", "off"]
"""``block`` stops approval, ``warn`` is shown on the checklist only, ``off`` drops the finding."""

DEFAULT_ROLE_MAILBOXES: tuple[str, ...] = (
    "abuse",
    "accounts",
    "admin",
    "billing",
    "care",
    "contact",
    "customercare",
    "customerservice",
    "donotreply",
    "do-not-reply",
    "feedback",
    "hello",
    "help",
    "helpdesk",
    "hostmaster",
    "incident",
    "incidents",
    "info",
    "legal",
    "no-reply",
    "noreply",
    "on-call",
    "oncall",
    "ops",
    "operations",
    "postmaster",
    "privacy",
    "reliability",
    "sales",
    "security",
    "service",
    "servicedesk",
    "sre",
    "status",
    "success",
    "support",
    "team",
    "webmaster",
)


class CheckRules(BaseModel):
    """What the draft checks flag and whether each kind of finding blocks approval or only warns.

    Severity fields (``"block"`` | ``"warn"`` | ``"off"``), one per finding kind:

    - ``named_account``: a confidential account named in a message meant for other customers.
    - ``mention``: a broadcast mention (``<!channel>``, ``@here`` ...).
    - ``pii``: personal data (e-mail address, phone number, IP address, card number, user mention).
    - ``length``: text longer than ``max_length``.
    - ``speculation``: hedged claims ("we think", "probably", "appears to be due to").
    - ``blame``: a vendor or person named as at fault.
    - ``missing_required``: required content of the stage is missing (listed in ``required``,
      never as a finding); ``block`` makes missing content block approval.

    Other fields:

    - ``max_length``: maximum text length in characters (3000 = one Slack section block).
    - ``our_domains``: e-mail domains (and their subdomains) that are ours, never personal data.
    - ``role_mailboxes``: local parts of role/team mailboxes (``support@`` ...) that are not personal
      data on any domain; an address is a role address when any ``.``/``-``/``_``/``+`` separated
      part of its local part is listed.
    - ``extra_speculation_phrases``: additional hedging phrases, matched case-insensitively as whole
      words.
    - ``allowed_names``: names that may appear as the cause of a problem without being blame
      (e.g. your own product or a technology: "caused by Kafka").
    """

    model_config = ConfigDict(extra="forbid")

    named_account: Severity = "block"
    mention: Severity = "block"
    pii: Severity = "block"
    length: Severity = "block"
    speculation: Severity = "warn"
    blame: Severity = "warn"
    missing_required: Severity = "warn"
    max_length: int = Field(default=3000, ge=1)
    our_domains: list[str] = Field(default_factory=list)
    role_mailboxes: list[str] = Field(default_factory=lambda: list(DEFAULT_ROLE_MAILBOXES))
    extra_speculation_phrases: list[str] = Field(default_factory=list)
    allowed_names: list[str] = Field(default_factory=list)

    @field_validator("our_domains", "role_mailboxes")
    @classmethod
    def _normalise_lowercase(cls, values: list[str]) -> list[str]:
        return [value.strip().lower().lstrip("@") for value in values if value.strip()]

    @field_validator("extra_speculation_phrases", "allowed_names")
    @classmethod
    def _drop_blank(cls, values: list[str]) -> list[str]:
        return [value.strip() for value in values if value.strip()]

    def severity_for(self, kind: str) -> Severity:
        """Severity configured for a finding kind (``"missing_required"`` included)."""
        return getattr(self, kind)
