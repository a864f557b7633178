"""What a responder feels, at real Slack latency: trigger → form, Declare → channel ready, Approve →
the last of 50 customer channels. Run by benchmarks/journeys.py, which prints the figures.

Times come from the emulator's record of each call (taken when Slack carries it out, half a
round trip after it was sent: emulator/slack/latency.py), against bounds computed from the
same run's measured round trip (`rtt`) and the number of calls that must wait for each other:

- trigger → views.open received: rtt/2 (the call must reach Slack; nothing may come before it);
- Declare → channel ready (members invited, intro pinned): create (rtt) → post the intro (rtt)
  → pins.add reaches Slack (rtt/2): 2.5 rtt; the initial notice's approval card needs only the
  channel: create (rtt) → the card reaches Slack (rtt/2): 1.5 rtt;
- final Approve → the last of 50 channels: the outbox sends `concurrency` posts at a time, one
  channel each (Slack's 1 message/s per channel does not bind), so ceil(50 / concurrency)
  rounds, the last reaching Slack after rtt/2: (ceil(50/c) − 0.5) rtt.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from dataclasses import dataclass, field

import aiohttp

from emulator.driver import SlackDriver
from emulator.slack import SlackEmulator

CUSTOMER_CHANNELS = [f"CCUST{n:02d}" for n in range(50)]
FORM = {
    "what_happened": "Card payments fail at checkout for customers in the EU region.",
    "customer_impact": "EU customers cannot complete purchases; about 30% of checkouts fail.",
    "severity": "SEV2",
    "segments": ["EU region"],
}


@dataclass
class Figures:
    rtt: float = 0.0
    triggers: dict[int, list[float]] = field(default_factory=dict)  # concurrency -> seconds
    expired: dict[int, int] = field(default_factory=dict)
    ready: list[float] = field(default_factory=list)
    approval_card: list[float] = field(default_factory=list)  # Declare → the initial notice's card
    fan_out: list[float] = field(default_factory=list)
    concurrency: int = 8


def seed_channels(slack: SlackEmulator, members: list[str]) -> None:
    for channel in CUSTOMER_CHANNELS:
        slack.add_channel(channel.lower(), channel_id=channel, members=members)


async def round_trip(slack: SlackEmulator, times: int = 40) -> float:
    """The mean Web API round trip the app sees in this run (auth.test, over loopback)."""
    headers = {"Authorization": f"Bearer {slack.bot_token}"}
    taken = []
    async with aiohttp.ClientSession() as session:
        for _ in range(times):
            started = time.perf_counter()
            async with session.post(slack.api_url + "auth.test", headers=headers) as answer:
                await answer.read()
            taken.append(time.perf_counter() - started)
    return statistics.mean(taken)


async def triggers(bot: SlackDriver, user: str, channel: str, concurrency: int, rounds: int):
    """Seconds from each trigger's issue to its views.open reaching Slack; how many were refused."""
    slack, offset = bot.slack, time.time() - time.monotonic()
    first = len(slack.calls_to("views.open"))
    for number in range(rounds):
        commands = [
            bot.command(f"Checkout errors {number}.{n}", user=user, channel=channel, settle=False)
            for n in range(concurrency)
        ]
        await asyncio.gather(*commands)
        await bot.settle()
    calls = slack.calls_to("views.open")[first:]
    issued = slack.workspace.triggers
    delays = [c.at - (issued[c.args["trigger_id"]].issued_at + offset) for c in calls if c.ok]
    return delays, sum(not c.ok for c in calls)


async def declaration(bot: SlackDriver, user: str, channel: str, approvals: str, figures: Figures) -> None:
    """One Declare: until members are invited and the intro pinned; and until the approval card."""
    slack = bot.slack
    await bot.command("Checkout errors in EU", user=user, channel=channel)
    calls = len(slack.calls)
    started = time.time()
    await bot.submit(slack.opened_views[-1].view, FORM, user=user)
    made = slack.calls[calls:]
    [created] = [c for c in made if c.method == "conversations.create" and c.ok]
    new = slack.channel(created.args["name"]).id
    done = [c.at for c in made if c.method in ("conversations.invite", "pins.add") and _in(c, new)]
    figures.ready.append(max(done) - started)
    cards = [c.at for c in made if c.method == "chat.postMessage" and c.args.get("channel") == approvals]
    figures.approval_card.append(min(cards) - started)


async def final_approve(bot: SlackDriver, approver: str, approvals: str, figures: Figures) -> None:
    """Approve the latest card: until the last of the 50 customer channels has the message."""
    slack = bot.slack
    calls = len(slack.calls)
    started = time.time()
    await bot.click(slack.messages(approvals)[-1], "draft_approve", user=approver)
    posted = [
        c.at
        for c in slack.calls[calls:]
        if c.method == "chat.postMessage" and c.ok and c.args.get("channel") in CUSTOMER_CHANNELS
    ]
    assert len(posted) == len(CUSTOMER_CHANNELS), f"{len(posted)} of 50 delivered"
    figures.fan_out.append(max(posted) - started)


def _in(call, channel: str) -> bool:
    return call.ok and call.args.get("channel") == channel


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(figures: Figures) -> None:
    rtt = figures.rtt
    rounds = math.ceil(len(CUSTOMER_CHANNELS) / figures.concurrency)
    print(f"\nmeasured round trip {rtt * 1000:.0f} ms (mean of 40 auth.test)\n")
    print("| journey | p50 ms | p99 ms | bound ms | p50 / bound | target | met |")
    print("|---|---|---|---|---|---|---|")
    for concurrency, delays in figures.triggers.items():
        p99, expired = pct(delays, 0.99) * 1000, figures.expired[concurrency]
        print(
            f"| trigger → views.open, {concurrency} concurrent ({len(delays)}, {expired} expired) "
            f"| {pct(delays, 0.5) * 1000:.0f} | {p99:.0f} | {rtt / 2 * 1000:.0f} "
            f"| {pct(delays, 0.5) / (rtt / 2):.2f}× | p99 < 500, none expired "
            f"| {'yes' if p99 < 500 and not expired else 'no'} |"
        )
    _line("Declare → channel ready", figures.ready, 2.5 * rtt, 1.3)
    _line("Declare → approval card (initial notice)", figures.approval_card, 1.5 * rtt, None)
    _line("final Approve → last of 50 channels", figures.fan_out, (rounds - 0.5) * rtt, 1.2)


def _line(name: str, values: list[float], bound: float, target: float | None) -> None:
    p50 = pct(values, 0.5)
    goal = f"≤ {target}× bound" if target else "—"
    met = ("yes" if p50 <= target * bound else "no") if target else "—"
    print(
        f"| {name} ({len(values)}) | {p50 * 1000:.0f} | {pct(values, 0.99) * 1000:.0f} "
        f"| {bound * 1000:.0f} | {p50 / bound:.2f}× | {goal} | {met} |"
    )
