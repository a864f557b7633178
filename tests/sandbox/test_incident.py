"""A whole incident played through the sandbox page in Chromium: clicking and typing only."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from tests.sandbox.conftest import ARTIFACTS
from tests.sandbox.steps import be, field, message, open_channel, say

CHANNEL = "inc-1-checkout-errors-in-eu"


async def declare(page: Page) -> None:
    await say(page, "/incident Checkout errors in EU")
    modal = page.locator("#modal")
    await expect(modal).to_be_visible()
    await field(page, "What happened").fill("Card payments fail at checkout for customers in the EU.")
    await field(page, "Customer impact").fill("EU customers cannot complete purchases.")
    await field(page, "Severity").select_option("SEV2")
    await modal.get_by_label("EU region").check()
    await field(page, "Incident commander").select_option(label="@bob")
    await field(page, "Comms owner").select_option(label="@carol")
    await page.click("#modal-submit")
    await expect(modal).to_be_hidden()


async def approve(page: Page) -> None:
    await be(page, "dana")
    await open_channel(page, "incident-approvals")
    await message(page, "Approve").get_by_role("button", name="Approve").click()
    await open_channel(page, "status-updates")
    await expect(message(page, "Checkout")).to_be_visible()


async def status_page_shows(page: Page, text: str, *, shown: bool = True) -> None:
    async with page.context.expect_page() as opened:
        await page.get_by_role("link", name="Status page").click()
    status = await opened.value
    await status.wait_for_load_state()
    main = expect(status.locator("main"))
    await (main.to_contain_text(text) if shown else main.not_to_contain_text(text))
    await status.close()


async def test_a_whole_incident_through_the_page(page: Page, sandbox):
    await declare(page)
    await expect(page.locator("#channels")).to_contain_text(CHANNEL)
    await expect(message(page, "Only visible to you")).to_be_visible()
    await status_page_shows(page, "Checkout errors in EU", shown=False)  # nothing approved yet
    await approve(page)
    await status_page_shows(page, "Checkout errors in EU")

    await be(page, "carol")
    await page.get_by_role("button", name="incident-comms · Home").click()
    await expect(page.locator("#messages")).to_contain_text("Checkout errors in EU")
    await page.locator("#messages").get_by_role("button", name="Open channel").click()
    await expect(page.locator("#title")).to_have_text("#" + CHANNEL)
    await page.get_by_role("button", name="+1 h").click()
    await expect(message(page, "customer update #1")).to_contain_text("INC-1")  # a heads-up, or due now
    await page.screenshot(path=str(ARTIFACTS / "sandbox-reminder.png"))

    await be(page, "bob")
    await open_channel(page, CHANNEL)
    await say(page, "/incident resolve")
    await field(page, "Resolution summary (internal)").fill("Rolled back payment-gateway release 4.2.")
    await field(page, "Resolution for customers").fill("Card payments in the EU work normally again.")
    await page.click("#modal-submit")
    await expect(page.locator("#modal")).to_be_hidden()
    await expect(message(page, "is resolved")).to_be_visible()

    await say(page, "/incident export")  # the plan, uploaded to the channel, downloads from the page
    async with page.expect_download() as saved:
        await page.locator("#messages a.file").last.click()
    assert "INC-1" in Path(await (await saved.value).path()).read_text()
