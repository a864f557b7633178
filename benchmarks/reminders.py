"""Reminders at scale: lateness with 10,000 live incidents, the sweep's query cost, digest rendering.

PostgreSQL (a throw-away database on $TEST_DATABASE_URL's server), the emulator in its own
process, the real `ReminderSweep` driven by the app's scheduler at the policy's interval.

1. Lateness: 10,000 live SEV2 incidents whose next updates fall due over one hour (from 20
   minutes ago to 40 minutes ahead), of which --overdue (1,000) are 15, 30 or 45 minutes overdue
   at some second of the run (a ladder tier or a repeat each, reported apart), for --seconds;
   then a burst of --burst more whose heads-ups all come due at the same second. Lateness =
   the post's recorded time − its due time; baseline: the sweep interval.
2. Query cost: the claim's inner SELECT with 1,000 vs 10,000 live incidents and the same number
   due, median of repeated runs, and its EXPLAIN plan (an index range scan).
3. Digest: live-incident query + cards + Block Kit for 200 incidents, against 20 (≈ 10: linear).
4. Resident memory of this process at the end (the app's sweep ran in it).

    .venv/bin/python benchmarks/reminders.py [--incidents 10000] [--seconds 60] [--burst 500]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from databases import ThrowAwayDatabase
from servers import free_port, wait_for_port
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlmodel import select

from bot.background import TaskTracker
from bot.chat.cards import Card
from bot.chat.templating import Templates
from bot.clock import SystemClock
from bot.digests.cards import DigestCards
from bot.digests.data import live_entries
from bot.enums import ReminderStage
from bot.metrics import Metrics
from bot.policy.model import Policy, load_policy
from bot.reminders.cards import ReminderCards
from bot.reminders.claims import due_query
from bot.reminders.schedule import mark_sent, reschedule, stage_time, steps_due
from bot.reminders.sweep import ReminderSweep
from handlers.scheduler import build_scheduler
from handlers.slack.blocks.card import message_payload
from handlers.slack.client import build_client
from handlers.slack.gateway import SlackGateway
from storage.db import Database
from storage.models import Incident, Reminder

TOKEN = "xoxb-emulator"
BURST_WINDOW = 15  # seconds the run goes on after the burst comes due
SETTLING = timedelta(seconds=3)  # seeding and start-up; the first post warmed the emulator's schemas
WARM_UP = timedelta(seconds=5)  # reminders due this soon after the scheduler starts are not counted


def channel(n: int) -> str:
    return f"CB{n:06d}"


async def serve_emulator(port: int, channels: int) -> None:
    from emulator.slack import SlackEmulator

    slack = SlackEmulator(strict_triggers=False)
    await slack.start(port=port)
    for n in range(channels):
        slack.add_channel(channel(n).lower(), channel_id=channel(n))
    slack.add_user("UCAROL", "carol")  # the comms owner: repeats also go to her by DM
    await asyncio.Event().wait()


# ---- databases --------------------------------------------------------------------------------
def incident(n: int, due: datetime, now: datetime, policy: Policy) -> Incident:
    """A live incident whose reminders already sent are the ones whose time has passed."""
    row = Incident(
        title=f"Benchmark incident {n}",
        what_happened="Search is slow.",
        customer_impact="Searches take up to ten seconds for some customers.",
        severity="SEV2",
        status="investigating",
        visibility="public",
        reporter_id="UALICE",
        commander_id="UBOB",
        comms_owner_id="UCAROL",
        channel_id=channel(n),
        setup_complete=True,
        source_key=f"bench-{n}",
        declared_at=now - timedelta(hours=1),
        updated_at=now,
        next_update_due_at=due,
    )
    mark_sent(row, steps_due(row, policy.reminders, now), policy.reminders, now)  # what is past went out
    reschedule(row, policy.reminders)
    return row


async def seed(db: Database, rows: list[Incident]) -> None:
    for start in range(0, len(rows), 2000):
        async with db.write() as session:
            session.add_all(rows[start : start + 2000])


def overdue(count: int, now: datetime, seconds: float, policy: Policy, offset: int) -> list[Incident]:
    """Overdue by 15, 30 or 45 minutes at some second of the run: a tier (15m) or a repeat each."""
    at = [now + WARM_UP + timedelta(seconds=0.8 * n * seconds / count) for n in range(count)]
    late = [policy.reminders.repeat_every * (1 + n % 3) for n in range(count)]
    return [incident(offset + n, at[n] - late[n], now, policy) for n in range(count)]


def spread(count: int, now: datetime, policy: Policy, offset: int = 0) -> list[Incident]:
    first = now - timedelta(minutes=20)
    step = 3600 / count
    return [incident(offset + n, first + timedelta(seconds=n * step), now, policy) for n in range(count)]


# ---- 1. lateness -------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def lateness(args: argparse.Namespace, policy: Policy) -> None:
    port = free_port()
    emulator = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve-emulator",
            str(port),
            "--channels",
            str(args.incidents + args.burst),
        ]
    )
    metrics = Metrics()
    client = build_client(TOKEN, f"http://127.0.0.1:{port}/api/", metrics)
    try:
        await wait_for_port(port)
        await client.open_session()
        await SlackGateway(client, Metrics()).post(channel(0), Card(summary="warm-up", body="warm-up"))
        async with ThrowAwayDatabase() as db:
            now = datetime.now(UTC) + SETTLING  # reminders due before the sweep runs count as sent
            rows = spread(args.incidents - args.overdue, now, policy)
            rows += overdue(args.overdue, now, args.seconds, policy, offset=args.incidents - args.overdue)
            burst_at = now + timedelta(seconds=args.seconds)  # after the steady window
            due = burst_at + policy.reminders.heads_up  # heads-ups due at burst_at, all at once
            rows += [incident(args.incidents + n, due, now, policy) for n in range(args.burst)]
            started = time.perf_counter()
            await seed(db, rows)
            print(f"seeded {len(rows):,} live incidents in {time.perf_counter() - started:.1f} s")
            cards = ReminderCards(Templates(), policy, lambda i: f"INC-{i.id}")
            sweep = ReminderSweep(db, SlackGateway(client, metrics), SystemClock(), policy, cards, metrics)
            tracker = TaskTracker(metrics)

            async def job() -> None:  # as the app runs it: a tracked task, awaited at shutdown
                await asyncio.wait({tracker.spawn(sweep.run(), name="sweep:reminders")})

            scheduler = build_scheduler([(job, policy.reminders.sweep_interval, "reminders")])
            scheduler.start()
            measured_from = (
                datetime.now(UTC) + WARM_UP
            )  # the first sweeps open connections, compile templates
            await asyncio.sleep(args.seconds + BURST_WINDOW)
            scheduler.shutdown(wait=False)
            await asyncio.sleep(0)
            await tracker.drain()
            await report_lateness(db, policy, burst_at, measured_from)
    finally:
        await client.close_session()
        emulator.terminate()
        emulator.wait(timeout=10)


async def report_lateness(db: Database, policy: Policy, burst_at: datetime, measured_from: datetime) -> None:
    async with db.read() as session:
        reminders = list((await session.exec(select(Reminder).where(Reminder.posted_at.is_not(None)))).all())
    steady, burst = [], []
    kinds: dict[str, list[float]] = {"heads-up and nag": [], "repeat": [], "ladder tier": []}
    for r in reminders:
        due = stage_time(ReminderStage(r.stage), r.due_at, policy.reminders, r.step)
        late = (r.posted_at - due).total_seconds()
        if r.due_at - policy.reminders.heads_up == burst_at:
            burst.append(late)
        elif measured_from <= due < burst_at:  # the steady window, after warm-up and before the burst
            steady.append(late)
            kinds[_KIND.get(r.stage, "heads-up and nag")].append(late)

    interval = policy.reminders.sweep_interval.total_seconds()
    print(f"\nreminder lateness (posted − due), sweep every {interval:g} s (the baseline)")
    print("| load | posts | p50 s | p99 s | max s | p99 / interval |")
    print("|---|---|---|---|---|---|")
    for label, values in (
        ("steady (due over an hour)", steady),
        *((f"  of which {kind}", values) for kind, values in kinds.items()),
        (f"burst ({len(burst)} due at once)", burst),
    ):
        if values:
            p50, p99 = pct(values, 0.5), pct(values, 0.99)
            figures = f"{p50:.2f} | {p99:.2f} | {max(values):.2f} | {p99 / interval:.2f}×"
            print(f"| {label} | {len(values)} | {figures} |")
    print(f"posted by stage: {dict(collections.Counter(r.stage for r in reminders))}")


_KIND = {ReminderStage.REPEAT.value: "repeat", ReminderStage.ESCALATION.value: "ladder tier"}


# ---- 2. the sweep's query cost ---------------------------------------------------------------------
async def query_cost(policy: Policy, sizes: list[int], due: int) -> None:
    print(f"\nclaim query (inner SELECT … FOR UPDATE SKIP LOCKED), {due} incidents due, median of 50 runs")
    print("| live incidents | median ms | ratio to smallest |")
    print("|---|---|---|")
    baseline = None
    for size in sizes:
        async with ThrowAwayDatabase() as db:
            now = datetime.now(UTC)
            rows = spread(size, now, policy)
            for row in rows[:due]:
                row.next_reminder_at = now - timedelta(seconds=1)
            await seed(db, rows)
            async with db.engine.connect() as connection:
                await connection.execute(text("ANALYZE incident"))
                await connection.commit()
            timings, plan = [], []
            for _ in range(50):
                async with db.engine.connect() as connection:
                    started = time.perf_counter()
                    found = (await connection.execute(due_query(now, 500))).all()
                    timings.append((time.perf_counter() - started) * 1000)
                    await connection.rollback()
            assert len(found) == due, len(found)
            compiled = due_query(now, 500).compile(
                dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
            )
            async with db.engine.connect() as connection:
                plan = [r[0] for r in (await connection.execute(text(f"EXPLAIN ANALYZE {compiled}"))).all()]
            median = statistics.median(timings)
            baseline = baseline or median
            print(f"| {size:,} | {median:.2f} | {median / baseline:.2f}× |")
    print("plan at the largest size:")
    for line in plan:
        print("    " + line)


# ---- 3. digest rendering -----------------------------------------------------------------------------
async def digest_cost(policy: Policy) -> None:
    cards = DigestCards(Templates(), policy, lambda i: f"INC-{i.id}")
    results = {}
    for size in (20, 200):
        async with ThrowAwayDatabase() as db:
            now = datetime.now(UTC)
            await seed(db, spread(size, now, policy))
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                async with db.read() as session:
                    entries = await live_entries(session, policy.severity_names)
                rendered = [message_payload(card) for card in cards.digest(entries, now, {})]
                timings.append((time.perf_counter() - started) * 1000)
            results[size] = (statistics.median(timings), len(rendered))
    print("\ndigest (query + cards + Block Kit), median of 20")
    print("| live incidents | median ms | messages | ratio to 20 |")
    print("|---|---|---|---|")
    for size, (median, messages) in results.items():
        print(f"| {size} | {median:.1f} | {messages} | {median / results[20][0]:.1f}× |")


async def main(args: argparse.Namespace) -> None:
    policy = load_policy()
    await lateness(args, policy)
    await query_cost(policy, [1_000, args.incidents], due=50)
    await query_cost(policy, [args.incidents], due=500)  # 10× more due (overdue) at the same size
    await digest_cost(policy)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process (sweep + benchmark): {rss:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--overdue", type=int, default=1_000, help="of --incidents, overdue during the run")
    parser.add_argument("--serve-emulator", type=int)
    parser.add_argument("--channels", type=int, default=0)
    arguments = parser.parse_args()
    if arguments.serve_emulator:
        asyncio.run(serve_emulator(arguments.serve_emulator, arguments.channels))
    else:
        asyncio.run(main(arguments))
