"""Scheduling a maintenance through Slack, and reading what it published."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from tests.conftest import ALICE, GENERAL
from tests.policies import APPROVALS, make_policy

UPDATES = "CUPDATES"
COMPONENTS = {
    "api": {"name": "Public API", "order": 1},
    "dashboard": {"name": "Dashboard", "order": 2},
}
IMPACT = "The API is read-only during the window; writes return 503 and can be retried afterwards."


def maintenance_policy(tmp_path, **maintenance):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        status_page={"name": "Example status", "components": COMPONENTS},
        maintenance={"reminder_before": "1h", **maintenance},
    )


async def schedule(bot, start: datetime, hours: int = 2, *, user: str = ALICE, **values) -> dict:
    """`/incident maintenance Database upgrade`, then submit the window; returns the opened view."""
    reply = await bot.command("maintenance Database upgrade", user=user, channel=GENERAL)
    assert reply.status == 200
    view = bot.slack.opened_views[-1].view
    typed = {
        "starts_at": int(start.timestamp()),
        "ends_at": int((start + timedelta(hours=hours)).timestamp()),
        "components": ["api"],
        "expected_impact": IMPACT,
        **values,
    }
    submitted = await bot.submit(view, typed, user=user)
    assert submitted.status == 200, submitted.text
    return view


def card(slack):
    return [m for m in slack.messages(APPROVALS) if "maintenance MNT-" in m.text][-1]


def posts(slack, channel: str = UPDATES) -> list[str]:
    """Each post's summary line and its blocks' text."""
    return [m.text + "\n" + json.dumps(m.blocks, ensure_ascii=False) for m in slack.messages(channel)]


async def document(bot, path: str) -> dict:
    async with bot.session.get(bot.base_url + path) as response:
        assert response.status == 200
        return json.loads(await response.text())


async def maintenances(bot, which: str = "") -> list[dict]:
    """`scheduled-maintenances.json`, or its `upcoming` / `active` part."""
    path = "/api/v2/scheduled-maintenances" + (f"/{which}" if which else "") + ".json"
    return (await document(bot, path))["scheduled_maintenances"]


async def component_statuses(bot) -> dict[str, str]:
    return {c["id"]: c["status"] for c in (await document(bot, "/api/v2/components.json"))["components"]}


def dms(slack, user: str) -> list[str]:
    return [
        c.args.get("text", "") for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == user
    ]


async def page(bot) -> str:
    async with bot.session.get(bot.base_url + "/status") as response:
        return await response.text()
