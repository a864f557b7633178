"""HTTP that clients and proxies expect: revalidation by the served bytes (strong and weak tags),
gzip, Last-Modified, CORS on the API and feeds only, one cache whatever the Host, stable tag URIs."""

from __future__ import annotations

import gzip
import re

import feedparser
import pytest

from tests.conftest import BOB, CAROL
from tests.slack.flows import declare
from tests.status_page.helpers import approval_cards, channels, policy, public_story  # noqa: F401
from tests.status_page.test_status_page import get

# RFC 4151: "tag:" authorityName "," date ":" specific; authorityName a DNS name or an e-mail (no port)
TAG_URI = re.compile(
    r"^tag:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r",\d{4}(?:-\d{2}(?:-\d{2})?)?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$"
)


@pytest.fixture
def database(sqlite_template):
    """HTTP behaviour does not depend on the database; the page's data is tested on both."""
    return sqlite_template


PUBLIC = ("/status", "/status/feed.atom", "/api/v2/summary.json", "/api/v2/components.json")


async def raw(bot, method: str, path: str, **headers):
    async with bot.session.request(
        method, bot.base_url + path, headers=headers, auto_decompress=False
    ) as response:
        return response.status, response.headers.copy(), await response.read()


async def test_revalidation_follows_the_public_bytes_not_the_audit_trail(bot, slack):
    channel = await public_story(bot, slack)
    tags = {path: (await get(bot, path))[1]["ETag"] for path in PUBLIC}
    for path, tag in tags.items():
        assert (await get(bot, path, **{"If-None-Match": tag}))[0] == 304, path
        assert (await get(bot, path, **{"If-None-Match": f'"other", W/{tag}'}))[0] == 304, path

    await bot.command("snooze 15m", user=BOB, channel=channel)  # audited, but nothing public moved
    await declare(bot, "Payroll export leak", visibility="private")  # and a private incident
    for path, tag in tags.items():
        assert (await get(bot, path, **{"If-None-Match": tag}))[0] == 304, path

    await bot.command("update", user=CAROL, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"what_happened": "A fix is rolling out."}, user=CAROL)
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    for path, tag in list(tags.items())[:3]:  # components.json: no component in this policy, same bytes
        status, headers, _ = await get(bot, path, **{"If-None-Match": tag})
        assert status == 200 and headers["ETag"] != tag, path


async def same_bytes_and_atom_ids_for_any_host(bot) -> None:
    answers = [
        await raw(bot, "GET", path, Host=host) for host in ("a.example:8401", "b.example") for path in PUBLIC
    ]
    for one, other in zip(answers[: len(PUBLIC)], answers[len(PUBLIC) :], strict=True):
        assert one[2] == other[2] and one[1]["ETag"] == other[1]["ETag"]
        assert b"a.example" not in one[2]
    feed = feedparser.parse((await get(bot, "/status/feed.atom"))[2])
    assert not feed.bozo
    ids = [feed.feed.id, *(e.id for e in feed.entries)]
    assert all(TAG_URI.match(i) for i in ids), ids
    assert ids[1] == "tag:incident-comms.local,2026:status:incident-1:update-1"


async def test_gzip_last_modified_cors_only_where_public_and_any_host(bot, slack):
    await public_story(bot, slack)
    status, headers, body = await raw(bot, "GET", "/api/v2/summary.json", **{"Accept-Encoding": "gzip"})
    plain = await raw(bot, "GET", "/api/v2/summary.json", **{"Accept-Encoding": "identity"})

    assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == plain[2]
    assert "Content-Encoding" not in plain[1] and headers["ETag"] != plain[1]["ETag"]
    assert headers["Vary"] == "Accept-Encoding" and headers["Last-Modified"].endswith(" GMT")
    assert headers["Access-Control-Allow-Origin"] == "*" and "Access-Control-Allow-Credentials" not in headers
    for path in ("/api/v2/status.json", "/status/feed.atom", "/api/v2/incidents/inc-1.json"):
        assert (await raw(bot, "HEAD", path))[1]["Access-Control-Allow-Origin"] == "*", path
    preflight = {"Origin": "https://widget.example", "Access-Control-Request-Method": "GET"}
    for path in ("/api/v2/summary.json", "/status/feed.atom"):
        status, headers, _ = await raw(bot, "OPTIONS", path, **preflight)
        assert status == 204 and headers["Access-Control-Allow-Origin"] == "*", path
        assert "GET" in headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in (await raw(bot, "GET", "/status"))[1]
    for path in ("/slack/events", "/api/messages", "/healthz"):
        for method in ("OPTIONS", "GET", "POST"):
            headers = (await raw(bot, method, path, **preflight))[1]
            assert "Access-Control-Allow-Origin" not in headers, (method, path)
    async with bot.session.get(bot.metrics_url, headers={"Origin": "https://widget.example"}) as metrics:
        assert metrics.status == 200 and "Access-Control-Allow-Origin" not in metrics.headers
    assert (await get(bot, "/api/v2/incidents/inc-99.json"))[0] == 404
    await same_bytes_and_atom_ids_for_any_host(bot)


async def test_an_empty_page_has_last_modified_and_answers_304(bot):
    status, headers, _ = await get(bot, "/status")
    assert status == 200 and headers["Last-Modified"]
    assert (await get(bot, "/status", **{"If-Modified-Since": headers["Last-Modified"]}))[0] == 304
