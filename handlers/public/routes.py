"""Routes of the public endpoints; registered by the composition root when the policy enables them."""

from __future__ import annotations

from aiohttp import web

from bot.services import Core


def register(app: web.Application, core: Core) -> None:
    if not core.policy.status_page.enabled:
        return
