"""The status page in a real browser: Debian's Chromium, driven by Playwright (no browser download).

Reads what a person sees, with JavaScript on and off and on a phone-sized screen, checks the
landmarks and heading order, runs axe-core (no serious or critical violation, empty and with
incidents and components, desktop and phone, light and dark, the focused skip link) and saves
screenshots under $TEST_ARTIFACTS (default test-artifacts/).
"""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from tests.browser import CHROMIUM_ARGS
from tests.conftest import BOB
from tests.policies import make_policy
from tests.slack.flows import declare
from tests.status_page.axe import axe_source, severe_violations
from tests.status_page.helpers import LEADS, SECRET_ACCOUNT, UPDATES, approval_cards, channels, public_story  # noqa: F401
from tests.status_page.test_components import COMPONENTS

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
SIZES = {"desktop": {"width": 1200, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def database(sqlite_template):
    """One database is enough here: this test is about the browser, not storage."""
    return sqlite_template


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES], "internal_updates": [LEADS]},
        accounts={SECRET_ACCOUNT: {"channels": ["CACME"]}},
        status_page={"name": "Example status", "public_segments": ["EU region"], "components": COMPONENTS},
    )


async def accessibility(browser, url: str, sizes: dict) -> dict:
    """axe-core's serious and critical violations per (size, scheme), the focused skip link's too."""
    source, found = axe_source(), {}
    for size, viewport in sizes.items():
        for scheme in ("light", "dark"):
            page = await browser.new_page(viewport=viewport, color_scheme=scheme)
            await page.goto(url)
            found[size, scheme] = await severe_violations(page, source)
            await page.focus("a.skip")
            found[size, scheme, "skip"] = await severe_violations(page, source, "a.skip", ["color-contrast"])
            await page.close()
    return {where: violations for where, violations in found.items() if violations}


async def test_a_reader_sees_the_status_in_a_real_browser(bot, slack, chromium):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = bot.base_url + "/status"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            assert await accessibility(browser, url, {"desktop": SIZES["desktop"]}) == {}  # no incident yet
            await public_story(bot, slack)
            await declare(bot, "Slow API", components=["api", "sso"], component_status="partial_outage")
            await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
            page = await browser.new_page(viewport=SIZES["desktop"])
            await page.goto(url)
            main = await page.inner_text("main")
            assert "Partial System Outage" in main and "Incidents in progress" in main
            assert "Service disruption" in main and "Card payments fail at checkout" in main
            assert await page.locator(".strip").count() == 4 and "Partial outage" in main  # sso shows now
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

            phone = await browser.new_page(viewport=SIZES["phone"], java_script_enabled=False)
            await phone.goto(url)
            assert "UTC" in await phone.inner_text("article time >> nth=0")  # no script: server time
            width = await phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"horizontal scrolling on a phone: {width}"
            await phone.screenshot(path=str(ARTIFACTS / "status-page-phone-no-js.png"), full_page=True)
            assert await accessibility(browser, url, SIZES) == {}
        finally:
            await browser.close()
