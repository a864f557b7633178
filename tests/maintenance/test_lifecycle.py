"""A maintenance from the form to completion, on a moving clock: approved before anything is
published, announced, the owner reminded, started and completed at its times, each once."""

from __future__ import annotations

from datetime import timedelta

import jsonschema
import pytest

from bot.services.sweeps import cadence_sweep
from bot.slo.report import build_report
from bot.status_page.statuspage_json import MAINTENANCE_DOCUMENTS
from tests.conftest import ALICE, BOB, GENERAL
from tests.maintenance.helpers import (
    IMPACT,
    card,
    component_statuses,
    dms,
    document,
    maintenances,
    page,
    posts,
    schedule,
)
from tests.maintenance.schema import schema

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the races run on both


async def _announced_everywhere(bot, slack, start) -> None:
    upcoming = await maintenances(bot, "upcoming")
    assert [(m["status"], m["name"]) for m in upcoming] == [("scheduled", "Database upgrade")]
    assert upcoming[0]["scheduled_for"] == start.isoformat().replace("+00:00", "Z")
    assert [u["status"] for u in upcoming[0]["incident_updates"]] == ["scheduled"]
    summary = await document(bot, "/api/v2/summary.json")
    assert [m["id"] for m in summary["scheduled_maintenances"]] == [upcoming[0]["id"]]
    assert summary["incidents"] == []  # the maintenance's host incident is never an incident
    assert "Scheduled maintenance" in await page(bot)
    await bot.command("digest", user=BOB, channel=GENERAL)  # lists what starts within 7 days
    assert "Maintenance in the next 7 days" in str(slack.responses()[-1])
    assert "Resolved in the last" not in str(slack.responses()[-1])  # the host incident is no incident


async def _completed_everywhere(bot, clock) -> None:
    listed = await maintenances(bot)
    assert [(m["status"], len(m["incident_updates"])) for m in listed] == [("completed", 3)]
    async with bot.session.get(bot.base_url + "/status/feed.atom") as response:
        feed = await response.text()
    assert feed.count(":maintenance-") == 3
    now = clock.now()
    report = await build_report(
        bot.core.db,
        bot.core.policy,
        bot.core.cards.ref,
        since=now - timedelta(days=1),
        until=now,
        include_private=True,
    )
    assert report.incidents == ()  # the comms SLO report measures incidents, not planned work
    first_updates = [s for m in bot.core.metrics.first_update.collect() for s in m.samples]
    assert not [s for s in first_updates if s.name.endswith("_count") and s.value], "nor do the metrics"


@SQLITE
async def test_schedule_approve_announce_remind_start_complete(bot, slack, clock):
    start = clock.now() + timedelta(hours=3)
    await schedule(bot, start)
    assert posts(slack) == []  # nothing public before approval
    assert await maintenances(bot) == []
    pending = card(slack)
    assert "Announcement" in str(pending.blocks) and "Database upgrade" in str(pending.blocks)

    await bot.click(pending, "maintenance_approve", user=ALICE)  # the author cannot approve it
    assert posts(slack) == []
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    assert len(posts(slack)) == 1 and "Scheduled maintenance" in posts(slack)[0]
    assert IMPACT in posts(slack)[0] and f"{start:%H:%M}–" in posts(slack)[0]  # the window submitted
    await _announced_everywhere(bot, slack, start)

    clock.advance(timedelta(hours=2, minutes=1))  # 59 minutes before the start
    await cadence_sweep(bot.core)
    await cadence_sweep(bot.core)
    assert len([t for t in dms(slack, ALICE) if "starts soon" in t]) == 1
    assert len(posts(slack)) == 1

    clock.advance(timedelta(hours=1))
    await cadence_sweep(bot.core)
    await cadence_sweep(bot.core)
    assert len(posts(slack)) == 2 and "Maintenance in progress" in posts(slack)[1]
    assert await component_statuses(bot) == {"api": "under_maintenance", "dashboard": "operational"}
    active = await maintenances(bot, "active")
    assert [m["status"] for m in active] == ["in_progress"]
    assert [u["status"] for u in active[0]["incident_updates"]] == ["in_progress", "scheduled"]
    assert await maintenances(bot, "upcoming") == []
    for name in ("summary.json", *MAINTENANCE_DOCUMENTS):  # in progress, and one update
        jsonschema.validate(await document(bot, f"/api/v2/{name}"), schema(name))

    clock.advance(timedelta(hours=2))
    await cadence_sweep(bot.core)
    await cadence_sweep(bot.core)
    assert len(posts(slack)) == 3 and "Maintenance complete" in posts(slack)[2]
    assert await component_statuses(bot) == {"api": "operational", "dashboard": "operational"}
    await _completed_everywhere(bot, clock)


@SQLITE
async def test_the_form_refuses_a_window_that_ends_before_it_starts(bot, slack, clock):
    start = clock.now() + timedelta(hours=3)
    await bot.command("help", user=ALICE, channel=GENERAL)
    assert "/incident maintenance [title]" in str(slack.responses()[-1])  # the help names it
    await bot.command("maintenance", user=ALICE, channel="CGENERAL")
    view = slack.opened_views[-1].view
    reply = await bot.submit(
        view,
        {"title": "Upgrade", "starts_at": int(start.timestamp()), "ends_at": int(start.timestamp()) - 60},
        user=ALICE,
    )
    assert reply.json()["response_action"] == "errors"
    assert "ends_at" in reply.json()["errors"]
    past = {"title": "Upgrade", "starts_at": int(clock.now().timestamp()) - 60}
    reply = await bot.submit(view, {**past, "ends_at": int(start.timestamp())}, user=ALICE)
    assert "starts_at" in reply.json()["errors"]


@SQLITE
async def test_cancelled_before_the_start_with_its_own_approved_text(bot, slack, clock):
    await schedule(bot, clock.now() + timedelta(hours=3))
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    await bot.click(card(slack), "maintenance_cancel", user=ALICE)
    await bot.submit(slack.opened_views[-1].view, {}, user=ALICE)  # the prefilled cancellation text
    assert len(posts(slack)) == 1 and len(await maintenances(bot)) == 1  # nothing before approval
    assert "Approve change" in str(card(slack).blocks)
    await bot.click(card(slack), "maintenance_approve", user=ALICE)  # who asked cannot approve it
    assert len(posts(slack)) == 1
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    assert len(posts(slack)) == 2 and "Maintenance cancelled" in posts(slack)[1]
    assert await maintenances(bot) == []
    clock.advance(timedelta(hours=6))
    await cadence_sweep(bot.core)
    assert len(posts(slack)) == 2
    assert "maintenance_approve" not in str(card(slack).blocks) and "Cancelled" in str(card(slack).blocks)


@SQLITE
async def test_extended_while_in_progress_it_ends_at_the_new_end(bot, slack, clock):
    start = clock.now() + timedelta(minutes=30)
    await schedule(bot, start, hours=1)
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    clock.advance(timedelta(minutes=31))
    await cadence_sweep(bot.core)
    await bot.command("maintenance extend 1", user=ALICE, channel=GENERAL)
    new_end = start + timedelta(hours=2)
    await bot.submit(slack.opened_views[-1].view, {"ends_at": int(new_end.timestamp())}, user=ALICE)
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    assert len(posts(slack)) == 3 and f"–{new_end:%H:%M} UTC" in posts(slack)[2]
    clock.advance(timedelta(minutes=40))  # the planned end passed: still in progress
    await cadence_sweep(bot.core)
    assert [m["status"] for m in await maintenances(bot)] == ["in_progress"]
    assert (await maintenances(bot))[0]["scheduled_until"] == new_end.isoformat().replace("+00:00", "Z")
    clock.advance(timedelta(hours=1, minutes=20))  # past the new end
    await cadence_sweep(bot.core)
    assert len(posts(slack)) == 4 and f"–{new_end:%H:%M} UTC" in posts(slack)[3]
    assert [u["status"] for u in (await maintenances(bot))[0]["incident_updates"]] == [
        "completed",
        "in_progress",
        "in_progress",
        "scheduled",
    ]


@SQLITE
async def test_blocking_findings_in_a_text_stop_the_approval(bot, slack, clock):
    pii = "Call Jane Doe on +44 7700 900123 if the API is read-only for you. Support: support@example.com."
    await schedule(bot, clock.now() + timedelta(hours=3), text_started=pii)
    assert "(blocking: fix before approval)" in str(card(slack).blocks)
    await bot.click(card(slack), "maintenance_approve", user=BOB)
    assert posts(slack) == [] and "blocking findings" in str(slack.responses() + dms(slack, BOB))
    assert await maintenances(bot) == []
