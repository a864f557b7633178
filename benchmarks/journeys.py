"""Journey time over signed HTTP and over Socket Mode, at real Slack latency, same machine, same run.

One journey: `/incident` → the declare form opens → Declare → the channel is set up and the
initial notice waits for approval → Approve → published to the customer channel → `/incident
resolve` → Resolve → the resolution notice waits → Approve → published. Each step is timed from
its first request until the work it started has finished (the app's tracked background tasks are
idle); the journey is their sum. Apart, the time to the ack of one `/incident help` (the answer
only; the help is sent after it). Both apps run in this process, each against its own Slack
emulator and SQLite file, and the journeys alternate between them, so drift hits both columns
alike. Posts to one channel are paced 50 ms apart (the tests' pacing; production paces a second
apart, the same for both). The emulator answers like real Slack: `--latency` (default
120ms±40ms, seeded) is each Web API round trip (emulator/slack/latency.py; `--latency 0ms` for
the old microsecond emulator). The emulator's check against the public Block Kit schema is
off here: it costs ~300 ms of CPU per modal (jsonschema), on this process's loop, which Slack
does not charge (the tests keep it on).

Then, with the same latency, what a responder feels (benchmarks/critical_path.py: trigger →
form at 1 and 50 concurrent, Declare → channel ready, final Approve → the last of 50
channels), and the ack against a bare Bolt app for `--role all` and `--role web`
(benchmarks/role_acks.py; `--role web` needs TEST_DATABASE_URL, PostgreSQL).

    .venv/bin/python benchmarks/journeys.py [--runs 30] [--latency 120ms±40ms] [--seed 25]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import critical_path
import role_acks

from bot.config import Settings
from bot.policy.model import load_policy
from emulator.driver import SIGNING_SECRET, SlackDriver
from emulator.slack import SlackEmulator
from emulator.slack.socket_driver import SocketDriver
from handlers.app import CORE, create_app

ALICE, BOB = "UALICE", "UBOB"
GENERAL, APPROVALS, UPDATES = "CGENERAL", "CAPPROVALS", "CUPDATES"
POLICY = f"""
[channels]
approvals = "{APPROVALS}"
customer_updates = ["{UPDATES}"]
[approvals]
approvers = ["{BOB}"]
"""
FORM = {
    "what_happened": "Card payments fail at checkout for customers in the EU region.",
    "customer_impact": "EU customers cannot complete purchases; about 30% of checkouts fail.",
    "severity": "SEV2",
    "segments": ["EU region"],
}
RESOLUTION = {"summary": "Rolled back the gateway deploy.", "customer_text": "Payments work normally again."}
STEPS = ("ack of /incident help", "declare", "approve initial", "resolve", "approve resolved", "journey")


async def seeded_emulator(latency: str | None, seed: int) -> SlackEmulator:
    slack = SlackEmulator(latency=latency, seed=seed)
    slack.workspace.checker.schema = None  # the public schema check costs ~300 ms of CPU a modal
    await slack.start()
    for user in (ALICE, BOB):
        slack.add_user(user, user[1:].lower(), email=f"{user[1:].lower()}@example.com")
    slack.add_channel("general", channel_id=GENERAL, members=[ALICE, BOB])
    for name, channel in (("approvals", APPROVALS), ("customer-updates", UPDATES)):
        slack.add_channel(name, channel_id=channel, members=[ALICE, BOB])
    return slack


@asynccontextmanager
async def running(
    transport: str, folder: Path, latency: str | None, seed: int, policy: str = POLICY
) -> AsyncIterator[SlackDriver]:
    """An emulator and the app on a loopback port, reached over `transport`."""
    slack = await seeded_emulator(latency, seed)
    socket = transport == "socket"
    (folder / transport).mkdir()
    (folder / transport / "policy.toml").write_text(policy)
    settings = Settings(
        SLACK_SIGNING_SECRET=None if socket else SIGNING_SECRET,
        SLACK_APP_TOKEN=slack.socket_mode.app_token if socket else None,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{folder / transport / 'bench.db'}",
        METRICS_PORT=0,
    )
    app = create_app(settings, policy=load_policy(folder / transport / "policy.toml"), sweeps=False)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    core = app[CORE]
    core.publisher.pacer.interval = 0.05
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    kind = SocketDriver if socket else SlackDriver
    driver = kind(url, slack, settle=lambda: core.tracker.wait_idle(timeout=30))
    driver.core = core  # type: ignore[attr-defined]  # responder_figures reads the outbox's concurrency
    try:
        yield driver
    finally:
        await driver.close()
        await runner.cleanup()
        await slack.stop()


async def step(timings: dict[str, float], name: str, work) -> None:
    started = time.perf_counter()
    await work
    timings[name] = time.perf_counter() - started


async def journey(bot: SlackDriver, number: int) -> dict[str, float]:
    slack, timings = bot.slack, {}
    await step(
        timings, "ack of /incident help", bot.command("help", user=ALICE, channel=GENERAL, settle=False)
    )
    await bot.settle()
    started = time.perf_counter()
    await step(timings, "declare", declare(bot, f"Checkout errors in EU {number}"))
    channel = [c for c in slack.calls_to("conversations.create") if c.ok][-1].args["name"]
    await step(timings, "approve initial", approve(bot, published=2 * number - 1))
    await step(timings, "resolve", resolve(bot, slack.channel(channel).id))
    await step(timings, "approve resolved", approve(bot, published=2 * number))
    timings["journey"] = time.perf_counter() - started
    return timings


async def declare(bot: SlackDriver, title: str) -> None:
    await bot.command(title, user=ALICE, channel=GENERAL)
    reply = await bot.submit(bot.slack.opened_views[-1].view, FORM, user=ALICE)
    assert reply.status == 200 and not reply.text, reply.text


async def approve(bot: SlackDriver, *, published: int) -> None:
    card = bot.slack.messages(APPROVALS)[-1]
    await bot.click(card, "draft_approve", user=BOB)
    assert len(bot.slack.messages(UPDATES)) == published, "published once"


async def resolve(bot: SlackDriver, channel: str) -> None:
    await bot.command("resolve", user=ALICE, channel=channel)
    reply = await bot.submit(bot.slack.opened_views[-1].view, RESOLUTION, user=ALICE)
    assert reply.status == 200 and not reply.text, reply.text


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(results: dict[str, list[dict[str, float]]]) -> None:
    print("| step | HTTP p50 / p95 ms | Socket Mode p50 / p95 ms | ratio p50 |")
    print("|---|---|---|---|")
    for name in STEPS:
        http = [t[name] * 1000 for t in results["http"]]
        socket = [t[name] * 1000 for t in results["socket"]]
        ratio = statistics.median(socket) / statistics.median(http)
        print(
            f"| {name} | {pct(http, 0.5):.1f} / {pct(http, 0.95):.1f} "
            f"| {pct(socket, 0.5):.1f} / {pct(socket, 0.95):.1f} | {ratio:.2f}× |"
        )


async def responder_figures(folder: Path, latency: str | None, seed: int) -> critical_path.Figures:
    """Trigger → form, Declare → ready, Approve → 50 channels, on one HTTP app (--role all)."""
    figures = critical_path.Figures()
    policy = POLICY.replace(f'["{UPDATES}"]', str(critical_path.CUSTOMER_CHANNELS).replace("'", '"'))
    async with running("paths", folder, latency, seed, policy) as bot:
        critical_path.seed_channels(bot.slack, [ALICE, BOB])
        figures.concurrency = bot.core.publisher.concurrency  # type: ignore[attr-defined]
        figures.rtt = await critical_path.round_trip(bot.slack)
        for concurrency, rounds in ((1, 30), (50, 2)):
            delays, expired = await critical_path.triggers(bot, ALICE, GENERAL, concurrency, rounds)
            figures.triggers[concurrency], figures.expired[concurrency] = delays, expired
        for _ in range(8):
            await critical_path.declaration(bot, ALICE, GENERAL, APPROVALS, figures)
            await critical_path.final_approve(bot, BOB, APPROVALS, figures)
    return figures


async def main(runs: int, warm_up: int, latency: str | None, seed: int, requests: int) -> None:
    logging.basicConfig(level=logging.ERROR)
    results: dict[str, list[dict[str, float]]] = {"http": [], "socket": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with (
            running("http", folder, latency, seed) as http,
            running("socket", folder, latency, seed + 1) as socket,
        ):
            for number in range(1, runs + warm_up + 1):
                for transport, bot in (("http", http), ("socket", socket)):
                    timings = await journey(bot, number)
                    if number > warm_up:
                        results[transport].append(timings)
        figures = await responder_figures(folder, latency, seed + 2)
    print(f"Slack round trips {latency or 'off'} (seed {seed})\n")
    print(f"{runs} journeys per transport (after {warm_up} warm-up), alternating, in one process\n")
    report(results)
    critical_path.report(figures)
    await role_acks.run(latency, seed + 3, requests)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--latency", default="120ms±40ms", help="each Slack round trip; 0ms: off")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument(
        "--ack-requests", type=int, default=role_acks.REQUESTS, help="per app at concurrency 50"
    )
    arguments = parser.parse_args()
    latency = None if arguments.latency.strip() in ("0", "0ms", "off") else arguments.latency
    asyncio.run(main(arguments.runs, arguments.warm_up, latency, arguments.seed, arguments.ack_requests))
