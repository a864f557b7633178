"""Every Slack payload is checked against its shape before Bolt or a listener reads it.

Bolt's context extraction and our listeners index into payloads (`body["user"]["id"]`,
`body["actions"][0]["value"]`, `event["channel"]`), so a value of the wrong type anywhere they
look is a 500 inside Bolt. Here each payload kind is validated once at the edge, with pydantic
models that name exactly the fields Bolt and the listeners read (other fields are allowed and
ignored); what does not fit is a 400 before anything runs. Depth, string length and list length
are bounded first (`handlers.payload_bounds`), so no validator or handler recurses on hostile input.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from handlers.payload_bounds import within_bounds


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Named(_Open):
    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


class Actor(Named):
    """The user who clicked or submitted: listeners read `body["user"]["id"]`."""

    id: str


class Authorization(_Open):
    team_id: str | None = None
    enterprise_id: str | None = None
    user_id: str | None = None
    is_bot: bool | None = None
    is_enterprise_install: bool | None = None


class ResponseUrl(_Open):
    response_url: str | None = None


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
    response_url: str = ""  # present: a string (Bolt hands it to respond())
    response_urls: list[ResponseUrl] = Field(default=[], max_length=50)  # present: a list of objects
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
    type: str  # Bolt reads it to tell a workflow step's save from a modal's submission
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
    user: Actor
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


class AppMention(Event):
    """The bot answers in the mention's thread: it needs the channel and the message's ts."""

    type: Literal["app_mention"]
    channel: str
    ts: str


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


_EVENTS: dict[str, type[BaseModel]] = {"app_mention": AppMention}


def fits(payload: dict[str, Any]) -> bool:
    """Is `payload` within bounds and of the shape its kind must have (anything else: 400)?"""
    if not within_bounds(payload):
        return False
    model = Command if "command" in payload else _BY_TYPE.get(str(payload.get("type")), Scope)
    try:
        parsed = model.model_validate(payload)
        if isinstance(parsed, EventCallback) and (event_model := _EVENTS.get(parsed.event.type)):
            event_model.model_validate(payload["event"])
    except (ValidationError, RecursionError):
        return False
    return True
