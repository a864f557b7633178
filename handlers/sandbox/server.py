"""The sandbox page's own web server (127.0.0.1 only): the page, its static files and a JSON API.

Every POST runs under the world's lock, so the modals the app opens belong to the person whose
action opened them, and bumps the world's change counter the page polls for.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import jinja2
from aiohttp import web

from handlers.sandbox import actions, preview, script
from handlers.sandbox.cast import GENERAL, PEOPLE
from handlers.sandbox.snapshot import snapshot, version
from handlers.sandbox.world import World, start_world

HERE = Path(__file__).parent
WORLD = web.AppKey("world", dict)
MAX_BODY = 256 * 1024
LOOPBACK_NAMES = {"127.0.0.1", "localhost"}
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
)
Act = Callable[[World, str, dict[str, Any]], Awaitable[None]]


def _world(request: web.Request) -> World:
    return request.app[WORLD]["current"]


async def index(request: web.Request) -> web.Response:
    world = _world(request)
    status = world.app_url + world.core.policy.status_page.path.rstrip("/")
    html = _TEMPLATES.get_template("index.html.j2").render(
        people=PEOPLE, general=GENERAL, status_url=status, feed_url=status + "/feed.atom"
    )
    return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})


async def state(request: web.Request) -> web.Response:
    world = _world(request)
    user = request.query.get("user", PEOPLE[0].id)
    if request.query.get("since") == version(world) and request.query.get("full") != "1":
        return web.json_response({"version": version(world), "unchanged": True})
    return web.json_response(snapshot(world, user, request.query.get("channel", GENERAL)))


@web.middleware
async def _only_this_page(request: web.Request, handler) -> web.StreamResponse:
    """Answer only loopback host names (no DNS rebinding), and take actions only as JSON, which
    another site's form cannot send without a CORS preflight this server never grants."""
    if request.host.rsplit(":", 1)[0] not in LOOPBACK_NAMES:
        return web.json_response({"error": "the sandbox answers on 127.0.0.1 only"}, status=403)
    if request.method == "POST" and request.content_type != "application/json":
        return web.json_response({"error": "send JSON"}, status=415)
    return await handler(request)


def _posting(act: Act) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        try:
            body = json.loads(await request.text() or "{}")
        except ValueError:
            return web.json_response({"error": "the body must be JSON"}, status=400)
        if not isinstance(body, dict) or body.get("user") not in {p.id for p in PEOPLE}:
            return web.json_response({"error": "pick a person first"}, status=400)
        world = _world(request)
        async with world.lock:
            if world.closed:
                return web.json_response({"error": "the sandbox was reset; try again"}, status=409)
            opened = len(world.slack.opened_views)
            try:
                await act(world, body["user"], body)
            except actions.Refused as refused:
                return web.json_response({"error": str(refused)}, status=409)
            except (TypeError, ValueError) as error:  # a body no page of ours sends
                return web.json_response({"error": f"cannot do that: {error}"}, status=400)
            except aiohttp.ClientError as error:
                return web.json_response({"error": f"the app did not answer: {error}"}, status=502)
            finally:
                world.modals.adopt(body["user"], world.slack, opened)
                world.changes += 1
        return web.json_response({"ok": True, "version": version(world)})

    return handler


async def _type(world: World, user: str, body: dict[str, Any]) -> None:
    await actions.type_text(world, user, str(body.get("channel", GENERAL)), str(body.get("text", "")))


async def _use(world: World, user: str, body: dict[str, Any]) -> None:
    await actions.use_element(world, user, body)


async def _submit(world: World, user: str, body: dict[str, Any]) -> None:
    values = body.get("values")
    await actions.submit(world, user, values if isinstance(values, dict) else {})


async def _close(world: World, user: str, _body: dict[str, Any]) -> None:
    await actions.close(world, user)


async def _home(world: World, user: str, _body: dict[str, Any]) -> None:
    await actions.open_home(world, user)


async def _clock(world: World, _user: str, body: dict[str, Any]) -> None:
    minutes = body.get("minutes")
    if minutes not in (10, 60):
        raise actions.Refused("the clock moves on by 10 or 60 minutes")
    await world.advance(minutes)


async def play(request: web.Request) -> web.Response:
    """Start “play a SEV1” in the background; the page watches it through its usual poll."""
    holder = request.app[WORLD]
    running = holder.get("play")
    if running is not None and not running.done():
        return web.json_response({"error": "a SEV1 is already being played"}, status=409)
    holder["play"] = asyncio.create_task(script.play(holder["current"]))
    return web.json_response({"ok": True})


async def template(request: web.Request) -> web.Response:
    templates, query = _world(request).core.templates, request.query
    try:
        source = preview.shipped_source(templates, query["stage"], query["audience"])
    except (KeyError, ValueError, jinja2.TemplateNotFound) as error:
        return web.json_response({"error": f"no such template: {error}"}, status=404)
    return web.json_response({"source": source})


async def download(request: web.Request) -> web.Response:
    """A file the app uploaded (e.g. `/incident export`), as a download, never rendered here."""
    file = _world(request).slack.workspace.files.get(request.match_info["file_id"])
    if file is None or not file.uploaded:
        return web.json_response({"error": "no such file"}, status=404)
    name = "".join(c for c in (file.filename or "file") if c.isalnum() or c in "._-") or "file"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"}
    return web.Response(body=file.content, content_type="application/octet-stream", headers=headers)


async def render_preview(request: web.Request) -> web.Response:
    world = _world(request)
    try:
        body = json.loads(await request.text() or "{}")
        stage, audience, source = (str(body[key]) for key in ("stage", "audience", "source"))
        answer = preview.preview(world.core.policy, stage, audience, source, world.clock.now())
    except (KeyError, TypeError, ValueError) as error:
        return web.json_response({"error": f"cannot preview that: {error}"}, status=400)
    return web.json_response(answer)


async def reset(request: web.Request) -> web.Response:
    holder = request.app[WORLD]
    old: World = holder["current"]
    async with old.lock:
        holder["current"] = await start_world()
        await old.close()
    return web.json_response({"ok": True, "version": version(holder["current"])})


async def _start(app: web.Application) -> None:
    app[WORLD]["current"] = await start_world()


async def _stop(app: web.Application) -> None:
    running = app[WORLD].get("play")
    if running is not None:
        running.cancel()
    world = app[WORLD].get("current")
    if world is not None:
        await world.close()


def build_sandbox_app() -> web.Application:
    """The page's routes; only `incident-comms sandbox` builds this (never `serve`)."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_only_this_page])
    app[WORLD] = {}
    app.router.add_get("/", index)
    app.router.add_get("/api/state", state)
    for name, act in (
        ("type", _type),
        ("use", _use),
        ("submit", _submit),
        ("close", _close),
        ("home", _home),
        ("clock", _clock),
    ):
        app.router.add_post(f"/api/{name}", _posting(act))
    app.router.add_post("/api/reset", reset)
    app.router.add_post("/api/play", play)
    app.router.add_get("/api/template", template)
    app.router.add_get("/api/file/{file_id}", download)
    app.router.add_post("/api/preview", render_preview)
    app.router.add_static("/static/", HERE / "static", append_version=False)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app
