"""A customer's subscription end to end, over HTTP and a real SMTP server: subscribe, confirm
with the page's button, receive what they chose and nothing else, leave in one click."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from storage.models import AuditEvent
from storage.subscription_models import Subscriber
from tests.conftest import BOB
from tests.external.helpers import approve_last
from tests.maintenance.helpers import card, schedule
from tests.slack.flows import channel_of, declare
from tests.subscriptions.conftest import BASE_URL, confirmation_path, get, post, subscribe

CUSTOMER = "Jane.Doe@customer.example"


async def subscribers(bot) -> list[Subscriber]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(Subscriber))).all())


async def incident(bot, title: str, component: str) -> None:
    """A public incident on one component; its initial notice approved and the outbox swept."""
    await declare(bot, title, components=[component], component_status="major_outage")
    await approve_last(bot)
    await bot.core.external.deliver_due()


def updates(inbox, address: str) -> list:
    return [r for r in inbox.to(address) if "Confirm your subscription" not in r.message["Subject"]]


async def test_subscribe_confirm_receive_only_the_chosen_component_then_one_click_unsubscribe(bot, inbox):
    _, page = await get(bot, "/status")
    assert f'href="{BASE_URL}/status/subscribe"' in page
    status, html = await subscribe(bot, CUSTOMER, ["api"])
    assert status == 200 and "Check your inbox" in html and CUSTOMER not in html

    [mail] = inbox.to(CUSTOMER)
    assert mail.message["To"] == CUSTOMER
    for part in ("plain", "html"):  # nothing the requester typed, not even the address
        body = mail.part(part)
        assert "jane" not in body.lower() and "customer.example" not in body
        assert "Public API" in body and "Card" not in body
    path = confirmation_path(inbox, CUSTOMER)

    status, page = await get(bot, path)  # a link scanner's GET changes nothing
    assert status == 200 and "<button" in page and "Public API" in page
    assert await subscribers(bot) == []
    status, page = await post(bot, path, {})
    assert status == 200 and "You are subscribed" in page
    [subscriber] = await subscribers(bot)
    assert (subscriber.address, subscriber.components) == (CUSTOMER, ["api"])

    await incident(bot, "Payments failing", "payments")
    assert updates(inbox, CUSTOMER) == [] and len(inbox.to("ops@one.example")) == 1

    await incident(bot, "API errors", "api")
    [update] = updates(inbox, CUSTOMER)
    assert "API errors" in update.message["Subject"]
    own = f"{BASE_URL}/status/subscription/{subscriber.address_key}"
    assert update.message["List-Unsubscribe"] == f"<{own}>"
    assert update.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert own in update.part("plain")

    path = own.removeprefix(BASE_URL)
    status, _ = await post(bot, path, {"List-Unsubscribe": "One-Click"}, Origin="https://mail.example")
    assert status == 200 and await subscribers(bot) == []
    assert (await get(bot, path))[0] == 404

    await incident(bot, "API errors again", "api")
    assert len(updates(inbox, CUSTOMER)) == 1  # nothing more
    assert len(inbox.to("ops@one.example")) == 3


async def test_an_unconfirmed_address_receives_nothing_and_a_listed_one_gets_one_copy(bot, inbox):
    await subscribe(bot, "waiting@customer.example")
    await subscribe(bot, "OPS@one.example")  # also on the policy's customers list
    await post(bot, confirmation_path(inbox, "OPS@one.example"), {})

    await incident(bot, "API errors", "api")

    assert updates(inbox, "waiting@customer.example") == []
    assert len(updates(inbox, "ops@one.example")) + len(updates(inbox, "OPS@one.example")) == 1


async def test_the_manage_page_changes_components_and_its_button_unsubscribes(bot, inbox):
    await subscribe(bot, CUSTOMER)
    await post(bot, confirmation_path(inbox, CUSTOMER), {})
    [subscriber] = await subscribers(bot)
    path = f"/status/subscription/{subscriber.address_key}"

    status, page = await get(bot, path)
    assert status == 200 and "Card &lt;payments&gt;" in page and "<payments>" not in page
    status, page = await post(bot, path, [("action", "change"), ("scope", "some"), ("component", "payments")])
    assert status == 200 and "Card &lt;payments&gt;" in page
    await incident(bot, "API errors", "api")
    assert updates(inbox, CUSTOMER) == []

    assert (await post(bot, path, {"action": "unsubscribe"}, Origin="https://evil.example"))[0] == 403
    status, page = await post(bot, path, {"action": "unsubscribe"})
    assert status == 200 and "deleted your address" in page and await subscribers(bot) == []


async def test_a_failed_subscriber_is_named_by_a_hash_in_the_channel_the_log_and_the_audit(
    bot, inbox, caplog
):
    await subscribe(bot, CUSTOMER)
    await post(bot, confirmation_path(inbox, CUSTOMER), {})
    inbox.refuse[CUSTOMER] = "550 5.1.1 No such user here"

    await incident(bot, "API errors", "api")

    report = bot.slack.transcript(channel_of(bot).id)
    assert "1 e-mail/webhook delivery failed" in report and "e-mail to subscriber " in report
    async with bot.core.db.read() as session:
        trail = str((await session.exec(select(AuditEvent.details))).all())
    for text in (report, caplog.text, trail):
        assert "jane" not in text.lower()


async def test_a_scheduled_maintenance_reaches_the_subscribers_of_its_components(bot, inbox, clock):
    for address, components in (
        ("api-fan@customer.example", ["api"]),
        ("payer@customer.example", ["payments"]),
    ):
        await subscribe(bot, address, components)
        await post(bot, confirmation_path(inbox, address), {})

    await schedule(bot, clock.now() + timedelta(days=2), components=["api"])
    await bot.click(card(bot.slack), "maintenance_approve", user=BOB)
    await bot.core.external.deliver_due()

    [announcement] = updates(inbox, "api-fan@customer.example")
    assert "Database upgrade" in announcement.message["Subject"]
    assert updates(inbox, "payer@customer.example") == []
