"""An Atom feed per component: only the incidents whose approved updates announced it."""

from __future__ import annotations

import pytest

from tests.subscriptions.conftest import get
from tests.subscriptions.test_flow import incident


@pytest.fixture
def database(sqlite_template):
    return sqlite_template


async def test_each_component_has_its_own_feed(bot):
    await incident(bot, "API errors", "api")
    await incident(bot, "Payments failing", "payments")

    status, api = await get(bot, "/status/components/api/feed.atom")
    assert status == 200 and "API errors" in api and "Payments failing" not in api
    assert "<title>Example status: Public API</title>" in api
    assert 'href="https://status.example.test/status/components/api/feed.atom"' in api
    _, payments = await get(bot, "/status/components/payments/feed.atom")
    assert "Payments failing" in payments and "API errors" not in payments
    assert "Card &lt;payments&gt;" in payments
    _, everything = await get(bot, "/status/feed.atom")
    assert "API errors" in everything and "Payments failing" in everything
    assert (await get(bot, "/status/components/nope/feed.atom"))[0] == 404
