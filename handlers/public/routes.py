"""Routes of the public endpoints; registered by the composition root when the policy enables them.

Every answer carries a strong `ETag` (a digest of the bytes; the gzip copy has its own) and
`Last-Modified`; `If-None-Match` is compared weakly (a compressing proxy's `W/"…"` matches), and
`If-Modified-Since` is used only without it. Bodies are gzip-compressed when the request accepts
it. The JSON API and the feed are readable from any origin (CORS `*`, no credentials, preflight
answered `204`); the page itself, and every other route of the app, get no CORS header.
"""

from __future__ import annotations

import re

from aiohttp import web

from bot.services.core import Core
from bot.status_page.page import DOCUMENTS, Rendered, StatusPage
from handlers.public import subscribe

CACHE_CONTROL = "public, max-age=15"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Max-Age": "86400",
}
_HEADER_LIST = re.compile(r"^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*$")
_GZIP = re.compile(r"(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*(?P<q>[0-9.]+))?\s*(?:,|$)", re.IGNORECASE)


def register(app: web.Application, core: Core) -> None:
    policy = core.policy.status_page
    if not policy.enabled:
        return
    page = StatusPage(core.db, core.policy, core.clock, core.templates)

    def serve(kind: str, cors: bool):
        async def handler(request: web.Request) -> web.StreamResponse:
            rendered = await page.render(kind)
            if rendered is None:
                raise web.HTTPNotFound(headers=CORS if cors else None)
            return answer(request, rendered, cors)

        return handler

    async def one_component(request: web.Request) -> web.StreamResponse:
        return await serve(f"feed:{request.match_info['component']}", True)(request)

    async def one_incident(request: web.Request) -> web.StreamResponse:
        return await serve(f"incidents/{request.match_info['name']}.json", True)(request)

    path = policy.path.rstrip("/") or "/"
    app.router.add_get(path, serve("page", False))
    if path != "/":
        app.router.add_get(path + "/", serve("page", False))
    feed = path.rstrip("/") + "/feed.atom"
    app.router.add_get(feed, serve("feed", True))
    app.router.add_options(feed, preflight)
    component_feed = path.rstrip("/") + "/components/{component:[a-z0-9][a-z0-9_-]{0,39}}/feed.atom"
    app.router.add_get(component_feed, one_component)  # issue 24: a feed per component
    for document in DOCUMENTS:
        app.router.add_get(f"/api/v2/{document}", serve(document, True))
    app.router.add_get(r"/api/v2/incidents/{name:[A-Za-z0-9-]{1,40}}.json", one_incident)
    app.router.add_route("OPTIONS", "/api/v2/{tail:.*}", preflight)
    subscribe.register(app, core, path.rstrip("/"))  # customers' e-mail subscriptions (issue 24)


async def preflight(request: web.Request) -> web.StreamResponse:
    headers = dict(PREFLIGHT)
    asked = request.headers.get("Access-Control-Request-Headers", "").strip()
    if asked and len(asked) <= 500 and _HEADER_LIST.match(asked):
        headers["Access-Control-Allow-Headers"] = asked  # no credentials: any simple header list is fine
    return web.Response(status=204, headers=headers)


def answer(request: web.Request, rendered: Rendered, cors: bool) -> web.StreamResponse:
    gzipped = accepts_gzip(request.headers.get("Accept-Encoding", ""))
    headers = {
        "ETag": rendered.gzip_etag if gzipped else rendered.etag,
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
        "Last-Modified": rendered.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        **(CORS if cors else {}),
    }
    if _not_modified(request, rendered):
        return web.Response(status=304, headers=headers)
    headers["Content-Type"] = rendered.content_type
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=rendered.gzipped if gzipped else rendered.body, headers=headers)


def accepts_gzip(accept_encoding: str) -> bool:
    match = _GZIP.search(accept_encoding[:1000])
    if match is None:
        return False
    try:
        return float(match.group("q") or 1) > 0
    except ValueError:
        return False


def _not_modified(request: web.Request, rendered: Rendered) -> bool:
    if (tags := request.headers.get("If-None-Match")) is not None:
        if tags.strip() == "*":
            return True
        offered = {t.strip().removeprefix("W/") for t in tags[:4000].split(",")}
        return bool(offered & rendered.opaque_tags())  # the weak comparison (RFC 9110 §13.1.2)
    since = request.if_modified_since
    return since is not None and rendered.last_modified <= since
