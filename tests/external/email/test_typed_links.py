"""In an e-mail's subject, text and HTML parts, a typed link reads as its label and full URL."""

from __future__ import annotations

from tests.external.helpers import approve_last
from tests.typed_links import EVIL, SHOWN, declare_spoofed, relabelled


async def test_a_typed_link_is_plain_text_in_every_part_of_the_e_mail(bot, inbox):
    await declare_spoofed(bot)
    await approve_last(bot)
    await bot.core.external.deliver_due()

    [first, *_] = inbox.to("ops@one.example")
    html, text = first.part("html"), first.part("plain")
    for shown in (html, text, first.message["Subject"]):
        assert EVIL in shown and not relabelled(shown)
    assert SHOWN in html and SHOWN in text
