"""On the status page, its Atom feed and its JSON, a typed link is text; the support route's is live."""

from __future__ import annotations

import feedparser
import pytest

from tests.conftest import BOB
from tests.policies import make_policy
from tests.status_page.helpers import SECRET_ACCOUNT, UPDATES, approval_cards, channels  # noqa: F401
from tests.status_page.test_status_page import get
from tests.typed_links import EVIL, SHOWN, declare_spoofed, relabelled

PORTAL = "https://support.example.com/help"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        accounts={SECRET_ACCOUNT: {"channels": ["CACME"]}},
        messages={"support_route": f"Write to [our support portal]({PORTAL})."},
        status_page={"name": "Example status"},
    )


async def test_a_typed_link_is_plain_text_on_the_page_the_feed_and_the_api(bot, slack):
    await declare_spoofed(bot)
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)

    page = (await get(bot, "/status"))[2]
    feed = (await get(bot, "/status/feed.atom"))[2]
    api = (await get(bot, "/api/v2/incidents.json"))[2]

    for shown in (page, feed, api):
        assert EVIL in shown and not relabelled(shown)
    assert SHOWN in page and SHOWN in api
    [entry] = feedparser.parse(feed).entries
    assert SHOWN in entry.title and SHOWN in entry.summary and not relabelled(entry.summary)
    assert f'<a href="{PORTAL}">our support portal</a>' in page
