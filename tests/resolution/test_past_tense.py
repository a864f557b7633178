"""After resolution the facts are told as the past, with the incident window (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.resolution.past_tense import past_tense, started_since
from bot.resolution.window import window_text
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS
from tests.slack.flows import channel_of, declare

LIVE = {
    "what_happened": "Card payments fail at checkout for customers in the EU region since 09:12 UTC.",
    "customer_impact": "EU customers cannot complete purchases; about 30% of checkouts fail.",
}


@pytest.mark.parametrize(
    ("live", "past"),
    [
        (LIVE["what_happened"], "Card payments failed at checkout for customers in the EU region."),
        (
            LIVE["customer_impact"],
            "EU customers could not complete purchases; about 30% of checkouts failed.",
        ),
        ("Since 09:12 UTC, customers can't log in.", "Customers couldn't log in."),
        (
            "Logins are failing and the API is returning errors.",
            "Logins were failing and the API was returning errors.",
        ),
        ("Customers may see errors.", "Customers may see errors."),  # after a modal: left for the responder
        ("Customers see errors and the errors persist.", "Customers saw errors and the errors persist."),
    ],
)
def test_the_live_facts_are_retold_in_the_past_tense_where_that_is_safe(live, past):
    assert past_tense(live) == past


def test_an_open_since_names_when_the_impact_began():
    declared = datetime(2026, 12, 4, 9, 40, tzinfo=UTC)
    assert started_since(LIVE["what_happened"], declared) == declared.replace(hour=9, minute=12)
    assert started_since("Failing since 23:50 UTC", declared) == datetime(2026, 12, 3, 23, 50, tzinfo=UTC)
    assert started_since("Failing since 25:99", declared) is None
    assert started_since("Failing for an hour", declared) is None


def test_the_window_names_the_day_once_or_each_end_with_its_own():
    start = datetime(2026, 12, 4, 9, 12, tzinfo=UTC)
    assert (
        window_text(start, start.replace(hour=10, minute=55))
        == "Between 09:12 and 10:55 UTC on Fri 4 Dec 2026"
    )
    assert window_text(start.replace(hour=23), start + timedelta(hours=16)) == (
        "From 23:12 UTC on Fri 4 Dec 2026 to 01:12 UTC on Sat 5 Dec 2026"
    )


async def _resolve(bot, channel: str, values: dict | None = None):
    await bot.command("resolve", user=ALICE, channel=channel)
    view = bot.slack.opened_views[-1].view
    values = {"summary": "Rolled back the gateway deploy.", **(values or {})}
    return view, await bot.submit(view, values, user=ALICE)


def _initial(view: dict, block_id: str):
    element = next(b for b in view["blocks"] if b["block_id"] == block_id)["element"]
    return element.get("initial_value", element.get("initial_date_time"))


async def test_the_resolution_notice_reads_in_the_past_tense_with_the_window(bot, slack, clock):
    clock.set(datetime(2026, 12, 4, 9, 40, tzinfo=UTC))
    await declare(bot, commander=BOB, comms_owner=CAROL, **LIVE)
    clock.set(datetime(2026, 12, 4, 10, 55, tzinfo=UTC))

    view, reply = await _resolve(bot, channel_of(bot).id)

    assert reply.status == 200 and "errors" not in (reply.json() or {})
    assert (
        _initial(view, "impact")
        == "EU customers could not complete purchases; about 30% of checkouts failed."
    )
    assert _initial(view, "started_at") == int(datetime(2026, 12, 4, 9, 12, tzinfo=UTC).timestamp())
    notice = str(slack.messages(APPROVALS)[-1].blocks)
    assert "Between 09:12 and 10:55 UTC on Fri 4 Dec 2026" in notice
    assert "Card payments failed at checkout for customers in the EU region." in notice
    assert "could not complete purchases" in notice
    assert "cannot" not in notice and "since 09:12" not in notice


async def test_what_the_responder_writes_in_the_resolve_form_wins(bot, slack, clock):
    clock.set(datetime(2026, 12, 4, 9, 40, tzinfo=UTC))
    await declare(bot, **LIVE)
    clock.set(datetime(2026, 12, 4, 11, 0, tzinfo=UTC))
    started = int(datetime(2026, 12, 4, 8, 58, tzinfo=UTC).timestamp())
    told = {"started_at": started, "impact": "Some EU customers could not pay by card for two hours."}

    await _resolve(bot, channel_of(bot).id, told)

    notice = str(slack.messages(APPROVALS)[-1].blocks)
    assert "Between 08:58 and 11:00 UTC" in notice and "could not pay by card for two hours" in notice


async def test_impact_cannot_start_after_the_resolution(bot, slack, clock):
    await declare(bot, **LIVE)
    later = int((clock.now() + timedelta(minutes=30)).timestamp())

    _, reply = await _resolve(
        bot, channel_of(bot).id, {"started_at": later, "resolved_at": int(clock.now().timestamp())}
    )

    assert reply.json()["errors"] == {"started_at": "The impact cannot start after it was resolved."}


async def test_the_tense_check_flags_a_hand_edited_notice_back_in_the_present(bot, slack, clock):
    clock.set(datetime(2026, 12, 4, 9, 40, tzinfo=UTC))
    await declare(bot, **LIVE)
    clock.set(datetime(2026, 12, 4, 10, 55, tzinfo=UTC))
    await _resolve(bot, channel_of(bot).id)
    assert "tense:" not in str(slack.messages(APPROVALS)[-1].blocks)  # the retold facts pass

    await bot.click(slack.messages(APPROVALS)[-1], "draft_edit", user=ALICE)
    edited = {"impact": "EU customers cannot complete purchases since 09:12 UTC."}
    await bot.submit(slack.opened_views[-1].view, edited, user=ALICE)

    card = str(slack.messages(APPROVALS)[-1].blocks)
    assert "v2" in card and "tense: “cannot”" in card, card
