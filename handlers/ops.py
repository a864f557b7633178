"""Operational endpoints: GET /healthz and GET /metrics (Prometheus)."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import func, text
from sqlmodel import select

from bot.enums import IncidentStatus
from bot.services.core import Core
from storage.models import Incident


def register(app: web.Application, core: Core) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with core.db.read() as session:
                await session.exec(text("SELECT 1"))
        except Exception:
            return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
        return web.json_response({"status": "ok", "background_tasks": core.tracker.busy})

    async def metrics(_request: web.Request) -> web.Response:
        async with core.db.read() as session:
            statement = (
                select(func.count())
                .select_from(Incident)
                .where(Incident.status != IncidentStatus.RESOLVED.value)
            )
            core.metrics.active_incidents.set((await session.exec(statement)).one())
        response = web.Response(body=core.metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
