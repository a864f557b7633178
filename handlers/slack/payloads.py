"""Every Slack payload is checked against its shape before Bolt or a listener reads it.

Bolt's context extraction and our listeners index into payloads (`body["user"]["id"]`,
`body["actions"][0]["value"]`, `event["channel"]`), so a value of the wrong type anywhere they
look is a 500 inside Bolt. Here each payload kind is validated once at the edge, with pydantic
models that name exactly the fields Bolt and the listeners read (other fields are allowed and
ignored); what does not fit is a 400 before anything runs. Depth, string length and list length
are bounded first, by an iterative walk, so no validator or handler recurses on hostile input.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_DEPTH = 48  # Block Kit nests about a dozen levels deep; nothing real comes near this
MAX_STRING = 60_000  # Slack's largest field (a message's text) is 40,000 characters
MAX_ITEMS = 1_000  # a view has at most 100 blocks; a select at most 100 options


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Named(_Open):
    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


class Authorization(_Open):
    team_id: str | None = None
    enterprise_id: str | None = None
    user_id: str | None = None
    is_bot: bool | None = None
    is_enterprise_install: bool | None = None


class Scope(_Open):
    """The fields Bolt's context extraction reads, at every level it looks (slack_bolt.request.internals)."""

    user: str | Named | None = None
    user_id: str | None = None
    channel: str | Named | None = None
    channel_id: str | None = None
    team: str | Named | None = None
    team_id: str | None = None
    enterprise: str | Named | None = None
    enterprise_id: str | None = None
    user_team: str | None = None
    thread_ts: str | None = None
    authorizations: list[Authorization] | None = Field(default=None, max_length=50)
    is_enterprise_install: bool | str | None = None
    function_execution_id: str | None = None
    message: Scope | None = None
    previous_message: Scope | None = None
    item: Scope | None = None
    assistant_thread: Scope | None = None


class Option(_Open):
    value: str | None = None


class Element(_Open):
    type: str | None = None
    value: str | None = None
    selected_option: Option | None = None
    selected_options: list[Option] | None = None
    selected_user: str | None = None
    selected_date_time: int | None = None


class State(_Open):
    values: dict[str, dict[str, Element]] = {}


class Block(_Open):
    type: str | None = None
    block_id: str | None = None


class View(_Open):
    id: str
    callback_id: str = ""
    private_metadata: str = ""
    state: State | None = None
    blocks: list[Block] = []
    hash: str | None = None
    team_id: str | None = None
    app_installed_team_id: str | None = None


class Command(Scope):
    command: str
    text: str = ""
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str | None = None


class Action(_Open):
    action_id: str
    block_id: str | None = None
    value: str | None = None
    type: str | None = None


class Interaction(Scope):
    user: Named
    trigger_id: str | None = None
    response_url: str | None = None
    view: View | None = None


class BlockActions(Interaction):
    type: Literal["block_actions"]
    actions: list[Action] = Field(min_length=1, max_length=25)
    container: dict[str, Any] | None = None


class ViewSubmission(Interaction):
    type: Literal["view_submission", "view_closed"]
    view: View


class Event(Scope):
    type: str
    ts: str | None = None
    tab: str | None = None
    text: str | None = None
    subtype: str | None = None


class EventCallback(Scope):
    type: Literal["event_callback"]
    event_id: str
    event: Event
    event_time: int | None = None


class UrlVerification(_Open):
    type: Literal["url_verification"]
    challenge: str


_BY_TYPE: dict[str, type[BaseModel]] = {
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "view_closed": ViewSubmission,
    "event_callback": EventCallback,
    "url_verification": UrlVerification,
}


def fits(payload: dict[str, Any]) -> bool:
    """Is `payload` within bounds and of the shape its kind must have (anything else: 400)?"""
    if not within_bounds(payload):
        return False
    model = Command if "command" in payload else _BY_TYPE.get(str(payload.get("type")), Scope)
    try:
        model.model_validate(payload)
    except (ValidationError, RecursionError):
        return False
    return True


def within_bounds(value: Any) -> bool:
    """Depth, string and list sizes, checked without recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                return False
        elif isinstance(item, dict):
            if len(item) > MAX_ITEMS:
                return False
            for key, child in item.items():
                if len(key) > MAX_STRING:
                    return False
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if len(item) > MAX_ITEMS:
                return False
            stack.extend((child, depth + 1) for child in item)
    return True
