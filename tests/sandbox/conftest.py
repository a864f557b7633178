"""The sandbox page served in-process on 127.0.0.1, and a Chromium page on it (Playwright)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, async_playwright

from handlers.sandbox.server import WORLD, build_sandbox_app
from tests.browser import CHROMIUM_ARGS, chromium_path

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


class Sandbox:
    def __init__(self, app: web.Application, url: str) -> None:
        self.app, self.url = app, url

    @property
    def world(self):
        return self.app[WORLD]["current"]


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    app = build_sandbox_app()
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield Sandbox(app, f"http://{host}:{port}")
    finally:
        await runner.cleanup()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One Chromium for the folder's tests (each gets its own page and sandbox)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(sandbox: Sandbox, browser: Browser) -> AsyncIterator[Page]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = await browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        tab = await context.new_page()
        tab.set_default_timeout(5000)
        await tab.goto(sandbox.url)
        yield tab
    finally:
        await context.close()
