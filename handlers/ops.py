"""Operational endpoints: GET /healthz on the main app, GET /metrics (Prometheus) on its own listener.

The metrics listener binds `METRICS_HOST:METRICS_PORT` (127.0.0.1:9464 by default), never
`$PORT`, which also serves the public status page. With `METRICS_TOKEN` set a scrape must send
`Authorization: Bearer <token>` (compared in constant time); anything else is a 401.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import func, text
from sqlmodel import select

from bot.enums import IncidentStatus, Visibility
from bot.services.core import Core
from storage.models import Incident


def register(
    app: web.Application, core: Core, extra: Callable[[], Awaitable[dict[str, str]]] | None = None
) -> None:
    """GET /healthz on the main app; `extra` adds fields (the Socket Mode connection's state)."""

    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with core.db.read() as session:
                await session.exec(text("SELECT 1"))
        except Exception:
            return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
        more = await extra() if extra is not None else {}
        return web.json_response({"status": "ok", "background_tasks": core.tracker.busy, **more})

    app.router.add_get("/healthz", healthz)


class MetricsListener:
    """GET /metrics on its own host and port, started and stopped with the main app."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._token = core.settings.secret("metrics_token").encode()
        self._runner: web.AppRunner | None = None
        self.host, self.port = core.settings.metrics_host, core.settings.metrics_port

    async def start(self) -> None:
        """Bind and listen; `port` is then the bound port (METRICS_PORT=0 picks a free one)."""
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _authorised(self, request: web.Request) -> bool:
        if not self._token:
            return True
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), self._token)

    async def _metrics(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.Response(status=401, text="unauthorized", headers={"WWW-Authenticate": "Bearer"})
        core = self._core
        statement = (
            select(Incident.visibility, func.count())
            .where(Incident.status != IncidentStatus.RESOLVED.value)
            .group_by(Incident.visibility)
        )
        async with core.db.read() as session:
            live = dict((await session.exec(statement)).all())
        for visibility in Visibility:
            core.metrics.active_incidents.labels(visibility.value).set(live.get(visibility.value, 0))
        response = web.Response(body=core.metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
