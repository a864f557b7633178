"""Follow-up after resolution: listed with buttons, completed, handed over, nagged when overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.sweeps import cadence_sweep
from tests.conftest import ALICE, BOB, CAROL, DAVE
from tests.policies import make_policy
from tests.resolution.test_resolve import APPROVALS, follow_ups, resolve
from tests.slack.flows import channel_of, declare

DAY = timedelta(days=1)


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, approvals={"approvers": [BOB, DAVE]})


async def resolved_incident(bot, **fields) -> str:
    await declare(bot, commander=BOB, comms_owner=CAROL, **fields)
    channel = channel_of(bot).id
    await resolve(bot, channel)
    return channel


async def listing(bot, channel: str, user: str = ALICE):
    await bot.command("followups", user=user, channel=channel)
    return bot.slack.ephemerals(user=user)[-1]


async def test_followups_lists_each_item_with_its_buttons(bot, slack, clock):
    channel = await resolved_incident(bot, named_accounts="Acme Corp")

    shown = await listing(bot, channel)

    text = str(shown.blocks)
    assert "INC-1 · follow-up (2 open)" in text
    assert "*Root-cause analysis* · <@UBOB> · due Mon 30 Nov 2026" in text
    assert "*Renewal-risk review: Acme Corp* · <@UCAROL>" in text
    buttons = [e["text"]["text"] for b in shown.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Complete", "Reassign / due date"] * 2


async def test_completing_the_rca_drafts_the_post_incident_message(bot, slack, clock):
    channel = await resolved_incident(bot)
    shown = await listing(bot, channel, user=BOB)

    await bot.click(shown, "follow_up_complete", user=BOB)
    form = slack.opened_views[-1].view
    assert [b["block_id"] for b in form["blocks"]] == [
        "root_cause",
        "corrective_actions",
        "preventive_measures",
        "window",
        "what_happened",
        "impact",
        "notes",
    ]
    await bot.submit(
        form,
        {
            "root_cause": "A configuration change disabled retries to the payment provider.",
            "corrective_actions": "We restored the configuration and replayed failed payments.",
            "preventive_measures": "Configuration changes now need a canary and a second reviewer.",
        },
        user=BOB,
    )

    [rca] = await follow_ups(bot)
    assert rca.status == "complete" and rca.completed_by == BOB
    assert "@bob completed *Root-cause analysis*" in slack.transcript(channel)
    review = slack.messages(APPROVALS)[-1]
    assert "Post-incident review" in str(review.blocks) or "Incident review" in str(review.blocks)
    assert "A configuration change disabled retries" in str(review.blocks)


async def test_the_rca_form_wants_every_answer(bot, slack, clock):
    channel = await resolved_incident(bot)
    await bot.click(await listing(bot, channel, user=BOB), "follow_up_complete", user=BOB)

    reply = await bot.submit(slack.opened_views[-1].view, {}, user=BOB)

    assert set(reply.json()["errors"]) == {"root_cause", "corrective_actions", "preventive_measures"}


async def test_other_items_complete_with_notes(bot, slack, clock):
    channel = await resolved_incident(bot, named_accounts="Acme Corp")
    shown = await listing(bot, channel, user=CAROL)
    risk = next(b for b in shown.blocks if b["type"] == "actions" and b["elements"][0]["value"] == "2")

    await bot.interact(
        {
            "type": "block_actions",
            "user": {"id": CAROL},
            "trigger_id": slack.issue_trigger_id(),
            "actions": [{**risk["elements"][0], "block_id": risk.get("block_id", "b")}],
        }
    )
    await bot.submit(
        slack.opened_views[-1].view, {"notes": "Account manager called Acme; no risk."}, user=CAROL
    )

    items = await follow_ups(bot)
    assert items[1].status == "complete" and items[1].notes == "Account manager called Acme; no risk."


async def test_reassigning_moves_owner_and_due_date_and_tells_the_new_owner(bot, slack, clock):
    channel = await resolved_incident(bot)
    await bot.click(await listing(bot, channel, user=BOB), "follow_up_change", user=BOB)

    await bot.submit(slack.opened_views[-1].view, {"owner": DAVE, "due_date": "2026-12-04"}, user=BOB)

    [rca] = await follow_ups(bot)
    assert rca.owner_id == DAVE and rca.due_at.date().isoformat() == "2026-12-04"
    dm = [c for c in slack.calls_to("chat.postMessage") if c.args["channel"] == DAVE][-1]
    assert "you own *Root-cause analysis*" in str(dm.args)


async def test_overdue_follow_ups_are_nagged_by_the_sweep_once_per_interval(bot, slack, clock):
    channel = await resolved_incident(bot)
    [rca] = await follow_ups(bot)

    assert await cadence_sweep(bot.core, rca.due_at - timedelta(minutes=1)) == 0
    await cadence_sweep(bot.core, rca.due_at)
    await cadence_sweep(bot.core, rca.due_at + timedelta(hours=1))
    await cadence_sweep(bot.core, rca.due_at + DAY)

    nags = [
        m for m in slack.messages(channel) if "is still open" in m.text or "is still open" in str(m.blocks)
    ]
    assert len(nags) == 2
    dms = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args["channel"] == BOB and "still open" in str(c.args)
    ]
    assert len(dms) == 2


async def test_digests_show_open_follow_ups_and_recently_resolved_incidents(bot, slack, clock):
    await resolved_incident(bot, named_accounts="Acme Corp")
    await declare(bot, "Search is slow")

    await bot.command("digest", user=ALICE, channel="CGENERAL")

    shown = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert "Incident digest · 1 live incident" in shown and "INC-2 · SEV2 · Search is slow" in shown
    assert "Resolved in the last 24 hours" in shown
    assert "INC-1 · SEV2 · Checkout errors in EU · resolved 2026-11-23 09:30 UTC · 2 open follow-ups" in shown


async def test_a_stale_reassign_form_does_not_overwrite_a_newer_reassignment(bot, slack, clock):
    channel = await resolved_incident(bot)
    await bot.click(await listing(bot, channel, user=BOB), "follow_up_change", user=BOB)
    stale = slack.opened_views[-1].view
    await bot.click(await listing(bot, channel, user=BOB), "follow_up_change", user=BOB)
    await bot.submit(slack.opened_views[-1].view, {"owner": DAVE, "due_date": "2026-12-04"}, user=BOB)

    reply = await bot.submit(stale, {"owner": CAROL, "due_date": "2026-12-07"}, user=BOB)

    assert reply.json()["errors"]["owner"].startswith("Someone changed this item's owner or due date")
    [rca] = await follow_ups(bot)
    assert rca.owner_id == DAVE and rca.due_at.date().isoformat() == "2026-12-04"
