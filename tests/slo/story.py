"""One scripted incident with known timestamps, played through the real app, for the comms SLO tests.

SEV2 (cadence 1h, first update within 30m), declared 09:30 by Alice, Carol the comms owner, Bob
approves:

- 09:30 the initial notice is drafted; 09:34 Bob rejects it;
- 09:35 Carol drafts an update (promising 10:35); 09:42 Bob approves: first update 12m;
- 10:50 Carol drafts one (promising 11:50); 10:52 approved: 17m late;
- 11:00 resolved; 11:05 the resolution notice approved: on time;
- 11:20 reopened; 11:30 an update (promising 12:30); 11:40 approved: no promise stood, not counted;
- 12:00 resolved again; 12:10 its resolution notice approved: on time, 10m after the resolution.

Approvals took 7m, 2m, 5m, 10m and 10m; one draft was rejected.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS
from tests.slack.flows import channel_of, declare

DAY = datetime(2026, 11, 23, tzinfo=UTC)


def at(hour: int, minute: int) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


def last_card(slack):
    return slack.messages(APPROVALS)[-1]


async def draft_update(bot, channel: str, what: str) -> None:
    await bot.command("update", user=CAROL, channel=channel)
    view = bot.slack.opened_views[-1].view
    await bot.submit(view, {"audience": "customer:customers", "what_happened": what}, user=CAROL)


async def approve(bot, slack) -> None:
    await bot.click(last_card(slack), "draft_approve", user=BOB)


async def resolve(bot, channel: str) -> None:
    await bot.command("resolve", user=ALICE, channel=channel)
    values = {"summary": "Rolled back the gateway deploy.", "customer_text": "Payments work normally again."}
    await bot.submit(bot.slack.opened_views[-1].view, values, user=ALICE)


async def play(bot, slack, clock) -> str:
    """The story above; returns the incident channel."""
    clock.set(at(9, 30))
    await declare(bot, commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    slack.join(channel, CAROL)
    clock.set(at(9, 34))
    await bot.click(last_card(slack), "draft_reject", user=BOB)
    await bot.submit(slack.opened_views[-1].view, {"reason": "Say when the next update comes."}, user=BOB)
    for drafted, approved, text in (
        (at(9, 35), at(9, 42), "Card payments fail at checkout for EU customers."),
        (at(10, 50), at(10, 52), "A fix is being deployed to the payment gateway."),
    ):
        clock.set(drafted)
        await draft_update(bot, channel, text)
        clock.set(approved)
        await approve(bot, slack)
    await _resolve_and_notify(bot, slack, channel, at(11, 0), at(11, 5))
    clock.set(at(11, 20))
    await bot.command("reopen", user=ALICE, channel=channel)
    clock.set(at(11, 30))
    await draft_update(bot, channel, "Some payments fail again; we are rolling back.")
    clock.set(at(11, 40))
    await approve(bot, slack)
    await _resolve_and_notify(bot, slack, channel, at(12, 0), at(12, 10))
    return channel


async def _resolve_and_notify(bot, slack, channel: str, resolved: datetime, approved: datetime) -> None:
    bot.core.clock.set(resolved)
    await resolve(bot, channel)
    bot.core.clock.set(approved)
    await approve(bot, slack)
