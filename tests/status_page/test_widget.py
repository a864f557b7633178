"""Atlassian's own Statuspage widget (@statuspage/status-widget, from npm), embedded in a page of
another origin, renders our status in Chromium: the JSON API is readable cross-origin (CORS)."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import async_playwright

from tests.browser import CHROMIUM_ARGS
from tests.conftest import BOB
from tests.slack.flows import declare
from tests.status_page.axe import STATUS_WIDGET, npm_file
from tests.status_page.helpers import approval_cards, channels, policy  # noqa: F401

PAGE = """<!doctype html><html lang="en"><head><title>Another site</title><script>{script}</script></head>
<body><statuspage-widget src="{src}" title="Example"></statuspage-widget></body></html>"""


@pytest.fixture
def database(sqlite_template):
    return sqlite_template


async def test_statuspage_s_widget_on_another_site_shows_our_status(bot, slack, chromium):
    script = npm_file(*STATUS_WIDGET).replace("</script", "<\\/script")
    await declare(bot, "Checkout errors")  # SEV2: a major impact
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    site = web.Application()
    html = PAGE.format(script=script, src=bot.base_url.rstrip("/"))

    async def embedding(_: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    site.router.add_get("/", embedding)
    server = TestServer(site, host="localhost")  # localhost:<port> vs 127.0.0.1:<port>: another origin
    await server.start_server()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = await browser.new_page()
                errors = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                await page.goto(str(server.make_url("/")))
                widget = page.locator("statuspage-widget")
                await widget.get_by_text("Partial System Outage").wait_for(timeout=10_000)
                assert not [e for e in errors if "CORS" in e], errors
            finally:
                await browser.close()
    finally:
        await server.close()
