"""Status page and summary.json with 50 live incidents of 20 approved updates each, and 20
components with 90 days of history (one resolved incident a day, each moving one component).

Measures, in one run, against the same server:
- a cold render (the page's data changed: query + template), median of repeated runs;
- a warm request (nothing changed: one `max()` query, the cached body), p50/p99 over HTTP;
- a repeat request with `If-None-Match` (`304`), p50/p99 over HTTP;
- warm requests alternating two Host headers (the cache does not depend on the Host);
- baseline: `GET /healthz` (one trivial query) on the same server;
- one approved update to 1,000 subscribers handed to SMTP through the e-mail outbox, against
  aiosmtplib alone sending 1,000 messages to the same local server (`subscriber_mail.py`).
Target: renders under 5 ms, repeats answered with 304, Host alternation as fast as one host.

    .venv/bin/python benchmarks/status_page.py [--incidents 50] [--updates 20] [--components 20]
        [--days 90] [--database URL] [--subscribers 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp.test_utils import TestServer

from benchmarks import subscriber_mail
from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from bot.config import Settings
from bot.enums import AudienceKind, DraftStatus, Stage
from bot.policy.model import load_policy
from handlers.app import CORE, create_app
from storage.db import Database
from storage.migrate import upgrade_schema
from storage.models import Draft, DraftVersion, Incident

TEXT = (
    "**Update: Search is slow**\n\n**What's happening:** Search results take up to ten seconds.\n\n"
    "**What we have done:** We added capacity and are watching the error rate.\n\n"
    "**Next update:** by 14:30 UTC\n\n_Reference: INC-{n}_"
)


def component_policy(folder: str, components: int) -> Path:
    path = Path(folder) / "policy.toml"
    tables = [
        f'[status_page.components.c{n}]\nname = "Component {n}"\ngroup = "Group {n % 4}"\norder = {n}\n'
        for n in range(components)
    ]
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


async def seed_history(db: Database, components: int, days: int) -> None:
    """One public incident a day for `days` days, each moving one component, resolved the same day."""
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    async with db.write() as session:
        for day in range(1, days + 1):
            at = today - timedelta(days=day)
            incident = Incident(
                title=f"Past {day}", what_happened="-", customer_impact="-", severity="SEV3",
                status="resolved", visibility="public", segments=[], reporter_id="UA", commander_id="UB",
                comms_owner_id="UC", source_key=f"past-{day}", declared_at=at, updated_at=at,
                resolved_at=at + timedelta(hours=2), setup_complete=True,
            )  # fmt: skip
            session.add(incident)
            await session.flush()
            status = ("degraded_performance", "partial_outage", "major_outage")[day % 3]
            for stage, moment in ((Stage.INITIAL, at), (Stage.RESOLVED, at + timedelta(hours=2))):
                draft = Draft(
                    incident_id=incident.id, stage=stage.value, audience_kind=AudienceKind.CUSTOMER.value,
                    audience_key="customers", status=DraftStatus.PUBLISHED.value, published_version=1,
                    author_id="UC", created_at=moment, updated_at=moment,
                )  # fmt: skip
                session.add(draft)
                await session.flush()
                facts = {
                    "headline": f"Past {day}",
                    "impact": "-",
                    "components": {f"c{day % components}": status},
                }
                session.add(DraftVersion(draft_id=draft.id, number=1, text=TEXT.format(n=day), facts=facts,
                                         author_id="UC", created_at=moment))  # fmt: skip
                published = AuditAction.MESSAGE_PUBLISHED
                audit.record(session, incident_id=incident.id, actor="bot", action=published,
                             at=moment, draft=draft.id, version=1)  # fmt: skip


async def seed(db: Database, incidents: int, updates: int) -> None:
    now = datetime.now(UTC) - timedelta(days=1)
    async with db.write() as session:
        for n in range(incidents):
            incident = Incident(
                title=f"Search is slow in region {n}", what_happened="-", customer_impact="Slow searches.",
                severity=("SEV1", "SEV2", "SEV3")[n % 3], status="identified", visibility="public",
                segments=["EU region"], reporter_id="UA", commander_id="UB", comms_owner_id="UC",
                source_key=f"bench-{n}", declared_at=now, updated_at=now, setup_complete=True,
            )  # fmt: skip
            session.add(incident)
            await session.flush()
            for u in range(updates):
                at = now + timedelta(minutes=u)
                draft = Draft(
                    incident_id=incident.id, stage=(Stage.INITIAL if u == 0 else Stage.UPDATE).value,
                    audience_kind=AudienceKind.CUSTOMER.value, audience_key="customers",
                    status=DraftStatus.PUBLISHED.value, published_version=1, author_id="UC",
                    created_at=at, updated_at=at,
                )  # fmt: skip
                session.add(draft)
                await session.flush()
                facts = {"headline": f"Search is slow ({n})", "impact": "Searches take up to ten seconds."}
                facts["components"] = {f"c{n % 20}": "degraded_performance"}
                session.add(DraftVersion(draft_id=draft.id, number=1, text=TEXT.format(n=n), facts=facts,
                                         author_id="UC", created_at=at))  # fmt: skip
                published = AuditAction.MESSAGE_PUBLISHED
                audit.record(session, incident_id=incident.id, actor="bot", action=published,
                             at=at, draft=draft.id, version=1)  # fmt: skip


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(0.99 * (len(ordered) - 1))]


async def timed_get(
    session: aiohttp.ClientSession, url: str, runs: int, **headers
) -> tuple[list[float], int]:
    timings, status = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        async with session.get(url, headers=headers) as response:
            await response.read()
            status = response.status
        timings.append((time.perf_counter() - started) * 1000)
    return timings, status


async def main(args: argparse.Namespace) -> None:
    folder = tempfile.mkdtemp()
    url = args.database or f"sqlite+aiosqlite:///{folder}/bench.db"
    db = Database(url)
    await upgrade_schema(db)
    await seed(db, args.incidents, args.updates)
    if args.components:
        await seed_history(db, args.components, args.days)
    await db.dispose()
    policy = load_policy(component_policy(folder, args.components)) if args.components else None
    settings = Settings(
        SLACK_SIGNING_SECRET="bench", SLACK_BOT_TOKEN="xoxb-bench", DATABASE_URL=url, METRICS_PORT=0
    )
    app = create_app(settings, policy=policy, migrate=False, sweeps=False)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            base = str(server.make_url(""))
            history = f", {args.components} components × {args.days} days" if args.components else ""
            print(
                f"{args.incidents} live incidents × {args.updates} approved updates{history}"
                f" ({url.split(':')[0]})\n"
            )
            print("| request | status | p50 ms | p99 ms | ratio p50 to /healthz |")
            print("|---|---|---|---|---|")
            baseline, _ = await timed_get(session, base + "/healthz", args.runs)
            b50 = percentiles(baseline)[0]
            print(f"| GET /healthz (baseline) | 200 | {b50:.2f} | {percentiles(baseline)[1]:.2f} | 1.00× |")
            for path in ("/status", "/api/v2/summary.json"):
                timings, status = await timed_get(session, base + path, args.runs)
                p50, p99 = percentiles(timings)
                print(f"| GET {path} (warm) | {status} | {p50:.2f} | {p99:.2f} | {p50 / b50:.2f}× |")
                async with session.get(base + path) as response:
                    etag = response.headers["ETag"]
                timings, status = await timed_get(session, base + path, args.runs, **{"If-None-Match": etag})
                p50, p99 = percentiles(timings)
                figures = f"{status} | {p50:.2f} | {p99:.2f} | {p50 / b50:.2f}×"
                print(f"| GET {path} (repeat, If-None-Match) | {figures} |")
                timings = await alternating_hosts(session, base + path, args.runs)
                p50, p99 = percentiles(timings)
                print(
                    f"| GET {path} (Host alternating a/b) | 200 | {p50:.2f} | {p99:.2f} | {p50 / b50:.2f}× |"
                )
            await cold_renders(app, args.runs, args.incidents)
    finally:
        await server.close()
    if args.subscribers:  # issue 24: one update to N subscribers through the outbox, against aiosmtplib
        print(await subscriber_mail.measure(args.subscribers))


async def alternating_hosts(session: aiohttp.ClientSession, url: str, runs: int) -> list[float]:
    timings = []
    for n in range(runs):
        host = ("a.example", "b.example:8401")[n % 2]
        started = time.perf_counter()
        async with session.get(url, headers={"Host": host}) as response:
            await response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def cold_renders(app, runs: int, incidents: int) -> None:
    """After a change: a full rebuild (first request, a new day), and the usual case, where one
    incident changed (its rows are read again and its parts rendered again, the rest is cached)."""
    from bot.status_page.page import StatusPage

    core = app[CORE]
    columns = "full rebuild p50 ms | one incident changed p50 ms | p99 ms | bytes | gzip"
    print(f"\n| render after a change | {columns} |")
    print("|---|---|---|---|---|---|")
    for kind in ("page", "summary.json", "feed"):
        full, one = [], []
        for n in range(max(20, runs // 10)):
            page = StatusPage(core.db, core.policy, core.clock, core.templates)
            started = time.perf_counter()
            rendered = await page.render(kind)
            full.append((time.perf_counter() - started) * 1000)
            async with core.db.write() as session:  # a status change on one incident
                audit.record(session, incident_id=1 + n % incidents, actor="UB",
                             action=AuditAction.STATUS_CHANGED, at=datetime.now(UTC), old="identified",
                             new="monitoring")  # fmt: skip
            started = time.perf_counter()
            await page.render(kind)
            one.append((time.perf_counter() - started) * 1000)
        p50, _ = percentiles(full)
        o50, o99 = percentiles(one)
        sizes = f"{len(rendered.body):,} | {len(rendered.gzipped):,}"
        print(f"| {kind} | {p50:.2f} | {o50:.2f} | {o99:.2f} | {sizes} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--incidents", type=int, default=50)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--components", type=int, default=20)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--database", default="")
    parser.add_argument("--subscribers", type=int, default=1000, help="0: skip the e-mail measurement")
    asyncio.run(main(parser.parse_args()))
