"""The same conversation as `emulator.driver.SlackDriver`, delivered over Socket Mode.

Every request the HTTP driver would POST to /slack/events (a slash command's form, an
interaction's `payload=` JSON, an Events API callback) travels instead as the envelope Slack
would send over the app's WebSocket (`SocketModeServer.deliver`); an `X-Slack-Retry-Num` header
becomes the envelope's `retry_attempt`. The reply is what the ack carried: status 200 and the
ack's payload as the body (as an HTTP response body would carry it), 400 for a body Slack would
never send over Socket Mode, and 504 when no attempt was acknowledged.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from emulator.driver import Reply, SlackDriver


class SocketDriver(SlackDriver):
    """`SlackDriver` whose requests go over the emulator's Socket Mode connections."""

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Reply:
        envelope = as_envelope(body, content_type)
        if envelope is None:
            return Reply(400, "not a request Slack sends over Socket Mode")
        kind, payload = envelope
        retry = int((headers or {}).get("X-Slack-Retry-Num") or 0)
        ack = await self.slack.socket_mode.deliver(
            kind, payload, retry_attempt=retry, retry_reason="timeout" if retry else ""
        )
        if ack is None:
            return Reply(504, "")
        return Reply(200, json.dumps(ack.payload) if ack.payload else "")


def as_envelope(body: str, content_type: str) -> tuple[str, dict[str, Any]] | None:
    """(envelope type, payload) for an HTTP request body Slack sends, or None."""
    try:
        if content_type == "application/json":
            data = json.loads(body)
        else:
            form = dict(parse_qsl(body, keep_blank_values=True))
            data = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, KeyError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if "command" in data:
        return "slash_commands", data
    if data.get("type") == "event_callback":
        return "events_api", data
    if data.get("type") == "url_verification":
        return None  # only a Request URL is verified; a socket never is
    return "interactive", data
