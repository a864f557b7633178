"""`incident-comms subscribers export|import`: subscribers as CSV (address, components, confirmed_at).

Export escapes cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first:
a leading `'`). Import writes confirmed subscribers only with `confirmed=True` (addresses
confirmed on another status page); otherwise each address is sent a confirmation e-mail.
`components` is a space-separated list of component ids; empty means all updates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, delete, select

from bot.errors import Invalid
from bot.policy.model import Policy
from bot.subscriptions.service import SubscriptionService, upsert
from bot.subscriptions.tokens import valid_address
from storage.subscription_models import Subscriber

COLUMNS = ("address", "components", "confirmed_at")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Imported:
    subscribed: int  # written as confirmed subscribers
    invited: int  # sent a confirmation e-mail
    held: int  # not sent: the per-address cap or an SMTP failure


def cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA) else value


async def export_csv(service: SubscriptionService) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    async with service.db.read() as session:
        rows = (await session.exec(select(Subscriber).order_by(col(Subscriber.id)))).all()
    for row in rows:
        writer.writerow([cell(row.address), cell(" ".join(row.components)), row.confirmed_at.isoformat()])
    return out.getvalue()


def parse_csv(text: str, policy: Policy) -> list[tuple[str, list[str]]]:
    """(address, components) per row; `Invalid` naming every bad line (nothing is imported then)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "address" not in reader.fieldnames:
        raise Invalid({"header": "the first line must name the columns, with an 'address' column"})
    found, errors, known = [], {}, policy.status_page.components
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise Invalid({"rows": f"at most {MAX_ROWS} rows"})
        address = (row.get("address") or "").strip().removeprefix("'")
        components = (row.get("components") or "").removeprefix("'").split()
        if not valid_address(address):
            errors[f"line {number}"] = "not an e-mail address"
        elif unknown := [c for c in components if c not in known]:
            errors[f"line {number}"] = f"unknown component(s) {', '.join(unknown)}"
        elif policy.subscriptions.blocks(address):
            errors[f"line {number}"] = "a blocked domain"
        else:
            found.append((address, sorted(set(components))))
    if errors:
        raise Invalid(errors)
    return found


async def import_rows(
    service: SubscriptionService, rows: list[tuple[str, list[str]]], *, confirmed: bool
) -> Imported:
    if confirmed:
        async with service.db.write() as session:
            now = service.clock.now()
            for address, components in rows:  # re-keyed: an export re-imported after the secret rotated
                same = func.lower(col(Subscriber.address)) == address.lower()
                await session.exec(delete(Subscriber).where(same))
                await upsert(session, address, service.signer.address_key(address), components, now, "import")
        return Imported(len(rows), 0, 0)
    invited = 0
    for address, components in rows:
        requested = await service.invite(address, components)
        invited += await service.send(requested)
    return Imported(0, invited, len(rows) - invited)
