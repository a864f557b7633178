"""Policy rules for the draft checks: the ``[checks]`` table of the policy TOML."""

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Severity = Literal["block", "warn", "off"]
"""``block`` stops approval, ``warn`` is shown on the checklist only, ``off`` drops the finding."""

VOCABULARY_KEYS: tuple[str, ...] = (
    "hedges",
    "technology_names",
    "not_names",
    "not_name_phrases",
    "party_roles",
    "person_roles",
    "fault_nouns",
    "fault_verbs",
    "careless_adverbs",
    "bad_adjectives",
    "change_actions",
    "change_words",
    "responsibility_phrases",
    "process_failures",
    "honorifics",
    "sign_offs",
    "name_roles",
    "not_person_words",
    "role_mailboxes",
    "support_route_phrases",
    "own_line_words",
)
"""The word lists of a rule file (``bot/comms/rules/default_rules.toml`` ships them all)."""
RULE_FILE_TABLES = ("vocabulary", "replace")
_REGION = re.compile(r"[A-Z]{2}|001")


def check_vocabulary(lists: object, where: str) -> dict[str, list[str]]:
    """A ``{key: [phrase, ...]}`` table with known keys only; raises ValueError naming what is wrong."""
    if not isinstance(lists, dict):
        raise ValueError(f"{where} must be a table of word lists")
    for key, words in lists.items():
        if key not in VOCABULARY_KEYS:
            raise ValueError(f"{where}: unknown word list {key!r} (known: {', '.join(VOCABULARY_KEYS)})")
        if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
            raise ValueError(f"{where}.{key} must be a list of strings")
    return {key: [word.strip() for word in words if word.strip()] for key, words in lists.items()}


def read_rule_file(path: str | Path) -> dict[str, dict[str, list[str]]]:
    """A rule file's ``[vocabulary]`` (lists that extend) and ``[replace]`` (lists that replace) tables."""
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise ValueError(f"rule file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"rule file {path} cannot be read: {exc}") from None
    unknown = set(data) - set(RULE_FILE_TABLES)
    if unknown:
        raise ValueError(f"rule file {path}: unknown table(s) {sorted(unknown)} (known: vocabulary, replace)")
    return {table: check_vocabulary(data.get(table, {}), f"{path} [{table}]") for table in RULE_FILE_TABLES}


class CheckRules(BaseModel):
    """What the draft checks flag and whether each kind of finding blocks approval or only warns.

    Severity fields (``"block"`` | ``"warn"`` | ``"off"``), one per finding kind:

    - ``named_account``: a confidential account named in a message meant for other customers.
    - ``mention``: a broadcast mention (``<!channel>``, ``@here`` ...).
    - ``pii``: personal data (e-mail address, phone number, IP address, card number, user mention,
      a person's name next to a role word, an honorific or in a sign-off).
    - ``length``: text longer than ``max_length``.
    - ``speculation``: hedged claims ("we think", "probably", "appears to be due to").
    - ``blame``: a vendor, team or person named as responsible for the fault.
    - ``tense``: present-tense impact in a resolution notice or post-incident review ("customers
      cannot …", "payments are failing", an open "since 09:12"); those stages only.
    - ``missing_required``: required content of the stage is missing (listed in ``required``,
      never as a finding); ``block`` makes missing content block approval.

    Other fields:

    - ``max_length``: maximum text length in characters (3000 = one Slack section block).
    - ``our_domains``: e-mail domains (and their subdomains) that are ours, never personal data.
    - ``role_mailboxes``: when set, replaces the rule file's ``role_mailboxes``: local parts of
      role/team mailboxes (``support@`` ...) that are not personal data on any domain; an address is a
      role address when any ``.``/``-``/``_``/``+`` separated part of its local part is listed.
    - ``extra_speculation_phrases``: more hedging phrases (added to the rule file's ``hedges``).
    - ``allowed_names``: names that may appear as the cause of a problem without being blame
      (e.g. your own product or a technology: "caused by Kafka").
    - ``allowed_person_names``: people's names that may appear in customer messages (e.g. the
      signer of your status updates); any other name next to a role word, an honorific or in a
      sign-off is personal data.
    - ``phone_regions``: regions (ISO 3166 codes) whose national phone formats are recognised;
      numbers written with a ``+`` country code are recognised everywhere.
    - ``rules_file``: a rule file merged over the shipped one (its ``[vocabulary]`` lists extend the
      shipped lists, its ``[replace]`` lists replace them).
    - ``vocabulary``: word lists that extend the rule files' lists, e.g. ``fault_verbs = ["nuked"]``.
    """

    model_config = ConfigDict(extra="forbid")

    named_account: Severity = "block"
    mention: Severity = "block"
    pii: Severity = "block"
    length: Severity = "block"
    speculation: Severity = "warn"
    blame: Severity = "warn"
    tense: Severity = "warn"
    missing_required: Severity = "warn"
    max_length: int = Field(default=3000, ge=1)
    our_domains: list[str] = Field(default_factory=list)
    role_mailboxes: list[str] | None = None
    extra_speculation_phrases: list[str] = Field(default_factory=list)
    allowed_names: list[str] = Field(default_factory=list)
    allowed_person_names: list[str] = Field(default_factory=list)
    phone_regions: list[str] = Field(default_factory=lambda: ["US", "GB", "DE"])
    rules_file: str | None = None
    vocabulary: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("our_domains", "role_mailboxes")
    @classmethod
    def _normalise_lowercase(cls, values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        return [value.strip().lower().lstrip("@") for value in values if value.strip()]

    @field_validator("extra_speculation_phrases", "allowed_names", "allowed_person_names")
    @classmethod
    def _drop_blank(cls, values: list[str]) -> list[str]:
        return [value.strip() for value in values if value.strip()]

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, values: list[str]) -> list[str]:
        regions = [value.strip().upper() for value in values if value.strip()]
        for region in regions:
            if not _REGION.fullmatch(region):
                raise ValueError(f"{region!r} is not a region code such as US, GB or DE")
        return regions

    @field_validator("rules_file")
    @classmethod
    def _readable_rule_file(cls, value: str | None) -> str | None:
        if value:
            read_rule_file(value)
        return value or None

    @field_validator("vocabulary", mode="before")
    @classmethod
    def _known_lists(cls, value: object) -> dict[str, list[str]]:
        return check_vocabulary(value, "checks.vocabulary")

    def severity_for(self, kind: str) -> Severity:
        """Severity configured for a finding kind (``"missing_required"`` included)."""
        return getattr(self, kind)
