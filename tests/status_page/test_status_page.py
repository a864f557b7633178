"""The status page, JSON API and feed show approved customer messages only; caching with 304."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser

from bot.status_page.data import last_public_change
from bot.status_page.statuspage_json import iso
from tests.conftest import ALICE, BOB, CAROL
from tests.status_page.helpers import (  # noqa: F401
    APPROVALS,
    SECRET_ACCOUNT,
    approval_cards,
    channels,
    policy,
    public_story,
)

FORBIDDEN = (
    "INTERNAL-ONLY",
    "ACCOUNT-ONLY",
    "REJECTED-TEXT",
    "PENDING-TEXT",
    SECRET_ACCOUNT,
    "Payroll",
    "Self-serve",
)


async def get(bot, path: str, **headers):
    async with bot.session.get(bot.base_url + path, headers=headers) as response:
        return response.status, response.headers.copy(), await response.text()


async def test_the_page_shows_only_approved_customer_messages_of_public_incidents(bot, slack):
    await public_story(bot, slack)

    status, headers, html = await get(bot, "/status")

    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="en">' in html and "Example status" in html
    assert "Partial System Outage" in html and "Incidents in progress" in html
    assert "Card payments fail at checkout" in html  # the approved initial notice
    assert "Affects: EU region" in html
    for text in FORBIDDEN:
        assert text not in html, text
    for path in ("/api/v2/summary.json", "/api/v2/incidents.json", "/status/feed.atom"):
        body = (await get(bot, path))[2]
        for text in FORBIDDEN:
            assert text not in body, (path, text)


async def test_the_json_api_speaks_statuspage(bot, slack):
    await public_story(bot, slack)

    status = json.loads((await get(bot, "/api/v2/status.json"))[2])
    summary = json.loads((await get(bot, "/api/v2/summary.json"))[2])
    unresolved = json.loads((await get(bot, "/api/v2/incidents/unresolved.json"))[2])

    assert status["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert status["page"]["name"] == "Example status" and status["page"]["time_zone"] == "Etc/UTC"
    [incident] = summary["incidents"]
    assert incident["status"] == "investigating" and incident["impact"] == "major"
    assert incident["name"] == "Service disruption"  # the approved headline: the title names the account
    [update] = incident["incident_updates"]
    assert update["status"] == "investigating" and "Card payments fail at checkout" in update["body"]
    assert set(summary) == {"page", "components", "incidents", "scheduled_maintenances", "status"}
    assert unresolved["incidents"] == summary["incidents"]


async def test_resolution_and_review_move_the_incident_to_history(bot, slack, clock):
    channel = await public_story(bot, slack)
    await bot.command("resolve", user=ALICE, channel=channel)  # bob approves: he must not author it
    values = {"summary": "Fixed.", "customer_text": "All good again."}
    await bot.submit(slack.opened_views[-1].view, values, user=ALICE)

    before = json.loads((await get(bot, "/api/v2/status.json"))[2])
    assert before["status"]["indicator"] == "major"  # customers were not told yet: not approved
    pending = [m for m in approval_cards(slack) if "Resolution notice" in str(m.blocks)][-1]
    await bot.click(pending, "draft_approve", user=BOB)

    after = json.loads((await get(bot, "/api/v2/status.json"))[2])
    incidents = json.loads((await get(bot, "/api/v2/incidents.json"))[2])["incidents"]
    html = (await get(bot, "/status"))[2]
    assert after["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert incidents[0]["status"] == "resolved" and incidents[0]["resolved_at"]
    assert [u["status"] for u in incidents[0]["incident_updates"]] == ["resolved", "investigating"]
    assert "Past incidents" in html and "All good again." in html and "Incidents in progress" not in html
    async with (
        bot.core.db.read() as session
    ):  # what the page's updated_at falls back to once nothing is listed
        newest = await last_public_change(session)
    assert iso(newest) == incidents[0]["updated_at"]


async def test_the_feed_is_valid_atom_with_stable_ids(bot, slack):
    await public_story(bot, slack)

    first = feedparser.parse((await get(bot, "/status/feed.atom"))[2])
    again = feedparser.parse((await get(bot, "/status/feed.atom"))[2])

    assert not first.bozo, first.bozo_exception
    assert first.feed.title == "Example status"
    [entry] = first.entries
    assert entry.id == again.entries[0].id and entry.id.startswith("tag:")
    assert "Card payments fail at checkout" in entry.summary and entry.title.startswith("Investigating: ")


async def test_user_text_is_escaped_on_the_page(bot, slack):
    await public_story(bot, slack)
    channel = (await bot.core.incidents.get(1)).channel_id
    await bot.command("update", user=CAROL, channel=channel)
    await bot.submit(
        slack.opened_views[-1].view, {"what_happened": "<script>alert(1)</script> & co"}, user=CAROL
    )
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)

    html = (await get(bot, "/status"))[2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)</script>" not in html


async def test_a_correction_shows_the_new_text_and_moves_the_feed_entry(bot, slack, clock):
    await public_story(bot, slack)
    before = feedparser.parse((await get(bot, "/status/feed.atom"))[2]).entries[0]
    initial = next(m for m in approval_cards(slack) if "Initial notice" in str(m.blocks))
    clock.advance(timedelta(minutes=20))

    await bot.click(initial, "message_correct", user=CAROL)
    await bot.submit(slack.opened_views[-1].view, {"impact": "Only Visa card payments fail."}, user=CAROL)
    card = next(m for m in slack.messages(APPROVALS) if m.ts == initial.ts)  # the same card, updated
    await bot.click(card, "draft_approve", user=BOB)

    after = feedparser.parse((await get(bot, "/status/feed.atom"))[2]).entries[0]
    html = (await get(bot, "/status"))[2]
    assert after.id == before.id and after.updated_parsed > before.updated_parsed
    assert "Only Visa card payments fail." in after.summary and "Only Visa card payments fail." in html
    assert "corrected" in html
