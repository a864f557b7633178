"""The status page in a real browser: Debian's Chromium, driven by Playwright (no browser download).

Reads what a person sees, with JavaScript on and off and on a phone-sized screen, checks the
landmarks and heading order, and saves screenshots under $TEST_ARTIFACTS (default test-artifacts/).
"""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from tests.browser import CHROMIUM_ARGS
from tests.status_page.helpers import channels, policy, public_story  # noqa: F401 (fixtures)

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def database(sqlite_template):
    """One database is enough here: this test is about the browser, not storage."""
    return sqlite_template


async def test_a_reader_sees_the_status_in_a_real_browser(bot, slack, chromium):
    await public_story(bot, slack)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = bot.base_url + "/status"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1200, "height": 900})
            await page.goto(url)
            main = await page.inner_text("main")
            assert "Partial System Outage" in main and "Incidents in progress" in main
            assert "Service disruption" in main and "Card payments fail at checkout" in main
            assert "Acme" not in await page.content()
            assert await page.evaluate("document.documentElement.lang") == "en"
            assert await page.locator("header").count() == 1 and await page.locator("main").count() == 1
            levels = await page.evaluate(
                "[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])"
            )
            assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels))
            local = await page.locator("article time").first.get_attribute("title")
            assert local and local.endswith("UTC")  # the script showed local time, kept UTC as a title
            await page.screenshot(path=str(ARTIFACTS / "status-page.png"), full_page=True)

            phone = await browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
            await phone.goto(url)
            assert "UTC" in await phone.inner_text("article time >> nth=0")  # no script: server time
            width = await phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"horizontal scrolling on a phone: {width}"
            await phone.screenshot(path=str(ARTIFACTS / "status-page-phone-no-js.png"), full_page=True)
        finally:
            await browser.close()
