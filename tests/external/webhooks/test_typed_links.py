"""A webhook's text is Markdown in which a typed link or tag is text; only the bot's links are links."""

from __future__ import annotations

from tests.external.helpers import approve_last
from tests.typed_links import EVIL, SHOWN, declare_spoofed, relabelled


async def test_a_typed_link_or_tag_in_a_webhooks_text_stays_text(bot, receiver):
    await declare_spoofed(bot, customer_impact=f'<a href="{EVIL}">the workaround</a> <{EVIL}>')
    await approve_last(bot)
    await bot.core.external.deliver_due()

    [hit] = receiver.of("mirror")
    text, title = hit.body["message"]["text"], hit.body["incident"]["title"]
    assert EVIL in text and not relabelled(text) and not relabelled(title)
    assert SHOWN in text and SHOWN in title
    assert f'&lt;a href="{EVIL}"&gt;the workaround&lt;/a&gt; &lt;{EVIL}&gt;' in text  # shown as typed
    assert "\ue000" not in text and "\ue002" not in text  # no internal markers leave
