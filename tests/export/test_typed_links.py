"""In the exported plan (Markdown, HTML, JSON) a typed link reads as its label and full URL."""

from __future__ import annotations

from tests.conftest import BOB
from tests.export.conftest import approval_card, exporter
from tests.typed_links import EVIL, SHOWN, declare_spoofed, relabelled


async def test_a_typed_link_is_plain_text_in_every_export_format(bot, slack):
    await declare_spoofed(bot)
    await bot.click(approval_card(slack), "draft_approve", user=BOB)

    for fmt in ("md", "html", "json"):
        document = await exporter(bot).render(1, fmt)
        assert EVIL in document and not relabelled(document), fmt
        assert SHOWN in document, fmt
