"""Plays the Slack side of a conversation with the app: correctly signed HTTP requests.

Used by the end-to-end tests and by `incident-comms demo`.

The payload shapes follow Slack's documented request formats (slash command form,
interactivity `payload=` JSON, Events API JSON). View state is filled in like the
Slack client fills it: initial values stay unless the test types something else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

SIGNING_SECRET = "test-signing-secret"
TEAM = {"id": "T0EMULATOR", "domain": "emulator"}


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SlackDriver:
    def __init__(
        self,
        base_url: str,
        emulator,
        *,
        secret: str = SIGNING_SECRET,
        settle: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.base_url = base_url.rstrip("/")
        self.slack = emulator
        self.secret = secret
        self._settle = settle
        self.session = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.session.close()

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Reply:
        headers = {"Content-Type": content_type, **(headers if headers is not None else self.sign(body))}
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            return Reply(response.status, await response.text(), dict(response.headers))

    def sign(self, body: str) -> dict[str, str]:
        return sign(body, secret=self.secret)

    async def settle(self) -> None:
        """Wait for the work the app started after answering (lazy listeners)."""
        if self._settle is not None:
            await self._settle()

    # ---- slash commands -------------------------------------------------------------
    async def command(
        self,
        text: str,
        *,
        user: str,
        channel: str,
        retry: int | None = None,
        trigger_id: str | None = None,
        settle: bool = True,
    ) -> Reply:
        form = {
            "token": "unused",
            "team_id": TEAM["id"],
            "team_domain": TEAM["domain"],
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/incident",
            "text": text,
            "api_app_id": "A0INCIDENT",
            "is_enterprise_install": "false",
            "response_url": self.slack.issue_response_url(channel=channel, user=user),
            "trigger_id": trigger_id or self.slack.issue_trigger_id(),
        }
        body = urlencode(form)
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        reply = await self.post(body, "application/x-www-form-urlencoded", {**self.sign(body), **extra})
        if settle:
            await self.settle()
        return reply

    # ---- interactivity --------------------------------------------------------------
    async def interact(self, payload: dict[str, Any], *, settle: bool = True) -> Reply:
        body = urlencode({"payload": json.dumps(payload)})
        reply = await self.post(body, "application/x-www-form-urlencoded")
        if settle:
            await self.settle()
        return reply

    async def submit(
        self, view: dict[str, Any], values: dict[str, Any] | None = None, *, user: str, settle: bool = True
    ) -> Reply:
        """Submit an opened modal; `values` maps block_id to what the user typed or picked."""
        submitted = {**view, "state": {"values": view_state(view, values or {})}}
        payload = {
            "type": "view_submission",
            "team": TEAM,
            "user": {"id": user, "name": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0INCIDENT",
            "token": "unused",
            "trigger_id": self.slack.issue_trigger_id(),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return await self.interact(payload, settle=settle)

    async def click(self, message, action_id: str, *, user: str, settle: bool = True) -> Reply:
        """Click a button of a message the emulator holds (by its action_id)."""
        button = find_element(message.blocks, action_id)
        where = {
            "container": {"type": "message", "message_ts": message.ts, "channel_id": message.channel},
            "channel": {"id": message.channel, "name": "incident"},
            "message": {"ts": message.ts, "text": message.text, "blocks": message.blocks},
            "response_url": self.slack.issue_response_url(channel=message.channel, user=user),
        }
        return await self.interact(self._block_action(user, button, where), settle=settle)

    async def click_home(self, user: str, action_id: str, *, value: str | None = None) -> Reply:
        """Click a button on the user's published App Home tab (the one with `value`, if given)."""
        view = self.slack.home_views[user]
        button = find_element(view["blocks"], action_id, value=value)
        where = {"container": {"type": "view", "view_id": view.get("id", "")}, "view": view}
        return await self.interact(self._block_action(user, button, where))

    def _block_action(self, user: str, button: dict[str, Any], where: dict[str, Any]) -> dict[str, Any]:
        """A `block_actions` payload for one button click; `where` says what holds the button."""
        return {
            "type": "block_actions",
            "team": TEAM,
            "user": {"id": user, "name": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0INCIDENT",
            "token": "unused",
            "trigger_id": self.slack.issue_trigger_id(),
            **where,
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": button.get("block_id", "b"),
                    "value": button.get("value", ""),
                    "text": button["text"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    # ---- events -----------------------------------------------------------------------
    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        settle: bool = True,
    ) -> Reply:
        envelope = {
            "token": "unused",
            "team_id": TEAM["id"],
            "api_app_id": "A0INCIDENT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM["id"], "user_id": "UBOTEMULATR", "is_bot": True}],
        }
        body = json.dumps(envelope)
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        reply = await self.post(body, "application/json", {**self.sign(body), **extra})
        if settle:
            await self.settle()
        return reply


def view_state(view: dict[str, Any], typed: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` as the Slack client builds it from the view's inputs."""
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        value = typed.get(block["block_id"], _initial(element))
        state[block["block_id"]] = {element["action_id"]: _element_state(element, value)}
    return state


def _initial(element: dict[str, Any]) -> Any:
    kind = element["type"]
    if kind == "plain_text_input":
        return element.get("initial_value", "")
    if kind in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("value")
    if kind == "multi_static_select":
        return [o["value"] for o in element.get("initial_options", [])]
    if kind == "users_select":
        return element.get("initial_user")
    if kind == "datetimepicker":
        return element.get("initial_date_time")
    return None


def _element_state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    options = {o["value"]: o for o in element.get("options", [])}
    if kind == "plain_text_input":
        return {"type": kind, "value": value}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": options.get(value) if value else None}
    if kind == "multi_static_select":
        return {"type": kind, "selected_options": [options[v] for v in value or [] if v in options]}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": value}
    return {"type": kind, "value": value}


def find_element(blocks: list[dict[str, Any]], action_id: str, *, value: str | None = None) -> dict[str, Any]:
    for block in blocks or []:
        for element in block.get("elements", []) or []:
            if not isinstance(element, dict) or element.get("action_id") != action_id:
                continue
            if value is None or element.get("value") == value:
                return {**element, "block_id": block.get("block_id")}
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("action_id") == action_id:
            return {**accessory, "block_id": block.get("block_id")}
    raise AssertionError(f"no element with action_id {action_id!r} in the message")
