"""Read a submitted modal: its `view.state.values` as plain field values, and its metadata."""

from __future__ import annotations

import json
from typing import Any

from handlers.slack.ids import VALUE


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    """{block_id: value} for every input: text, selected option value(s), user id."""
    values: dict[str, Any] = {}
    state = (view.get("state") or {}).get("values") or {}
    if not isinstance(state, dict):
        return values
    for block_id, actions in state.items():
        element = actions.get(VALUE) if isinstance(actions, dict) else None
        if isinstance(element, dict):
            values[block_id] = _value_of(element)
    return values


def _value_of(element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind == "plain_text_input":
        return element.get("value") or ""
    if kind in ("static_select", "radio_buttons"):
        return (element.get("selected_option") or {}).get("value")
    if kind == "multi_static_select":
        return [o.get("value") for o in element.get("selected_options") or [] if isinstance(o, dict)]
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "datetimepicker":
        return element.get("selected_date_time")
    return element.get("value")


def view_metadata(body: dict[str, Any]) -> dict[str, Any]:
    """The `private_metadata` the modal was opened with, as a dict ({} when unreadable)."""
    try:
        data = json.loads(body["view"].get("private_metadata") or "{}")
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}
