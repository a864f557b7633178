"""The redacted digest: what any shared channel may read about live incidents.

Each public incident that customers have been told about, as they were told: its approved
public headline, severity, status and when the next update is due. No internal title or
impact, no segments, no named accounts, no private incidents, no links into internal channels.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.chat.cards import Card
from bot.policy.model import Policy
from bot.status_page.data import public_incidents
from bot.status_page.page import STATUS_LABELS
from storage.db import Database
from storage.models import Incident

TITLE = "Live incidents (as customers were told)"


async def redacted_digest(db: Database, policy: Policy, now: datetime) -> Card:
    async with db.read() as session:
        told = await public_incidents(session, now, timedelta(0), policy.status_page.public_segments)
        live = [i for i in told if i.resolved_at is None]
        rows = await session.exec(select(Incident).where(col(Incident.id).in_([i.id for i in live])))
        due = {row.id: row.next_update_due_at for row in rows.all()}
    if not live:
        text = f"✅ No incident customers were told about is live, as of {now:%H:%M UTC}."
        return Card(summary=text, body=text)
    lines = []
    for incident in live:
        status = STATUS_LABELS.get(incident.status, incident.status.title())
        when = f" · next update by {due[incident.id]:%H:%M UTC}" if due.get(incident.id) else ""
        lines.append(f"- **{incident.updates[0].headline}** · {incident.severity} · {status}{when}")
    body = "\n".join(lines)
    return Card(summary=f"{TITLE}: {len(live)}", title=TITLE, body=body)
