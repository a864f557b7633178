"""The aiohttp application: Web API routing, auth, failure injection, recording; response and upload URLs."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from . import methods_chat, methods_conversations, methods_items, methods_users, methods_views
from .args import check_args, normalise, read_request
from .errors import SlackError
from .failures import AfterFault, Failure, FailurePlan, HoldPlan, PostRateLimiter
from .latency import Latency, middleware
from .method_specs import unknown_args
from .method_table import MethodSpec
from .models import Call
from .response_urls import apply_response
from .scopes import channel_kind, check_scopes
from .socket_mode import SocketModeServer
from .workspace import Workspace

log = logging.getLogger("emulator.slack")

Handler = Callable[[Workspace, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    **methods_chat.METHODS,
    **methods_conversations.METHODS,
    **methods_items.METHODS,
    **methods_users.METHODS,
    **methods_views.METHODS,
}
MAX_BODY = 64 * 1024 * 1024


@dataclass
class ApiResult:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, exc: SlackError) -> ApiResult:
        return cls(200, exc.body())


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class EmulatorServer:
    def __init__(
        self,
        ws: Workspace,
        specs: Mapping[str, MethodSpec],
        failures: FailurePlan[Failure],
        post_limiter: PostRateLimiter,
        bot_token: str,
        socket_mode: SocketModeServer,
        latency: Latency | None = None,
    ) -> None:
        self.ws = ws
        self.latency = latency  # each answer's round trip (emulator/slack/latency.py); None: at once
        self.socket_mode = socket_mode
        self.specs = specs
        self.failures = failures
        self.post_limiter = post_limiter
        self.bot_token = bot_token
        self.holds = HoldPlan()
        self.after: FailurePlan[AfterFault] = FailurePlan()  # faults once the call was carried out
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        app = web.Application(
            client_max_size=MAX_BODY, middlewares=[middleware(self.latency, skip=("/link/",))]
        )
        app.router.add_post("/api/apps.connections.open", self.socket_mode.handle_open)  # the app-level token
        app.router.add_get("/link/", self.socket_mode.handle_link)
        app.router.add_route("*", "/api/{method}", self.handle_api)
        app.router.add_post("/response/{rid}", self.handle_response)
        app.router.add_post("/upload/{file_id}", self.handle_upload)
        return app

    async def start(self, host: str, port: int) -> str:
        self._runner = web.AppRunner(self.build_app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        return f"http://{bound_host}:{bound_port}"

    async def stop(self) -> None:
        await self.socket_mode.close_all()  # an open WebSocket would hold the runner's shutdown
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- Web API ------------------------------------------------------------------------------------
    async def handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        spec = self.specs.get(method)
        args: dict[str, Any] = {}
        try:
            raw, token = await read_request(request, json_input=spec.json_input if spec else True)
            args = normalise(raw, spec) if spec else raw
            result = self.process(method, args, token)
        except SlackError as exc:  # unreadable body
            result = ApiResult.error(exc)
        extra = unknown_args(spec, args) if spec else ()
        self.ws.calls.append(
            Call(
                method,
                args,
                result.body.get("ok") is True,
                result.body.get("error"),
                time.time(),
                result.status,
                extra,
            )
        )
        log.debug("%s %s -> %s %s", method, args, result.status, result.body.get("error") or "ok")
        if (hold := self.holds.take(method)) is not None:  # carried out; the answer waits
            hold.arrived.set()
            await hold.released.wait()
        headers = {"X-OAuth-Scopes": ",".join(sorted(self.ws.scopes)), **result.headers}
        if (fault := self.after.consume(method)) is not None:
            return await self._after(request, fault, result, headers)
        return web.json_response(result.body, status=result.status, headers=headers)

    async def _after(
        self, request: web.Request, fault: AfterFault, result: ApiResult, headers: dict[str, str]
    ) -> web.Response:
        """The call was carried out (or refused); what the client gets instead of the answer."""
        if fault.kind == "reset":
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # aiohttp drops the request quietly; the client sees a disconnect
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return web.json_response(result.body, status=result.status, headers=headers)
        body = {"ok": False, "error": f"http_{fault.status}"}
        return web.json_response(body, status=fault.status, headers=headers)

    def process(self, method: str, args: dict[str, Any], token: str | None) -> ApiResult:
        failure = self.failures.consume(method)
        if failure is not None:
            status, body, headers = failure.response()
            return ApiResult(status, body, headers)
        handler, spec = HANDLERS.get(method), self.specs.get(method)
        if handler is None or spec is None:
            return ApiResult(200, {"ok": False, "error": "unknown_method", "req_method": method})
        try:
            self._authenticate(token)
            self._rate_limit(method, args)
            check_scopes(spec, self.ws.scopes, channel_kind(self.ws, method, args))
            check_args(spec, args)
            body = handler(self.ws, args)
        except SlackError as exc:
            return ApiResult.error(exc)
        except RateLimited as exc:
            return ApiResult(
                429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(exc.retry_after)}
            )
        except Exception as exc:  # an emulator bug: make it loud, not a fake Slack answer
            log.exception("emulator failure in %s", method)
            return ApiResult(
                500, {"ok": False, "error": "fatal_error", "detail": f"{type(exc).__name__}: {exc}"}
            )
        return ApiResult(200, {"ok": True, **body})

    def _authenticate(self, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        if token != self.bot_token:
            raise SlackError("invalid_auth")

    def _rate_limit(self, method: str, args: dict[str, Any]) -> None:
        if method != "chat.postMessage" or not isinstance(args.get("channel"), str):
            return
        found = self.ws.find_channel(args["channel"])
        retry_after = self.post_limiter.retry_after(found.id if found else args["channel"])
        if retry_after is not None:
            raise RateLimited(retry_after)

    # --- response_url and file upload URLs ----------------------------------------------------------
    async def handle_response(self, request: web.Request) -> web.Response:
        entry = self.ws.response_urls.get(request.match_info["rid"])
        if entry is None:
            return web.Response(status=404, text="expired_url")
        try:
            body = await _json_or_payload(request)
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        self.ws.responses.append((entry.url, body))
        status, answer = apply_response(self.ws, entry, body)
        if isinstance(answer, dict):
            return web.json_response(answer, status=status)
        return web.Response(status=status, text=answer)

    async def handle_upload(self, request: web.Request) -> web.Response:
        file = self.ws.files.get(request.match_info["file_id"])
        if file is None or file.completed:
            return web.Response(status=404, text="file_not_found")
        if request.content_type == "multipart/form-data":
            form = await request.post()
            parts = [v.file.read() if isinstance(v, FileField) else str(v).encode() for v in form.values()]
            data = next(iter(parts), b"")
        else:
            data = await request.read()
        file.content, file.uploaded = data, True
        return web.Response(text=f"OK - {len(data)}", content_type="text/plain")


async def _json_or_payload(request: web.Request) -> dict[str, Any]:
    """A response_url body: JSON, or a form with a JSON ``payload`` field."""
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        body = json.loads(str(form.get("payload", "{}")))
    else:
        body = json.loads(await request.text() or "{}")
    if not isinstance(body, dict):
        raise ValueError("response_url body must be a JSON object")
    return body
