"""Exactly once per Slack target under faults: the real app over signed HTTP against the emulator.

Each fault comes after Slack carried the call out (the message or channel exists) — a 500, a
dropped connection, an answer later than the client waits — or is a 429 storm longer than
slack_sdk's own retries. Whatever happens, every approved message is in each target once and
every incident has one channel: lost 0, duplicated 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.enums import OutboxStatus
from emulator.driver import SlackDriver
from emulator.slack import SlackEmulator
from storage.models import Incident, OutboxEntry
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, SUPPORT_ROUTE, make_policy
from tests.slack.flows import declare

UPDATES = "CUPDATES"
TIMEOUT = 1.0  # the client's timeout in these tests (15 s in production; shorter flakes on a loaded machine)
PACING = 0.1  # seconds between posts to one channel in these tests (1 s in production)
Fault = Callable[[SlackEmulator, str], None]


def _after_500(slack: SlackEmulator, method: str) -> None:
    slack.http_error_after(method, status=500)


def _after_reset(slack: SlackEmulator, method: str) -> None:
    slack.reset_after(method)


def _slow(slack: SlackEmulator, method: str) -> None:
    slack.slow_answer(method, TIMEOUT * 2)


def _storm(slack: SlackEmulator, method: str) -> None:
    slack.rate_limit_next(method, retry_after=0, times=4)  # one more than the client's own retries


FAULTS: dict[str, Fault] = {
    "500 after stored": _after_500,
    "reset after stored": _after_reset,
    "timeout": _slow,
    "429 storm": _storm,
}


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        approvals={"approvers": [ALICE, BOB, CAROL]},
        messages={"support_route": SUPPORT_ROUTE},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", UPDATES)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


@pytest.fixture(autouse=True)
async def quick(bot: SlackDriver) -> None:
    """Settings that keep these tests short: the app's one client waits TIMEOUT for an answer
    (so a slow answer is a timeout), and posts to one channel are paced PACING apart (1 s)."""
    client = bot.core.publisher.platform.default.client
    await client.close_session()
    client.timeout = TIMEOUT
    await client.open_session()
    bot.core.publisher.pacer.interval = PACING


async def _sweep_until_settled(bot: SlackDriver, clock, rounds: int = 4) -> list[OutboxEntry]:
    """Run the delivery sweep as the scheduler would, a minute apart, until nothing is pending."""
    for _ in range(rounds):
        entries = await _entries(bot)
        if entries and all(e.status != OutboxStatus.PENDING for e in entries):
            return entries
        clock.advance(timedelta(minutes=1))
        await bot.core.publisher.deliver_due()
    return await _entries(bot)


async def _entries(bot: SlackDriver) -> list[OutboxEntry]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(OutboxEntry))).all())


def _marked(slack: SlackEmulator) -> Counter[str]:
    """How many copies of each outbox entry (by its marker) the workspace's channels hold."""
    copies: Counter[str] = Counter()
    for channel_id in slack.workspace.channels:
        for message in slack.messages(channel_id):
            marker = ((message.metadata or {}).get("event_payload") or {}).get("marker")
            if marker:
                copies[marker] += 1
    return copies


def _incident_channels(slack: SlackEmulator) -> list[str]:
    return [c.id for c in slack.workspace.channels.values() if c.name.startswith("inc-")]


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_an_approved_update_reaches_each_target_once(bot, slack, clock, fault: Fault):
    await declare(bot)
    fault(slack, "chat.postMessage")

    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)
    entries = await _sweep_until_settled(bot, clock)

    copies = _marked(slack)
    expected = {f"outbox:{e.id}" for e in entries}
    lost, duplicated = expected - set(copies), {m: n for m, n in copies.items() if n > 1}
    assert (len(entries), lost, duplicated) == (2, set(), {})  # the customer channel and the incident's
    assert all(e.status == OutboxStatus.DELIVERED for e in entries)
    lookups = slack.calls_to("conversations.history")  # within the limits of a non-Marketplace app
    assert all(int(c.args["limit"]) <= 15 for c in lookups) and len(lookups) <= 2


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_declaring_creates_one_channel(bot, slack, fault: Fault):
    fault(slack, "conversations.create")

    await declare(bot)

    [channel_id] = _incident_channels(slack)  # no `-2`: channels duplicated 0, lost 0
    assert slack.channel(channel_id).name == "inc-1-checkout-errors-in-eu"
    async with bot.core.db.read() as session:
        [incident] = (await session.exec(select(Incident))).all()
    assert incident.channel_id == channel_id
    intros = [m for m in slack.messages(channel_id) if m.pinned]
    assert len(intros) == 1


async def test_a_rate_limited_history_lookup_keeps_the_entry_in_doubt(bot, slack, clock):
    """A 429 on conversations.history says nothing about the post: the next attempt still looks."""
    await declare(bot)
    _after_500(slack, "chat.postMessage")  # one target's post landed, its answer did not
    slack.rate_limit_next("conversations.history", retry_after=0, times=4)  # beyond the client's retries

    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)
    entries = await _sweep_until_settled(bot, clock)

    assert sorted(_marked(slack).values()) == [1, 1] and len(entries) == 2
    assert len(slack.calls_to("conversations.history")) == 5  # 4 refused, then the copy found
