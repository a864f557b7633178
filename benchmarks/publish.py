"""Publishing under Slack's posting limit: approval click to last delivery, against the lower bound.

The emulator runs in its own process and enforces one message per second per channel (a
faster post gets a 429 with Retry-After). We approve UPDATES messages back to back for an
incident whose policy names CHANNELS customer-update channels (each message also goes to the
incident channel), start delivering each right after its approval (as the approval flow
does), and sweep like the scheduler until every entry is settled. SQLite in a temp dir.

Lower bound: each channel must receive UPDATES posts one second apart, so the last post can
land no earlier than (UPDATES - 1) s after the first approval. We report the time from the
first and from the final approval to the last delivery, with the pacing on (the default) and
off (relying only on the Slack client's own 429 retries and the outbox's backoff).

    .venv/bin/python benchmarks/publish.py [--channels 50] [--updates 3] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import free_port, wait_for_port
from sqlmodel import select

from bot.chat.cards import Card
from bot.clock import SystemClock
from bot.enums import AudienceKind, DraftStatus, OutboxStatus, Stage
from bot.metrics import Metrics
from bot.policy.model import Policy, load_policy
from bot.publishing.pacer import ChannelPacer
from bot.publishing.publisher import DELIVERY_SWEEP_INTERVAL, POST_INTERVAL, Publisher
from handlers.slack.client import build_client
from handlers.slack.gateway import SlackGateway
from storage.db import Database
from storage.migrate import upgrade_schema
from storage.models import Draft, DraftVersion, Incident, OutboxEntry

INCIDENT_CHANNEL = "CINCIDENT"
TOKEN = "xoxb-emulator"
TEXT = "We are investigating failed card payments in the EU.\n\n**Next update** within the hour."


def channel_ids(count: int) -> list[str]:
    return [f"CBENCH{n:03d}" for n in range(count)]


# ---- the emulator, in its own process (`publish.py --serve-emulator PORT --channels N`) -------
async def serve_emulator(port: int, channels: int) -> None:
    from emulator.slack import SlackEmulator

    slack = SlackEmulator(strict_triggers=False)
    await slack.start(port=port)
    for channel_id in [*channel_ids(channels), INCIDENT_CHANNEL]:
        slack.add_channel(channel_id.lower(), channel_id=channel_id)
    slack.limit_post_rate(1.0)
    await asyncio.Event().wait()


# ---- one run --------------------------------------------------------------------------------
@dataclass
class Result:
    label: str
    from_first: float
    from_final: float
    recorded: float
    retries_429: int
    failed: int


async def approve(db: Database, publisher: Publisher, incident: Incident, number: int) -> Draft:
    """What the approval flow does in its transaction: approve, then enqueue the deliveries."""
    now = datetime.now(UTC)
    async with db.write() as session:
        draft = Draft(
            incident_id=incident.id,
            stage=Stage.UPDATE.value,
            audience_kind=AudienceKind.CUSTOMER.value,
            audience_key="customers",
            status=DraftStatus.APPROVED.value,
            author_id="UALICE",
            created_at=now,
            updated_at=now,
        )
        session.add(draft)
        await session.flush()
        text = f"{TEXT} ({number})"
        session.add(DraftVersion(draft_id=draft.id, number=1, text=text, author_id="UALICE", created_at=now))
        await publisher.enqueue(session, incident, draft)
    return draft


async def make_incident(db: Database) -> Incident:
    now = datetime.now(UTC)
    incident = Incident(
        title="Checkout errors",
        what_happened="Card payments fail.",
        customer_impact="Customers cannot pay.",
        severity="SEV2",
        status="investigating",
        visibility="public",
        reporter_id="UALICE",
        commander_id="UALICE",
        comms_owner_id="UALICE",
        channel_id=INCIDENT_CHANNEL,
        source_key=f"bench-{now.timestamp()}",
        declared_at=now,
        updated_at=now,
    )
    async with db.write() as session:
        session.add(incident)
    return incident


async def outbox(db: Database) -> list[OutboxEntry]:
    async with db.read() as session:
        return list((await session.exec(select(OutboxEntry))).all())


@asynccontextmanager
async def emulator_client(args: argparse.Namespace) -> AsyncIterator[tuple[SlackGateway, Metrics]]:
    """A fresh emulator process (fresh rate limiter) and a real Slack client pointed at it."""
    port = free_port()
    me = str(Path(__file__).resolve())
    emulator = subprocess.Popen(
        [sys.executable, me, "--serve-emulator", str(port), "--channels", str(args.channels)]
    )
    metrics = Metrics()
    client = build_client(TOKEN, f"http://127.0.0.1:{port}/api/", metrics)
    try:
        await wait_for_port(port)
        await client.open_session()
        yield SlackGateway(client, metrics), metrics
    finally:
        await client.close_session()
        emulator.terminate()
        emulator.wait(timeout=10)


def retries_429(metrics: Metrics) -> int:
    value = metrics.registry.get_sample_value(
        "incident_comms_slack_api_retries_total", {"reason": "rate_limited"}
    )
    return int(value or 0)


async def floor_run(args: argparse.Namespace) -> Result:
    """The same posts, client and pacing rule with no database at all: what this machine allows."""
    async with emulator_client(args) as (gateway, metrics):
        pacer, slots = ChannelPacer(POST_INTERVAL), asyncio.Semaphore(args.concurrency)
        card = Card(summary="INC-1 · Update", body=TEXT, context="INC-1 · Update")
        started = datetime.now(UTC)

        async def channel(target: str) -> datetime:
            for _ in range(args.updates):
                pacer.reserve(target)
                await pacer.acquire(target)
                async with slots:
                    await gateway.post(target, card, marker="outbox:0")
                pacer.release(target, cool_down=True)
            return datetime.now(UTC)

        last = max(
            await asyncio.gather(*(channel(c) for c in [*channel_ids(args.channels), INCIDENT_CHANNEL]))
        )
        seconds = (last - started).total_seconds()
        return Result("no-database floor (same pacing)", seconds, seconds, 0.0, retries_429(metrics), 0)


async def outbox_run(label: str, args: argparse.Namespace, policy: Policy, paced: bool) -> Result:
    folder = tempfile.mkdtemp()
    db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
    try:
        await upgrade_schema(db)
        async with emulator_client(args) as (gateway, metrics):
            interval = POST_INTERVAL if paced else None
            publisher = Publisher(
                db,
                gateway,
                SystemClock(),
                policy,
                metrics,
                reference,
                concurrency=args.concurrency,
                post_interval=interval,
            )
            incident = await make_incident(db)
            deliveries, approvals = [], []
            for number in range(args.updates):  # the approval clicks, back to back
                draft = await approve(db, publisher, incident, number)
                approvals.append(datetime.now(UTC))
                deliveries.append(asyncio.create_task(publisher.deliver_draft(draft.id)))
            await asyncio.gather(*deliveries)
            rows = await sweep_until_settled(db, publisher)
            recorded = datetime.now(UTC)
            last = max(r.delivered_at for r in rows if r.delivered_at)
            return Result(
                label,
                (last - approvals[0]).total_seconds(),
                (last - approvals[-1]).total_seconds(),
                (recorded - approvals[0]).total_seconds(),
                retries_429(metrics),
                sum(1 for r in rows if r.status == OutboxStatus.FAILED),
            )
    finally:
        await db.dispose()


async def sweep_until_settled(db: Database, publisher: Publisher) -> list[OutboxEntry]:
    """What the scheduler's sweep does for retries left for later."""
    while True:
        rows = await outbox(db)
        if all(r.status in (OutboxStatus.DELIVERED, OutboxStatus.FAILED) for r in rows):
            return rows
        await asyncio.sleep(DELIVERY_SWEEP_INTERVAL.total_seconds())
        await publisher.deliver_due()


def reference(incident: Incident) -> str:
    return f"INC-{incident.id}"


async def run(args: argparse.Namespace) -> None:
    channels = channel_ids(args.channels)
    defaults = load_policy()
    policy = defaults.model_copy(
        update={"channels": defaults.channels.model_copy(update={"customer_updates": channels})}
    )
    bound = (args.updates - 1) * POST_INTERVAL.total_seconds()
    print(
        f"{args.updates} updates × {args.channels + 1} channels = {args.updates * (args.channels + 1)} posts;"
        f" emulator: 1 post/s/channel (429 beyond); {args.concurrency} senders; SQLite;"
        f" lower bound {bound:.2f} s from the first approval to the last delivery"
    )
    print(
        f"{'run':<36}{'first→last':>11}{'final→last':>11}{'× bound':>9}{'× floor':>9}"
        f"{'recorded':>10}{'429 retries':>12}{'failed':>7}"
    )
    started = time.monotonic()
    floor = await floor_run(args)
    runs = [floor, await outbox_run("outbox, paced (default)", args, policy, paced=True)]
    if not args.skip_unpaced:
        runs.append(await outbox_run("outbox, unpaced (429 retries only)", args, policy, paced=False))
    for r in runs:
        recorded = f"{r.recorded:.2f}" if r.recorded else "-"
        print(
            f"{r.label:<36}{r.from_first:>11.2f}{r.from_final:>11.2f}{r.from_first / bound:>9.2f}"
            f"{r.from_first / floor.from_first:>9.2f}{recorded:>10}{r.retries_429:>12}{r.failed:>7}"
        )
    print(
        "seconds; first→last / final→last: from the first / final approval to Slack's last acceptance;"
        " recorded: until every outcome was in the database"
    )
    print(f"(benchmark wall time {time.monotonic() - started:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--updates", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--skip-unpaced", action="store_true")
    parser.add_argument("--serve-emulator", type=int, metavar="PORT")
    args = parser.parse_args()
    if args.serve_emulator:
        asyncio.run(serve_emulator(args.serve_emulator, args.channels))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
