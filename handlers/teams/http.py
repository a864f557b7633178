"""POST /api/messages: our aiohttp edge for the Teams SDK's server-adapter protocol.

`create_app` stays synchronous: the route is added while the router is still open, and the
SDK registers its handler through `register_route` when it is initialised at start-up.
Until then (and for paths the SDK never registered) the endpoint answers 503. A body that
is not a JSON object, is out of bounds (depth, sizes) or is not an activity the SDK can read
is 400 before the SDK sees it (the SDK itself would answer 500); one from another Entra tenant
than `TEAMS_TENANT_ID` is 403 (a multi-tenant bot registration must not serve strangers); a
token the SDK could never accept is 401 before it runs (`token_gate`), and the SDK checks the
rest (401).
"""

from __future__ import annotations

import json
import logging
import time

from aiohttp import web
from microsoft_teams.api import ActivityTypeAdapter
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRouteHandler
from pydantic import ValidationError

from bot.metrics import Metrics
from handlers.payload_bounds import within_bounds
from handlers.teams.cloud import service_url_allowed
from handlers.teams.token_gate import KeysNotLoaded, TokenGate

log = logging.getLogger(__name__)
_RETRY = {"Retry-After": "30"}


class AiohttpAdapter:
    """Implements `microsoft_teams.apps.http.adapter.HttpServerAdapter` on an existing app."""

    def __init__(
        self, metrics: Metrics, tenant_id: str | None = None, service_url_hosts: tuple[str, ...] = ()
    ) -> None:
        self.metrics = metrics
        self.tenant_id = tenant_id  # activities from another Entra tenant are refused (403)
        self.service_url_hosts = service_url_hosts  # where Teams' Bot Connector may be (the cloud's)
        self.gate: TokenGate | None = None  # set at start-up when tokens are checked
        self._handlers: dict[str, HttpRouteHandler] = {}

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        self._handlers[path] = handler

    def serve_static(self, path: str, directory: str) -> None:
        return None  # the bot serves no tabs

    async def start(self, port: int) -> None:
        raise NotImplementedError("The Teams SDK is mounted on our aiohttp app; it never runs a server.")

    async def stop(self) -> None:
        return None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        handler = self._handlers.get(request.path)
        kind = "unknown"
        if handler is None:
            response = web.json_response({"error": "Teams is starting"}, status=503)
        elif (body := await _json_object(request)) is None or not within_bounds(body):
            response = web.json_response({"error": "malformed request body"}, status=400)
        elif not _readable(body := _compatible(body)):
            response = web.json_response({"error": "not an activity the bot can read"}, status=400)
        elif refusal := self._refusal(body):
            response = web.json_response({"error": refusal}, status=403)
        elif unusable := self._unusable_token(request.headers.get("Authorization", "")):
            response = unusable
        else:
            kind = f"teams:{body['type'] if body['type'] in _KINDS else 'other'}"
            result = await handler({"body": body, "headers": dict(request.headers)})
            status, payload = result["status"], result.get("body")
            response = (
                web.Response(status=status) if payload is None else web.json_response(payload, status=status)
            )
        self.metrics.requests.labels(kind, str(response.status)).inc()
        self.metrics.ack_latency.labels(kind).observe(time.perf_counter() - started)
        return response

    def _unusable_token(self, authorization: str) -> web.Response | None:
        """401 for a token the SDK could never accept (checked without network, `token_gate`);
        503 while the keys to check it are not loaded, rather than fetching them on the loop."""
        if self.gate is None:
            return None
        try:
            refusal = self.gate.refusal(authorization)
        except KeysNotLoaded as missing:
            log.warning("Teams signing keys not loaded (%s); answering 503", missing)
            return web.json_response({"error": "signing keys not loaded yet"}, status=503, headers=_RETRY)
        except Exception:  # a token the JWT library chokes on is one the SDK could never accept
            log.warning("unreadable Teams token refused", exc_info=True)
            refusal = "unreadable token"
        return web.json_response({"error": "Unauthorized"}, status=401) if refusal else None

    def _refusal(self, body: dict) -> str | None:
        """Why Teams would never send this activity, if it would not: another channel than
        msteams, no tenant or another tenant than ours, a user message or invoke naming no
        Entra object id (identity must never fall back to the client-chosen `from.id`)."""
        if body.get("channelId") != "msteams":
            return "not a Microsoft Teams activity"
        if not service_url_allowed(body.get("serviceUrl"), self.service_url_hosts):
            return "a service URL that is not Teams' (the bot would send its token there)"
        if self.tenant_id and _tenant(body) != self.tenant_id:
            return "this bot serves another tenant"
        sender = body.get("from")
        if body.get("type") in ("message", "invoke") and not (
            isinstance(sender, dict) and isinstance(sender.get("aadObjectId"), str) and sender["aadObjectId"]
        ):
            return "the activity names no Entra user"
        return None


async def _json_object(request: web.Request) -> dict | None:
    try:
        data = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        return None
    return data if isinstance(data, dict) and data else None


def _tenant(body: dict) -> str | None:
    """The Entra tenant an activity comes from (Teams names it in both places)."""
    conversation, channel_data = body.get("conversation"), body.get("channelData")
    if isinstance(conversation, dict) and isinstance(conversation.get("tenantId"), str):
        return conversation["tenantId"]
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    return str(tenant.get("id")) if isinstance(tenant, dict) and tenant.get("id") else None


def _compatible(body: dict) -> dict:
    """Teams sends `trigger: automatic` when a card's `refresh` runs on view; SDK 2.1.1 types the
    field as `Literal["manual"]` and would reject the activity, so it is passed on as manual
    (the bot answers both alike). The token covers the request, not the body's fields."""
    value = body.get("value")
    refresh = isinstance(value, dict) and value.get("trigger") == "automatic"
    if body.get("name") == "adaptiveCard/action" and refresh:
        return {**body, "value": {**value, "trigger": "manual"}}
    return body


def _readable(body: dict) -> bool:
    try:
        ActivityTypeAdapter.validate_python(body)
    except ValidationError:
        return False
    return True


_KINDS = {"message", "invoke", "conversationUpdate", "installationUpdate"}
