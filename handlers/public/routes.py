"""Routes of the public endpoints; registered by the composition root when the policy enables them.

Every answer carries `ETag` and `Last-Modified`; a repeat request with `If-None-Match` (or
`If-Modified-Since`) gets `304 Not Modified` without a body.
"""

from __future__ import annotations

from aiohttp import web

from bot.services.core import Core
from bot.status_page.page import Rendered, StatusPage

API_DOCUMENTS = ("status.json", "summary.json", "incidents.json", "incidents/unresolved.json")
CACHE_CONTROL = "public, max-age=15"


def register(app: web.Application, core: Core) -> None:
    policy = core.policy.status_page
    if not policy.enabled:
        return
    page = StatusPage(core.db, core.policy, core.clock, core.templates)

    def serve(kind: str):
        async def handler(request: web.Request) -> web.StreamResponse:
            base_url = policy.base_url.rstrip("/") or f"{request.scheme}://{request.host}"
            return answer(request, await page.render(kind, base_url))

        return handler

    path = policy.path.rstrip("/") or "/"
    app.router.add_get(path, serve("page"))
    if path != "/":
        app.router.add_get(path + "/", serve("page"))
    app.router.add_get(path.rstrip("/") + "/feed.atom", serve("feed"))
    for document in API_DOCUMENTS:
        app.router.add_get(f"/api/v2/{document}", serve(document))


def answer(request: web.Request, rendered: Rendered) -> web.StreamResponse:
    headers = {"ETag": rendered.etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if rendered.last_modified is not None:
        headers["Last-Modified"] = rendered.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if _not_modified(request, rendered):
        return web.Response(status=304, headers=headers)
    return web.Response(body=rendered.body, headers={**headers, "Content-Type": rendered.content_type})


def _not_modified(request: web.Request, rendered: Rendered) -> bool:
    if (tags := request.headers.get("If-None-Match")) is not None:
        return rendered.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
    since = request.if_modified_since
    return (
        since is not None
        and rendered.last_modified is not None
        and rendered.last_modified.replace(microsecond=0) <= since
    )
