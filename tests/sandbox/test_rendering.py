"""The page draws every Block Kit block and element the bot uses, escapes what people type, and
works from the keyboard. Anything it cannot draw is a visible placeholder, never dropped."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from handlers.sandbox.cast import ALICE, GENERAL
from tests.sandbox.steps import say

BOLD = {"bold": True}


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


TEXT = (
    "*Bold* _italic_ ~gone~ `code` <https://example.com/x?a=1&amp;b=2|a link> <@UBOB> <#CSTATUS> <!here>\n"
    "&gt; a quote\n• first\n• second\n&lt;script&gt;alert(1)&lt;/script&gt;"
)
BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "INC-9 · Header"}},
    {"type": "section", "text": {"type": "mrkdwn", "text": TEXT}},
    {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": "*Severity*\nSEV2"}, _plain("Plain *text*")],
        "accessory": {"type": "button", "action_id": "a1", "text": {"type": "plain_text", "text": "Side"}},
    },
    {"type": "divider"},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "context _note_"}]},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "a2", "style": "primary", "text": _plain("Go")},
            {
                "type": "static_select",
                "action_id": "a3",
                "placeholder": {"type": "plain_text", "text": "Pick"},
                "options": [{"text": {"type": "plain_text", "text": "One"}, "value": "1"}],
            },
            {"type": "timepicker", "action_id": "a4"},
        ],
    },
    {"type": "image", "image_url": "https://example.com/chart.png", "alt_text": "a chart"},
    {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "rich", "style": BOLD}]},
            {
                "type": "rich_text_list",
                "style": "bullet",
                "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "item"}]}],
            },
        ],
    },
    {"type": "video", "title": {"type": "plain_text", "text": "v"}},
]


async def test_every_block_is_drawn_and_text_is_escaped(page: Page, sandbox):
    world = sandbox.world
    world.slack.add_message(GENERAL, world.slack.bot_user_id, "fallback", blocks=BLOCKS)
    world.changes += 1
    pane = page.locator("#messages")
    await expect(pane.locator("h3")).to_have_text("INC-9 · Header")
    await expect(pane.locator("strong", has_text="Bold")).to_be_visible()
    for selector, text in (("em", "italic"), ("s", "gone"), ("code", "code"), ("blockquote", "a quote")):
        await expect(pane.locator(selector, has_text=text).first).to_be_visible()
    link = pane.get_by_role("link", name="a link")
    assert await link.get_attribute("href") == "https://example.com/x?a=1&b=2"
    for mention in ("@bob", "#status-updates", "@here"):
        await expect(pane.locator(".mention", has_text=mention)).to_be_visible()
    await expect(pane.locator("li", has_text="second")).to_be_visible()
    await expect(pane).to_contain_text("<script>alert(1)</script>")
    await expect(pane.locator(".fields")).to_contain_text("Plain *text*")
    await expect(pane.get_by_role("button", name="Side")).to_be_visible()
    await expect(pane.locator("hr")).to_have_count(1)
    await expect(pane.get_by_role("combobox", name="Pick")).to_be_visible()
    await expect(pane.get_by_role("img", name="a chart")).to_be_visible()
    await expect(pane.locator(".rich-text li")).to_have_text("item")
    placeholders = pane.locator(".placeholder")
    await expect(placeholders).to_have_text(
        ["[timepicker element — not shown in the sandbox]", "[video block — not shown in the sandbox]"]
    )

    await say(page, "<img src=x onerror=alert(1)> hello")  # a person's own message, drawn as text
    await expect(pane).to_contain_text("<img src=x onerror=alert(1)> hello")
    assert await pane.locator("img").count() == 1  # only the image block's
    assert [m.user for m in world.slack.messages(GENERAL)][-1] == ALICE


async def test_the_keyboard_is_enough(page: Page, sandbox):
    await page.focus("#say")
    await page.keyboard.type("/incident Login errors")
    await page.keyboard.press("Enter")
    modal = page.locator("#modal")
    await expect(modal).to_be_visible()
    await expect(page.get_by_label("Title", exact=True)).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("What happened", exact=True)).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(modal).to_be_hidden()
    assert sandbox.world.modals.top(ALICE, sandbox.world.slack) is None


async def test_a_template_override_is_previewed_with_its_checks(page: Page, sandbox):
    await page.get_by_role("button", name="Template preview").click()
    await page.get_by_label("Stage").select_option("update")
    source = page.get_by_label("Template (Jinja2", exact=False)
    await expect(source).to_have_value(re.compile(r"\*\*Update: \{\{ facts.headline \}\}\*\*"))
    await source.press("End")
    await source.fill(await source.input_value() + "\nWe think the vendor is at fault.")
    await page.get_by_role("button", name="Preview", exact=True).click()
    await expect(page.locator("#preview-text")).to_contain_text("Update: Checkout errors in EU")
    await expect(page.locator("#preview-checks")).to_contain_text("speculation: “We think”")
    download = page.get_by_role("link", name="Download override")
    assert await download.get_attribute("download") == "update.md.j2"
    async with page.expect_download() as saved:
        await download.click()
    assert "We think the vendor" in Path(await (await saved.value).path()).read_text()

    await source.fill("{{ incident.__class__ }} {{ facts.headline }")
    await page.get_by_role("button", name="Preview", exact=True).click()
    await expect(page.locator("#preview-error")).to_contain_text("TemplateSyntaxError")
