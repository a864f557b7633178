"""The hourly caps per address, per client and in all, on both databases (PostgreSQL serialises
the count with an advisory lock)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.subscriptions.service import LIMITED, SENT, SubscriptionService
from bot.subscriptions.tokens import signer_for
from storage.subscription_models import Subscriber
from tests.subscriptions.conftest import subscribe


async def subscribers(bot) -> list[Subscriber]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(Subscriber))).all())


async def metric(bot, event: str) -> float:
    async with bot.session.get(bot.metrics_url) as response:
        text = await response.text()
    line = f'incident_comms_subscriptions_total{{event="{event}"}} '
    found = [row for row in text.splitlines() if row.startswith(line)]
    return float(found[0].removeprefix(line)) if found else 0.0


async def test_the_per_address_and_per_client_caps_hold_and_are_counted(bot, inbox, clock):
    for _ in range(3):  # per_address_per_hour = 2: the third answers the same, and sends nothing
        assert (await subscribe(bot, "target@victim.example"))[0] == 200
    assert len(inbox.to("target@victim.example")) == 2
    for n in range(2):  # per_ip_per_hour = 5, counting every request from this client
        assert (await subscribe(bot, f"other{n}@customer.example"))[0] == 200
    status, page = await subscribe(bot, "late@customer.example")
    assert status == 429 and "try again" in page
    assert inbox.to("late@customer.example") == [] and len(inbox.received) == 4
    assert await metric(bot, "address_cap") == 1 and await metric(bot, "ip_cap") == 1

    clock.advance(timedelta(hours=1, seconds=1))
    assert (await subscribe(bot, "late@customer.example"))[0] == 200
    assert len(inbox.to("late@customer.example")) == 1


async def test_the_global_cap_holds_across_clients(bot, inbox):
    service = SubscriptionService(
        bot.core.db, bot.core.policy, bot.core.clock, signer_for(bot.core.policy), bot.core.templates,
        bot.core.external.mailer.config, bot.core.metrics,
    )  # fmt: skip
    outcomes = [
        (await service.request(f"user{n}@customer.example", [], f"203.0.113.{n}")).outcome for n in range(10)
    ]
    assert outcomes == [SENT] * 8 + [LIMITED] * 2  # global_per_hour = 8
    assert await metric(bot, "global_cap") == 2
