"""One approved update to N confirmed subscribers, handed to SMTP through the e-mail outbox
(enqueue in the approval's transaction, then the delivery sweep: claim, render, send, record),
against aiosmtplib alone sending N messages to the same local aiosmtpd server in the same run,
with the same number of messages per connection (`email.batch_size`). Called by
`benchmarks/status_page.py` (`--subscribers`, 0 to skip); also runnable alone.

    .venv/bin/python benchmarks/subscriber_mail.py [--subscribers 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiosmtplib
from aiosmtpd.smtp import SMTP

from bot.chat.templating import Templates
from bot.clock import SystemClock
from bot.config import Settings
from bot.enums import AudienceKind, DraftStatus, Stage
from bot.external.delivery import build_external
from bot.policy.model import load_policy
from bot.subscriptions.tokens import signer_for
from storage.db import Database
from storage.migrate import upgrade_schema
from storage.models import Draft, DraftVersion, Incident
from storage.subscription_models import Subscriber

POLICY = """
[status_page]
base_url = "https://status.example.com"
[status_page.components.api]
name = "Public API"
[email]
from_address = "Service status <status@example.com>"
[subscriptions]
enabled = true
"""
TEXT = "**Update: API errors**\n\nWe are rolling back the release.\n\n_Reference: INC-1_"


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += len(envelope.rcpt_tos)
        return "250 OK"


async def seed(db: Database, subscribers: int, key) -> tuple[Incident, Draft]:
    now = datetime.now(UTC)
    async with db.write() as session:
        incident = Incident(
            title="API errors", what_happened="-", customer_impact="-", severity="SEV2", status="identified",
            visibility="public", segments=[], components={"api": "major_outage"}, reporter_id="UA",
            commander_id="UB", comms_owner_id="UC", source_key="bench", declared_at=now, updated_at=now,
            setup_complete=True,
        )  # fmt: skip
        session.add(incident)
        await session.flush()
        draft = Draft(
            incident_id=incident.id, stage=Stage.UPDATE.value, audience_kind=AudienceKind.CUSTOMER.value,
            audience_key="customers", status=DraftStatus.APPROVED.value, version=1, author_id="UC",
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(draft)
        await session.flush()
        facts = {"headline": "API errors", "impact": "-"}
        session.add(
            DraftVersion(draft_id=draft.id, number=1, text=TEXT, facts=facts, author_id="UC", created_at=now)
        )
        for n in range(subscribers):
            address = f"subscriber{n}@customer.example"
            components = ["api"] if n % 2 else []
            session.add(Subscriber(address=address, address_key=key(address), components=components,
                                   confirmed_at=now, created_at=now))  # fmt: skip
    return incident, draft


async def through_outbox(folder: str, port: int, subscribers: int) -> tuple[float, float]:
    """(seconds to enqueue, seconds to deliver everything) through our outbox."""
    policy_path = Path(folder) / "policy.toml"
    policy_path.write_text(POLICY, encoding="utf-8")
    policy = load_policy(policy_path)
    url = f"sqlite+aiosqlite:///{folder}/mail.db"
    settings = Settings(
        SLACK_SIGNING_SECRET="bench", SLACK_BOT_TOKEN="xoxb-bench", DATABASE_URL=url,
        SMTP_URL=f"smtp://127.0.0.1:{port}?starttls=false",
    )  # fmt: skip
    db = Database(url)
    await upgrade_schema(db)
    incident, draft = await seed(db, subscribers, signer_for(policy).address_key)
    clock = SystemClock()
    enqueuer, deliveries = build_external(settings, policy, clock, db, None, Templates(), lambda i: "INC-1")
    started = time.perf_counter()
    async with db.write() as session:
        await enqueuer.enqueue(session, incident, draft)
    queued = time.perf_counter()
    while await deliveries.deliver_due(limit=subscribers + 10):
        pass
    done = time.perf_counter()
    await db.dispose()
    return queued - started, done - queued


async def aiosmtplib_alone(port: int, count: int, batch: int) -> float:
    started = time.perf_counter()
    for first in range(0, count, batch):
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as client:
            for n in range(first, min(first + batch, count)):
                message = EmailMessage()
                message["From"], message["To"] = "status@example.com", f"raw{n}@customer.example"
                message["Subject"] = "[Service status] Update: API errors"
                message.set_content(TEXT)
                await client.send_message(message)
    return time.perf_counter() - started


async def measure(subscribers: int = 1000) -> str:
    os.environ.setdefault("SUBSCRIPTION_SECRET", "benchmark-only-secret-" + "x" * 20)
    sink = Sink()
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(sink), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        enqueue, deliver = await through_outbox(tempfile.mkdtemp(), port, subscribers)
        ours = sink.count
        raw = await aiosmtplib_alone(port, subscribers, 50)
    finally:
        server.close()
        await server.wait_closed()
    total = enqueue + deliver
    return "\n".join([
        f"\n| one update to {subscribers:,} subscribers (SQLite, local aiosmtpd) | s | messages/s | ratio |",
        "|---|---|---|---|",
        f"| outbox: enqueue in the approval transaction | {enqueue:.3f} | — | — |",
        f"| outbox: enqueue + claim, render, send, record ({ours:,} delivered) | {total:.2f} | "
        f"{ours / total:,.0f} | {total / raw:.2f}× |",
        f"| aiosmtplib alone, 50 per connection | {raw:.2f} | {subscribers / raw:,.0f} | 1.00× |",
    ])  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=1000)
    print(asyncio.run(measure(parser.parse_args().subscribers)))
