"""Edit forms that were opened before someone else saved: keep both people's changes.

A form carries a short fingerprint of each field as it was when the form was opened. On save
only the fields the user changed are applied; a field someone else changed meanwhile is kept
as they left it, and when both changed the same field to different values the save is refused
for that field ("changed since you opened this form"), never silently reverted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.errors import Invalid
from storage.models import Incident

EDITABLE = ("title", "what_happened", "customer_impact", "severity", "status", "status_note")
Fingerprint = dict[str, str]
CHANGED = "{ref} changed since you opened this form: this is now “{now}”. Reopen the form to edit it."


def _print(value: Any) -> str:
    return hashlib.sha256(str(value or "").encode()).hexdigest()[:12]


def fingerprint(incident: Incident) -> str:
    """What the form remembers of each field, as one short text (a Slack form's metadata is
    small, and Teams dialog data keeps plain values only)."""
    return ";".join(f"{name}={_print(getattr(incident, name))}" for name in EDITABLE)


def wanted_changes(
    incident: Incident, submitted: dict[str, str], opened: Fingerprint | None, ref: str
) -> dict[str, str]:
    """The fields to write. Without a fingerprint (a form opened before this existed) every
    submitted field counts as the user's."""
    wanted, conflicts = {}, {}
    for name in EDITABLE:
        new, current = submitted[name], str(getattr(incident, name) or "")
        if opened is not None and _print(new) == opened.get(name):
            continue  # the user left it as it was: someone else's newer value stays
        if opened is not None and _print(current) != opened.get(name) and new != current:
            conflicts[name] = CHANGED.format(ref=ref, now=current[:200])
            continue
        if new != current:
            wanted[name] = new
    if conflicts:
        raise Invalid(conflicts)
    return wanted


def opened_from(value: Any) -> Fingerprint | None:
    """A fingerprint read back from a form (client data on Teams): its known fields, or None."""
    if not isinstance(value, str):
        return None
    pairs = (part.partition("=") for part in value.split(";")[: len(EDITABLE)])
    return {name: digest[:12] for name, _, digest in pairs if name in EDITABLE and digest} or None
