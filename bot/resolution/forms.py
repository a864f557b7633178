"""Validation of the resolve form and the follow-up forms (pure and fast: it runs inside the ack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.chat.form_fields import epoch_moment, text_field
from bot.comms.drafting import FACT_LIMITS
from bot.errors import Invalid

SUMMARY_MAX = 3000
NOTES_MAX = 3000
RETOLD = ("what_happened", "impact")  # the resolve form's past-tense facts
REVIEWED = ("window", *RETOLD)  # and the RCA form's
CLOCK_SKEW = timedelta(minutes=5)  # a resolved-at "now" picked on a slightly fast laptop is fine


@dataclass(frozen=True)
class ResolveInput:
    summary: str  # internal: what fixed it
    resolved_at: datetime
    customer_text: str  # the resolution as customers read it
    opened_at: datetime | None = None  # when the form was opened (None: a form from before this)
    started_at: datetime | None = None  # when the impact began (None: retold from the facts)
    what_happened: str = ""  # past tense, for the resolution notice ("": retold from the incident)
    impact: str = ""


@dataclass(frozen=True)
class RcaInput:
    root_cause: str
    corrective_actions: str
    preventive_measures: str
    notes: str = ""
    window: str = ""  # "Between 09:12 and 10:55 UTC on …" ("": as the resolution notice said)
    what_happened: str = ""
    impact: str = ""


def parse_resolve(values: dict[str, Any], now: datetime, opened: Any = None) -> ResolveInput:
    """`opened` is the form's own record of when it was opened (see `opened_mark`)."""
    errors: dict[str, str] = {}
    summary = text_field(values, "summary", SUMMARY_MAX, errors)
    customer_text = text_field(values, "customer_text", FACT_LIMITS["resolution"], errors)
    retold = {name: text_field(values, name, FACT_LIMITS[name], errors, required=False) for name in RETOLD}
    resolved_at = epoch_moment(values.get("resolved_at")) or now
    started_at = epoch_moment(values.get("started_at"))
    if resolved_at > now + CLOCK_SKEW:
        errors["resolved_at"] = "The resolution time cannot be in the future."
    elif started_at is not None and started_at > resolved_at:
        errors["started_at"] = "The impact cannot start after it was resolved."
    if errors:
        raise Invalid(errors)
    return ResolveInput(summary, resolved_at, customer_text, _opened_at(opened), started_at, **retold)


def opened_mark(now: datetime) -> str:
    """What a resolve form keeps of when it was opened (in its metadata or dialog data)."""
    return now.astimezone(UTC).isoformat()


def _opened_at(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_rca(values: dict[str, Any]) -> RcaInput:
    errors: dict[str, str] = {}
    texts = {
        name: text_field(values, name, FACT_LIMITS[name], errors)
        for name in ("root_cause", "corrective_actions", "preventive_measures")
    }
    told = {name: text_field(values, name, FACT_LIMITS[name], errors, required=False) for name in REVIEWED}
    notes = text_field(values, "notes", NOTES_MAX, errors, required=False)
    if errors:
        raise Invalid(errors)
    return RcaInput(**texts, notes=notes, **told)


def parse_notes(values: dict[str, Any]) -> str:
    errors: dict[str, str] = {}
    notes = text_field(values, "notes", NOTES_MAX, errors, required=False)
    if errors:
        raise Invalid(errors)
    return notes


def parse_change(values: dict[str, Any], now: datetime) -> tuple[str, datetime]:
    """(new owner, new due date) from the reassign / due-date form."""
    errors: dict[str, str] = {}
    owner = values.get("owner") or ""
    if not owner:
        errors["owner"] = "Pick who owns this item."
    due = _date(values.get("due_date"))
    if due is None:
        errors["due_date"] = "Pick a due date."
    elif due.date() < now.date():
        errors["due_date"] = "The due date cannot be in the past."
    if errors:
        raise Invalid(errors)
    assert due is not None
    return owner, due


def _date(value: Any) -> datetime | None:
    """A datepicker's "YYYY-MM-DD", as the end of that working day (17:00 UTC)."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").replace(hour=17, tzinfo=UTC)
    except ValueError:
        return None
