"""The policy file (TOML): product behaviour a team configures. Validated at start.

A bad file stops start-up with `PolicyError`, whose message names the file and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.durations import parse_duration
from bot.policy.check_rules import CheckRules
from bot.policy.external import EmailPolicy, Webhooks
from bot.policy.maintenance import MaintenancePolicy  # [maintenance] (its own module)
from bot.policy.permissions import PeoplePolicy, PermissionsPolicy, RolesPolicy
from bot.policy.reminders import RemindersPolicy  # the [reminders] table (its own module)
from bot.policy.status_components import COMPONENT_ID, TAG_AUTHORITY, ComponentPolicy, clashes
from bot.policy.subscriptions import SubscriptionsPolicy  # [subscriptions] (its own module)

POLICY_ENV = "INCIDENT_COMMS_CONFIG"
_PLACEHOLDERS = {"number", "slug", "severity", "date"}


def _duration(value: Any) -> Any:
    return parse_duration(value) if isinstance(value, str) else value


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeverityPolicy(_Strict):
    description: str = Field(min_length=1, max_length=75)
    cadence: Duration
    first_update_within: Duration | None = None  # the comms SLO: declared → first customer message


class IncidentPolicy(_Strict):
    number_prefix: str = Field(default="INC", pattern=r"^[A-Za-z][A-Za-z0-9]{0,9}$")
    channel_name_pattern: str = "inc-{number}-{slug}"
    responder_group: str = ""
    segments: list[str] = Field(default_factory=list, max_length=100)
    default_severity: str = ""

    @field_validator("channel_name_pattern")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        used = set(re.findall(r"{(\w*)}", value))
        if unknown := used - _PLACEHOLDERS:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; use {sorted(_PLACEHOLDERS)}")
        if "number" not in used:
            raise ValueError("must contain {number} so every incident gets its own channel")
        return value


class ChannelsPolicy(_Strict):
    announcements: str = ""
    approvals: str = ""  # where drafts wait for approval; empty = the incident channel
    private_approvals: str = ""  # the same for private incidents (never `approvals`); empty = their channel

    @model_validator(mode="after")
    def _private_stays_private(self) -> ChannelsPolicy:
        if self.private_approvals and self.private_approvals == self.approvals:
            raise ValueError("private_approvals must not be the shared approvals channel")
        return self

    customer_updates: list[str] = Field(default_factory=list)  # broad customer audience
    internal_updates: list[str] = Field(default_factory=list)  # internal recipients


class AccountPolicy(_Strict):
    """A named account's own targets (e.g. its Slack Connect channel); only they may name it."""

    channels: list[str] = Field(default_factory=list)


class ApprovalPolicy(_Strict):
    approvers: list[str] = Field(default_factory=list)  # Slack user ids (U…) and/or user group handles
    required: dict[str, int] = Field(default_factory=dict)  # severity -> approvals needed; others: default
    default_required: int = Field(default=1, ge=1, le=10)
    internal_needs_approval: bool = False

    def needed(self, severity: str) -> int:
        return self.required.get(severity, self.default_required)


class MessagesPolicy(_Strict):
    support_route: str = "Contact our support team through the usual channels."
    templates_dir: Path | None = None  # overrides for message_templates/<name>
    max_delivery_attempts: int = Field(default=6, ge=1, le=20)
    retry_backoff: Duration = timedelta(seconds=5)  # doubled after each failed attempt


class DigestPolicy(_Strict):
    """Digests of every live incident for CS leads."""

    channel: str = ""  # where scheduled digests go; empty = no scheduled digests
    timezone: str = "UTC"  # IANA name; the schedules are read in it
    schedules: dict[str, str] = Field(default_factory=dict)  # name -> crontab ("0 9 * * *")
    when_quiet: Literal["skip", "all_clear"] = "skip"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name like Europe/Berlin") from None
        return value

    @field_validator("schedules")
    @classmethod
    def _valid_crontabs(cls, value: dict[str, str]) -> dict[str, str]:
        for name, crontab in value.items():
            if not re.fullmatch(r"[a-z0-9_-]{1,30}", name):
                raise ValueError(f"schedule name {name!r} must be 1-30 lowercase letters, digits, - or _")
            try:
                CronTrigger.from_crontab(crontab)
            except ValueError as exc:
                raise ValueError(f"schedule {name!r}: {crontab!r} is not a crontab ({exc})") from None
        return value


class ResolutionPolicy(_Strict):
    archive_after_days: int = Field(default=0, ge=0, le=365)  # archive the channel; 0 = never


class FollowUpPolicy(_Strict):
    """Follow-up items created when an incident is resolved. Due dates count business days."""

    rca_due_days: int = Field(default=5, ge=1, le=60)  # root-cause analysis, owned by the commander
    service_credit_severities: list[str] = Field(default_factory=lambda: ["SEV1"])
    service_credit_after: Duration = timedelta(hours=4)  # …or any incident that lasted this long
    service_credit_due_days: int = Field(default=10, ge=1, le=60)
    service_credit_owner: str = ""  # user id; empty = the comms owner
    renewal_risk_due_days: int = Field(default=10, ge=1, le=60)  # one per named account
    renewal_risk_owner: str = ""  # user id; empty = the comms owner
    executive_severities: list[str] = Field(default_factory=lambda: ["SEV1"])
    executive_due_days: int = Field(default=2, ge=1, le=60)
    executive_owner: str = ""  # user id; empty = the commander
    nag_every: Duration = timedelta(days=1)  # how often an overdue item's owner is reminded


Impact = Literal["none", "minor", "major", "critical"]


class StatusPagePolicy(_Strict):
    """The public status page, JSON API and feed (fed only by approved customer messages)."""

    enabled: bool = True
    path: str = Field(default="/status", pattern=r"^/[A-Za-z0-9/_-]*$")
    name: str = Field(default="Service status", min_length=1, max_length=80)
    logo_url: str = ""
    accent_colour: str = Field(default="#0b57d0", pattern=r"^#[0-9A-Fa-f]{6}$")
    history_days: int = Field(default=90, ge=1, le=3650)
    public_segments: list[str] = Field(default_factory=list)  # segments a reader may see named
    impact: dict[str, Impact] = Field(default_factory=dict)  # severity -> Statuspage impact
    base_url: str = ""  # https://status.example.com: absolute links; else relative ones
    tag_authority: str = Field(default="", pattern=TAG_AUTHORITY)  # Atom ids; else base_url's host
    components: dict[Annotated[str, Field(pattern=COMPONENT_ID)], ComponentPolicy] = Field(
        default_factory=dict, max_length=200
    )

    @field_validator("components")
    @classmethod
    def _ids_unique(cls, value: dict[str, ComponentPolicy]) -> dict[str, ComponentPolicy]:
        if clash := clashes(value):
            raise ValueError(f"component id(s) {clash} are also the id of a group; rename them")
        return value

    def impact_of(self, severity: str, severities: list[str]) -> Impact:
        """The policy's mapping, else by rank: the most severe critical, then major, then minor."""
        if severity in self.impact:
            return self.impact[severity]
        rank = severities.index(severity) if severity in severities else len(severities)
        return ("critical", "major")[rank] if rank < 2 else "minor"


class Policy(_Strict):
    incident: IncidentPolicy = IncidentPolicy()
    channels: ChannelsPolicy = ChannelsPolicy()
    checks: CheckRules = CheckRules()
    approvals: ApprovalPolicy = ApprovalPolicy()
    messages: MessagesPolicy = MessagesPolicy()
    reminders: RemindersPolicy = RemindersPolicy()
    digests: DigestPolicy = DigestPolicy()
    resolution: ResolutionPolicy = ResolutionPolicy()
    follow_ups: FollowUpPolicy = FollowUpPolicy()
    status_page: StatusPagePolicy = StatusPagePolicy()
    maintenance: MaintenancePolicy = MaintenancePolicy()
    accounts: dict[str, AccountPolicy] = Field(default_factory=dict)
    severities: dict[str, SeverityPolicy] = Field(min_length=1)
    email: EmailPolicy = EmailPolicy()  # approved messages by e-mail (bot/policy/external.py)
    webhooks: Webhooks = Field(default_factory=dict)  # name -> signed JSON endpoint
    permissions: PermissionsPolicy = PermissionsPolicy()  # action -> roles (bot/policy/permissions.py)
    roles: RolesPolicy = RolesPolicy()
    people: PeoplePolicy = PeoplePolicy()
    subscriptions: SubscriptionsPolicy = SubscriptionsPolicy()  # customers subscribing by e-mail

    @field_validator("severities")
    @classmethod
    def _severity_names(cls, value: dict[str, SeverityPolicy]) -> dict[str, SeverityPolicy]:
        for name in value:
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", name):
                raise ValueError(f"severity name {name!r} must be 1-20 letters, digits, - or _")
        return value

    @property
    def severity_names(self) -> list[str]:
        return list(self.severities)

    @property
    def default_severity(self) -> str:
        chosen = self.incident.default_severity
        return chosen if chosen in self.severities else self.severity_names[-1]

    def cadence(self, severity: str) -> timedelta:
        return self.severities[severity].cadence

    def first_update_within(self, severity: str) -> timedelta | None:
        """The severity's first-update target; None for no target (or a severity since removed)."""
        found = self.severities.get(severity)
        return found.first_update_within if found else None


class PolicyError(Exception):
    """A policy file that cannot be used; the message names the file and the key."""


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the policy: `path`, else $INCIDENT_COMMS_CONFIG, else the shipped defaults."""
    chosen = path or os.environ.get(POLICY_ENV) or None
    data = _shipped_defaults()
    source = "shipped defaults"
    if chosen:
        source = str(chosen)
        data = _merge(data, _read_toml(Path(chosen)))
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_describe(exc, source)) from None


def _shipped_defaults() -> dict[str, Any]:
    text = resources.files("bot.policy").joinpath("default_policy.toml").read_text("utf-8")
    return tomllib.loads(text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"policy file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file {path} is not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; `severities` is replaced whole (a team defines its own scale)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict) and key != "severities":
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _describe(exc: ValidationError, source: str) -> str:
    lines = [f"policy ({source}) is invalid:"]
    for error in exc.errors():
        key = (
            ".".join(str(part) for part in error["loc"]).replace("people.named.", "people.") or "(top level)"
        )
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against the README's policy reference)"
        lines.append(f"  {key}: {message}")
    return "\n".join(lines)
