"""Validation of the drafting form (pure and fast: it runs inside the ack)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.chat.cards import strip_markers
from bot.chat.form_fields import epoch_moment, text_field
from bot.comms.drafting import FACT_LIMITS, DraftFacts
from bot.enums import Stage
from bot.errors import Invalid
from bot.policy.status_components import COMPONENT_ID, COMPONENT_STATUSES

REQUIRED = {
    Stage.INITIAL: ("headline", "what_happened", "impact", "actions_taken", "next_steps", "support_route"),
    Stage.UPDATE: ("headline", "what_happened", "impact", "actions_taken", "next_steps", "support_route"),
    Stage.RESOLVED: ("headline", "what_happened", "impact", "support_route", "resolution"),
    Stage.POST_INCIDENT: ("root_cause", "corrective_actions", "preventive_measures", "feedback_route"),
}
REASON_MAX = 1000


def parse_draft(values: dict[str, Any], stage: Stage, now: datetime) -> DraftFacts:
    errors: dict[str, str] = {}
    texts = {
        name: text_field(values, name, FACT_LIMITS[name], errors, required=name in REQUIRED[stage])
        for name in FACT_LIMITS
    }
    next_update = epoch_moment(values.get("next_update_at"))
    if stage in (Stage.INITIAL, Stage.UPDATE):
        if next_update is None:
            errors["next_update_at"] = "Say when the next update will come."
        elif next_update <= now:
            errors["next_update_at"] = "The next update must be in the future."
    components = _components(values, errors)
    if errors:
        raise Invalid(errors)
    texts = {name: texts[name] for name in FACT_LIMITS}
    return DraftFacts(**texts, next_update_at=next_update, components=components)


def _components(values: dict[str, Any], errors: dict[str, str]) -> dict[str, str] | None:
    """Status-page components and the status this message gives them; None when none are picked
    (the message then leaves them as the last approved one said). Unknown ids are never shown."""
    chosen = [c for c in values.get("components") or [] if isinstance(c, str) and re.match(COMPONENT_ID, c)]
    if not chosen:
        return None
    status = values.get("component_status") or ""
    if status not in COMPONENT_STATUSES:
        errors["component_status"] = "Choose the status to publish for the chosen components."
    return {c: status for c in chosen[:200]}


def parse_reason(values: dict[str, Any]) -> str:
    reason = strip_markers(values.get("reason") or "").strip()
    if not reason:
        raise Invalid({"reason": "Tell the author why, so they can fix it."})
    if len(reason) > REASON_MAX:
        raise Invalid({"reason": f"Keep the reason under {REASON_MAX} characters."})
    return reason
