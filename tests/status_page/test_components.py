"""Components on the status page: a public status moves only with an approved broad-customer
message of a public incident, returns to operational with the approved resolution notice, and
the 90-day strip remembers the worst approved status of each day."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import ALICE, BOB, CAROL
from tests.policies import make_policy
from tests.slack.flows import channel_of, declare
from tests.status_page.helpers import (  # noqa: F401 (fixtures)
    ACME,
    APPROVALS,
    LEADS,
    SECRET_ACCOUNT,
    UPDATES,
    approval_cards,
    channels,
)
from tests.status_page.test_status_page import get

COMPONENTS = {
    "api": {"name": "Public API", "group": "Platform", "order": 1, "description": "REST and webhooks"},
    "dashboard": {"name": "Dashboard", "group": "Platform", "order": 2},
    "payments": {"name": "Card payments", "order": 3},
    "sso": {"name": "Single sign-on", "order": 4, "only_show_if_degraded": True},
}


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES], "internal_updates": [LEADS]},
        accounts={SECRET_ACCOUNT: {"channels": [ACME]}},
        status_page={"name": "Example status", "components": COMPONENTS},
    )


async def statuses(bot) -> dict[str, str]:
    document = json.loads((await get(bot, "/api/v2/components.json"))[2])
    return {c["id"]: c["status"] for c in document["components"]}


async def approve_last(bot, slack, where: str = APPROVALS) -> None:
    card = [m for m in slack.messages(where) if "draft_approve" in str(m.blocks)][-1]
    await bot.click(card, "draft_approve", user=BOB)


async def update(bot, channel: str, audience: str, components: list[str], status: str) -> None:
    await bot.command("update", user=CAROL, channel=channel)
    values = {"audience": audience, "what_happened": "We moved traffic away from the failing cluster."}
    values |= {"components": components, "component_status": status}
    await bot.submit(bot.slack.opened_views[-1].view, values, user=CAROL)


async def named_account_and_private_messages_move_nothing(bot, slack, channel: str) -> None:
    await update(bot, channel, f"named_account:{SECRET_ACCOUNT}", ["payments"], "major_outage")
    await approve_last(bot, slack)
    await declare(
        bot, "Payroll export leak", visibility="private", components=["sso"], component_status="major_outage"
    )
    await approve_last(bot, slack, channel_of(bot, 2).id)
    now = await statuses(bot)
    assert now["payments"] == now["sso"] == "operational"  # a named account's, a private incident's


async def test_components_move_only_with_approved_public_customer_messages(bot, slack):
    picked = {"components": ["api", "dashboard"], "component_status": "partial_outage"}
    await declare(bot, "API errors", named_accounts=SECRET_ACCOUNT, **picked)
    channel = channel_of(bot).id
    slack.join(channel, CAROL)
    operational = {c: "operational" for c in COMPONENTS} | {"group-platform": "operational"}
    assert await statuses(bot) == operational  # the initial notice is not approved yet

    await approve_last(bot, slack)
    after_notice = await statuses(bot)
    assert {after_notice[c] for c in ("api", "dashboard", "group-platform")} == {"partial_outage"}

    await update(bot, channel, "customer:customers", ["api"], "degraded_performance")
    assert (await statuses(bot))["api"] == "partial_outage"  # pending
    await approve_last(bot, slack)
    assert await statuses(bot) == operational | {
        "api": "degraded_performance",
        "group-platform": "degraded_performance",
    }

    await named_account_and_private_messages_move_nothing(bot, slack, channel)

    summary = json.loads((await get(bot, "/api/v2/summary.json"))[2])
    [incident] = summary["incidents"]
    assert [c["id"] for c in incident["components"]] == ["api", "dashboard"]
    newest = incident["incident_updates"][0]["affected_components"]
    assert [tuple(c.values()) for c in newest] == [
        ("api", "Public API", "partial_outage", "degraded_performance"),
        ("dashboard", "Dashboard", "partial_outage", "operational"),
    ]
    html = (await get(bot, "/status"))[2]
    assert "Public API" in html and "Degraded performance" in html and "Single sign-on" not in html

    await bot.command("resolve", user=ALICE, channel=channel)
    await bot.submit(
        slack.opened_views[-1].view, {"summary": "Fixed.", "customer_text": "All good."}, user=ALICE
    )
    assert (await statuses(bot))["api"] == "degraded_performance"  # the notice is not approved yet
    await approve_last(bot, slack)
    assert await statuses(bot) == operational


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # a computation: one database is enough
async def test_the_uptime_strip_keeps_the_worst_approved_status_of_each_day(bot, slack, clock):
    await declare(bot, "Payments down", components=["payments"], component_status="major_outage")
    channel = channel_of(bot).id
    slack.join(channel, CAROL)
    await approve_last(bot, slack)
    first_day = clock.now().date()
    clock.advance(timedelta(days=1))
    await update(bot, channel, "customer:customers", ["payments"], "degraded_performance")
    await approve_last(bot, slack)
    clock.advance(timedelta(days=1))
    await bot.command("resolve", user=ALICE, channel=channel)
    await bot.submit(
        slack.opened_views[-1].view, {"summary": "Fixed.", "customer_text": "All good."}, user=ALICE
    )
    await approve_last(bot, slack)
    clock.advance(timedelta(days=60))

    html = (await get(bot, "/status"))[2]
    strip = html.split('id="component-payments"')[1].split("</li>")[0]
    cells = strip.count("<i class=")
    assert cells == 90
    days = [first_day + timedelta(days=n) for n in range(3)]
    assert f'title="{days[0].isoformat()}: Major outage"' in strip
    assert f'title="{days[1].isoformat()}: Major outage"' in strip  # until the update that day
    assert f'title="{days[2].isoformat()}: Degraded performance"' in strip  # until the notice that day
    assert f'title="{(days[2] + timedelta(days=1)).isoformat()}: No incidents"' in strip
    text = f"Major outage on {days[1].isoformat()}; Degraded performance on {days[2].isoformat()}."
    assert text in strip  # what a screen reader reads instead of the coloured cells
    assert (await statuses(bot))["payments"] == "operational"
