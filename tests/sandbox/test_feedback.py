"""What the page shows when the app says no: inline form errors, and a refused click."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.sandbox.conftest import ARTIFACTS
from tests.sandbox.steps import be, field, message, open_channel, say


async def test_form_errors_inline_and_a_refused_approval(page: Page, sandbox):
    await say(page, "/incident Checkout errors in EU")
    await field(page, "What happened").fill("   ")
    await page.click("#modal-submit")
    error = page.locator(".field", has=page.get_by_label("What happened", exact=True)).locator(".error")
    await expect(error).to_be_visible()
    await expect(field(page, "What happened")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#modal")).to_be_visible()  # the form stays open with what was typed
    await page.screenshot(path=str(ARTIFACTS / "sandbox-form-errors.png"))

    await field(page, "What happened").fill("Card payments fail at checkout.")
    await field(page, "Customer impact").fill("EU customers cannot pay.")
    await page.locator("#modal").get_by_label("EU region").check()
    await page.click("#modal-submit")
    await expect(page.locator("#modal")).to_be_hidden()

    await be(page, "bob")  # the commander, not an approver
    await open_channel(page, "incident-approvals")
    await message(page, "Approve").get_by_role("button", name="Approve").click()
    refusal = message(page, "Only visible to you")
    await expect(refusal).to_contain_text(re.compile("approv", re.IGNORECASE))
    await expect(page.locator("#messages")).not_to_contain_text("Approved by")
    await be(page, "dana")  # another person does not see bob's private answer
    await open_channel(page, "incident-approvals")
    await expect(page.locator("#messages article.ephemeral")).to_have_count(0)
