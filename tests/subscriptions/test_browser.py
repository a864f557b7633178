"""The subscription in Chromium with JavaScript off: fill in the form, choose a component, press
Subscribe, open the e-mailed link, press Confirm."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright
from sqlmodel import select

from storage.subscription_models import Subscriber
from tests.browser import CHROMIUM_ARGS
from tests.subscriptions.conftest import confirmation_path


@pytest.fixture
def database(sqlite_template):
    """One database is enough here: this test is about the browser, not storage."""
    return sqlite_template


async def test_subscribe_and_confirm_by_clicking_without_javascript(bot, inbox, chromium):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(java_script_enabled=False)
            await page.goto(bot.base_url + "/status/subscribe")
            await page.get_by_label("E-mail address").fill("clicker@customer.example")
            await page.get_by_label("Only the components I choose:").check()
            await page.get_by_label("Public API").check()
            await page.get_by_role("button", name="Subscribe").click()
            assert await page.get_by_role("heading", name="Check your inbox").is_visible()
            await bot.settle()

            await page.goto(bot.base_url + confirmation_path(inbox, "clicker@customer.example"))
            assert await page.get_by_text("Confirm that you want e-mails about Public API").is_visible()
            await page.get_by_role("button", name="Confirm subscription").click()
            assert await page.get_by_role("heading", name="Subscription confirmed").is_visible()
        finally:
            await browser.close()
    async with bot.core.db.read() as session:
        [subscriber] = (await session.exec(select(Subscriber))).all()
    assert (subscriber.address, subscriber.components) == ("clicker@customer.example", ["api"])
