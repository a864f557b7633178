"""What a person does on the sandbox page, by clicking and typing only."""

from __future__ import annotations

from playwright.async_api import Page, expect


async def be(page: Page, label: str) -> None:
    """Switch to the person whose option starts with `label` (e.g. "dana")."""
    option = page.locator("#person option", has_text=label)
    await page.select_option("#person", await option.get_attribute("value"))


async def open_channel(page: Page, name: str) -> None:
    await page.locator("#channels button, #dms button", has_text=name).first.click()
    await expect(page.locator("#title")).to_contain_text(name)


async def say(page: Page, text: str) -> None:
    await page.fill("#say", text)
    await page.press("#say", "Enter")


def message(page: Page, text: str):
    """The last message in the open channel that contains `text`."""
    return page.locator("#messages article", has_text=text).last


def field(page: Page, label: str):
    return page.locator("#modal").get_by_label(label, exact=True)
