"""POST /slack/events: verify the signature, parse, then hand the request to Bolt.

Bolt's own aiohttp adapter parses the body before checking the signature, so malformed or
unsigned garbage turns into a 500 (docs/pitfalls.md, Bolt). Here a bad signature or stale timestamp
is 401, and a body we cannot parse or whose shape does not fit its kind (`payloads.fits`) is 400,
before Bolt sees anything. With background work at capacity, a signed request is answered
"busy, try again" (`busy.busy_answer`) before Bolt, so nothing is changed and nothing lost.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.background import TaskTracker
from bot.metrics import Metrics
from handlers.slack.busy import busy_answer
from handlers.slack.payloads import fits

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class ParsedRequest(AsyncBoltRequest):
    """Bolt's own form parsing takes any body containing the text "payload" (a command typed as
    `/incident payload service down`) for an interaction and reads it as {}, which Bolt drops
    (docs/pitfalls.md, Bolt); the edge's parse of the same signed body is used instead."""

    def __init__(self, *, body: str, parsed: dict[str, Any], query: str, headers: dict[str, str]) -> None:
        super().__init__(body=body, query=query, headers=headers)
        if not self.body and parsed:
            self.body = parsed
            self.context = build_async_context(AsyncBoltContext({}), parsed)


class SlackEndpoint:
    def __init__(
        self, app: AsyncApp, signing_secret: str, metrics: Metrics, tracker: TaskTracker | None = None
    ) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.tracker = tracker  # at capacity, requests are answered busy before Bolt sees them
        self.metrics = metrics

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        kind, response = "unknown", None
        try:
            raw = await request.read()
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body = None
        if body is None or not self._signed(body, dict(request.headers)):
            response = web.json_response({"error": "invalid signature or stale timestamp"}, status=401)
        elif (parsed := parse_slack_body(body, request.content_type)) is None or not fits(parsed):
            response = web.json_response({"error": "malformed request body"}, status=400)
        elif (kind := request_kind(parsed)) != "url_verification" and self.tracker and self.tracker.full:
            self.metrics.turned_away.labels("slack").inc()
            response = await busy_answer(parsed)
        else:
            bolt_request = ParsedRequest(
                body=body, parsed=parsed, query=request.query_string, headers=dict(request.headers)
            )
            response = await to_aiohttp_response(await self.app.async_dispatch(bolt_request))
        self.metrics.requests.labels(kind, str(response.status)).inc()
        self.metrics.ack_latency.labels(kind).observe(time.perf_counter() - started)
        return response

    def _signed(self, body: str, headers: dict[str, str]) -> bool:
        """The SDK raises ValueError for a timestamp that is not a number and OverflowError for
        one too large for a float (docs/pitfalls.md), so only plain ASCII digits reach it."""
        lowered = {name.lower(): value for name, value in headers.items()}
        if not _TIMESTAMP.fullmatch(lowered.get("x-slack-request-timestamp", "")):
            return False
        if not _SIGNATURE.fullmatch(lowered.get("x-slack-signature", "")):
            return False  # hmac.compare_digest raises TypeError on non-ASCII text
        try:
            return self.verifier.is_valid_request(body, headers)
        except (ValueError, OverflowError):
            return False


def parse_slack_body(body: str, content_type: str) -> dict[str, Any] | None:
    """The payload as Slack sends it (form, form with a JSON `payload`, or JSON), or None."""
    try:
        if content_type == "application/json" or body.lstrip().startswith("{"):
            data = json.loads(body)
        else:
            form = {
                k: v[0] for k, v in parse_qs(body, keep_blank_values=True, strict_parsing=bool(body)).items()
            }
            data = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, KeyError, RecursionError):  # json raises RecursionError on deep nesting
        return None
    return data if isinstance(data, dict) and data else None


def request_kind(payload: dict[str, Any]) -> str:
    if "command" in payload:
        return "command"
    kind = str(payload.get("type") or "unknown")
    return kind if kind in _KINDS else "other"


_KINDS = {
    "block_actions",
    "view_submission",
    "view_closed",
    "event_callback",
    "url_verification",
    "shortcut",
    "message_action",
    "block_suggestion",
}
