"""What the form and links refuse: forged, expired and used links, GETs, foreign origins, stale
forms, blocked domains, and the hourly caps per address, per client and in all."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.subscriptions.service import LIMITED, SENT, SubscriptionService
from bot.subscriptions.tokens import signer_for
from storage.subscription_models import Subscriber
from tests.subscriptions.conftest import FORM_TOKEN, confirmation_path, get, post, subscribe


async def subscribers(bot) -> list[Subscriber]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(Subscriber))).all())


async def metric(bot, event: str) -> float:
    async with bot.session.get(bot.metrics_url) as response:
        text = await response.text()
    line = f'incident_comms_subscriptions_total{{event="{event}"}} '
    found = [row for row in text.splitlines() if row.startswith(line)]
    return float(found[0].removeprefix(line)) if found else 0.0


async def test_forged_expired_and_used_links_are_refused_and_a_get_changes_nothing(bot, inbox, clock):
    await subscribe(bot, "one@customer.example")
    path = confirmation_path(inbox, "one@customer.example")
    request_id, expiry, mac = path.rsplit("/", 1)[1].split(".")
    forged = [
        f"{request_id}.{expiry}.{'0' * 64}",  # a made-up signature
        f"{request_id}.{int(expiry) + 86400}.{mac}",  # a later expiry under the old signature
        f"{'a' * 32}.{expiry}.{mac}",  # another request under this signature
    ]
    for token in forged:
        link = f"/status/subscribe/confirm/{token}"
        assert (await get(bot, link))[0] == 404 and (await post(bot, link, {}))[0] == 404
    for _ in range(3):
        assert (await get(bot, path))[0] == 200
    assert await subscribers(bot) == []

    clock.advance(timedelta(hours=24, seconds=1))  # link_lifetime
    assert (await get(bot, path))[0] == 404 and (await post(bot, path, {}))[0] == 404
    assert await subscribers(bot) == []

    await subscribe(bot, "two@customer.example")
    fresh = confirmation_path(inbox, "two@customer.example")
    assert (await post(bot, fresh, {}, Origin="https://evil.example"))[0] == 403
    assert (await post(bot, fresh, {}))[0] == 200
    assert (await post(bot, fresh, {}))[0] == 404  # used
    assert [s.address for s in await subscribers(bot)] == ["two@customer.example"]


async def test_the_form_needs_its_own_token_and_origin_and_refuses_blocked_domains(bot, inbox):
    _, html = await get(bot, "/status/subscribe")
    token = FORM_TOKEN.search(html)[1]
    fields = {"email": "x@customer.example", "scope": "all"}
    assert (await post(bot, "/status/subscribe", fields))[0] == 400  # no form token
    assert (await post(bot, "/status/subscribe", {**fields, "form_token": "1." + "0" * 64}))[0] == 400
    status, _ = await post(
        bot, "/status/subscribe", {**fields, "form_token": token}, Origin="https://evil.example"
    )
    assert status == 400
    status, page = await subscribe(bot, "someone@mail.spam.example")
    assert status == 400 and "cannot send e-mail to addresses on this domain" in page
    status, page = await subscribe(bot, "not an address")
    assert status == 400 and "Enter an e-mail address" in page
    await bot.settle()
    assert inbox.received == []
    assert await metric(bot, "blocked_domain") == 1 and await metric(bot, "bad_form") == 3


async def test_a_known_and_an_unknown_address_get_the_same_answer(bot, inbox):
    await subscribe(bot, "known@customer.example")
    await post(bot, confirmation_path(inbox, "known@customer.example"), {})
    known = await subscribe(bot, "known@customer.example")
    unknown = await subscribe(bot, "unknown@customer.example")
    assert known == unknown


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
