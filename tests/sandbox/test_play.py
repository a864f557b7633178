"""“Play a SEV1” acts out a whole incident the page shows as it happens; Reset starts afresh."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from handlers.sandbox import script
from tests.sandbox.steps import message, open_channel


async def test_play_a_sev1_then_reset(page: Page, sandbox, monkeypatch):
    monkeypatch.setattr(script, "PAUSE", 0.05)
    await page.get_by_role("button", name="Play a SEV1").click()
    await open_channel(page, "status-updates")
    await expect(message(page, "Resolved")).to_contain_text("Login failures for all customers", timeout=15000)
    await expect(page.locator("#channels")).to_contain_text("inc-1-login-failures-for-all-customers")
    for button in await page.locator("#channels button, #dms button").all():  # all it posted is drawn
        name = await button.get_attribute("title")
        await button.click()
        await expect(page.locator("#title")).to_have_text(re.compile(rf"#?{re.escape(name)}$"))
        await expect(page.locator("#messages .placeholder")).to_have_count(0)

    await page.get_by_role("button", name="Reset").click()
    await expect(page.locator("#channels")).not_to_contain_text("inc-1-login-failures")
    await open_channel(page, "status-updates")
    await expect(page.locator("#messages article")).to_have_count(0)
