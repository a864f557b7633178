"""Validation of what responders type into the declare and edit forms (pure, fast).

It runs inside the platform's ack, so it must not touch the database or the network.
Field names are the form's field ids; errors map a field to a message for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.chat.cards import strip_markers
from bot.chat.form_fields import text_field
from bot.enums import Handover, IncidentStatus, Visibility
from bot.errors import Invalid
from bot.policy.model import Policy
from bot.policy.status_components import COMPONENT_STATUSES

TITLE_MAX = 120
TEXT_MAX = 2000
STATUS_NOTE_MAX = 500
ACCOUNT_MAX = 80
ACCOUNTS_MAX = 20
_ACCOUNT_SPLIT = re.compile(r"[,;\n]+")


COMMAND_MAX = 3000  # characters of a typed command (Slack allows 4,000); more is answered, not parsed


def command_too_long(text: str) -> str:
    """What to tell someone whose typed command is over `COMMAND_MAX` characters ("" when it fits)."""
    if len(text) <= COMMAND_MAX:
        return ""
    return (
        f"That command is {len(text):,} characters long; commands take at most {COMMAND_MAX:,}. "
        "Nothing was done: put a short title in the command and the details in the form it opens."
    )


def looks_like_subcommand(text: str) -> bool:
    """One short word (`incident stauts`) is a mistyped subcommand; more is a new incident's title."""
    return bool(text) and " " not in text and len(text) <= 15 and text.isascii() and text.isalpha()


@dataclass(frozen=True)
class IncidentFacts:
    """The facts a responder can state and later correct."""

    title: str
    what_happened: str
    customer_impact: str
    severity: str


@dataclass(frozen=True)
class DeclareInput(IncidentFacts):
    segments: list[str] = field(default_factory=list)
    named_accounts: list[str] = field(default_factory=list)
    commander_id: str = ""
    comms_owner_id: str = ""
    visibility: Visibility = Visibility.PUBLIC
    components: dict[str, str] = field(default_factory=dict)  # status-page component id -> status


@dataclass(frozen=True)
class EditInput(IncidentFacts):
    status: IncidentStatus = IncidentStatus.INVESTIGATING
    status_note: str = ""


def parse_declare(values: dict[str, Any], policy: Policy, reporter_id: str) -> DeclareInput:
    errors: dict[str, str] = {}
    facts = _facts(values, policy, errors)
    segments = [s for s in values.get("segments") or [] if s in policy.incident.segments]
    if not segments:
        errors["segments"] = "Choose at least one affected customer segment."
    accounts = _accounts(values.get("named_accounts") or "", errors)
    components = parse_components(values, policy, errors)
    visibility = values.get("visibility") or Visibility.PUBLIC.value
    if visibility not in set(Visibility):
        errors["visibility"] = "Choose public or private."
    if errors:
        raise Invalid(errors)
    return DeclareInput(
        **facts,
        segments=segments,
        named_accounts=accounts,
        commander_id=values.get("commander") or reporter_id,
        comms_owner_id=values.get("comms_owner") or reporter_id,
        visibility=Visibility(visibility),
        components=components,
    )


def parse_components(values: dict[str, Any], policy: Policy, errors: dict[str, str]) -> dict[str, str]:
    """The form's affected components (a multi-select) and the one status chosen for them."""
    known = policy.status_page.components
    chosen = [c for c in values.get("components") or [] if isinstance(c, str) and c in known]
    status = values.get("component_status") or ""
    if chosen and status not in COMPONENT_STATUSES:
        errors["component_status"] = "Choose the status to publish for the affected components."
    return {c: status for c in chosen} if status in COMPONENT_STATUSES else {}


def parse_edit(values: dict[str, Any], policy: Policy) -> EditInput:
    errors: dict[str, str] = {}
    facts = _facts(values, policy, errors)
    status = values.get("status") or ""
    if status not in set(IncidentStatus):
        errors["status"] = "Choose a status."
    note = text_field(values, "status_note", STATUS_NOTE_MAX, errors, required=False)
    if errors:
        raise Invalid(errors)
    return EditInput(**facts, status=IncidentStatus(status), status_note=note)


def _facts(values: dict[str, Any], policy: Policy, errors: dict[str, str]) -> dict[str, str]:
    severity = values.get("severity") or ""
    if severity not in policy.severities:
        errors["severity"] = f"Choose a severity ({', '.join(policy.severity_names)})."
    return {
        "title": text_field(values, "title", TITLE_MAX, errors),
        "what_happened": text_field(values, "what_happened", TEXT_MAX, errors),
        "customer_impact": text_field(values, "customer_impact", TEXT_MAX, errors),
        "severity": severity,
    }


def _accounts(raw: str, errors: dict[str, str]) -> list[str]:
    names: list[str] = []
    for part in _ACCOUNT_SPLIT.split(strip_markers(raw)):
        name = " ".join(part.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if len(names) > ACCOUNTS_MAX:
        errors["named_accounts"] = f"List at most {ACCOUNTS_MAX} accounts (one per line or comma-separated)."
    elif any(len(name) > ACCOUNT_MAX for name in names):
        errors["named_accounts"] = f"Account names must be under {ACCOUNT_MAX} characters each."
    return names


@dataclass(frozen=True)
class HandoverInput:
    role: Handover
    to: str


def parse_handover(values: dict[str, Any]) -> HandoverInput:
    """The hand-over form: which role, and to whom (a platform user id)."""
    errors: dict[str, str] = {}
    role = values.get("role") or ""
    if role not in set(Handover):
        errors["role"] = "Choose the commander or the comms owner role."
    to = values.get("to") or ""
    if not isinstance(to, str) or not to.strip():
        errors["to"] = "Pick who takes the role over."
    if errors:
        raise Invalid(errors)
    return HandoverInput(Handover(role), to.strip())
