"""Signed webhook events for approved messages and incident state changes, to exactly their audience."""

from __future__ import annotations

from datetime import timedelta

from bot.enums import OutboxStatus
from tests.conftest import BOB
from tests.external.helpers import approval_card, approve_last, correct_last, deliveries, draft_update
from tests.resolution.test_resolve import resolve
from tests.slack.flows import channel_of, declare

BACKOFF = timedelta(seconds=5)


async def test_an_approved_customer_message_is_posted_signed_to_customer_endpoints_only(bot, receiver, clock):
    await declare(bot, "Checkout errors in EU", named_accounts="Acme Corp")

    await approve_last(bot)
    await bot.core.external.deliver_due()

    [hit] = receiver.hits
    assert hit.endpoint == "mirror" and hit.event == "message.published" and receiver.rejected == []
    [row] = await deliveries(bot)
    assert hit.delivery == str(row.id) and row.status == OutboxStatus.DELIVERED
    body = hit.body
    assert (body["id"], body["type"]) == ("draft-1.v1.published", "message.published")
    assert body["incident"]["ref"] == "INC-1" and body["incident"]["title"] == "Checkout errors in EU"
    assert body["incident"]["status"] == "investigating" and body["incident"]["impact"] == "major"
    assert body["message"]["stage"] == "initial" and body["message"]["audience"] == "customer"
    assert "Card payments fail at checkout" in body["message"]["text"]
    assert b"Acme" not in hit.raw  # a named account never reaches another audience
    assert await bot.core.external.deliver_due() == 0


async def test_nothing_is_posted_before_approval_or_after_rejection(bot, slack, receiver):
    await declare(bot)
    await bot.core.external.deliver_due()
    await bot.click(approval_card(slack), "draft_reject", user=BOB)
    await bot.submit(slack.opened_views[-1].view, {"reason": "Too vague."}, user=BOB)
    await bot.core.external.deliver_due()

    assert receiver.hits == [] and await deliveries(bot) == []


async def test_a_named_account_message_goes_only_to_that_accounts_endpoint(bot, receiver):
    await declare(bot, named_accounts="Acme Corp")
    await draft_update(bot, channel_of(bot).id, "named_account:Acme Corp")
    await approve_last(bot)
    await bot.core.external.deliver_due()

    [hit] = receiver.hits
    assert hit.endpoint == "acme" and hit.body["message"]["account"] == "Acme Corp"


async def test_a_server_error_is_retried_with_the_same_delivery_id_then_delivered(bot, receiver, clock):
    receiver.answers["mirror"] = [500]
    await declare(bot)
    await approve_last(bot)

    await bot.core.external.deliver_due()
    [row] = await deliveries(bot)
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.PENDING,
        1,
        "http_500: Internal Server Error",
    )
    assert await bot.core.external.deliver_due() == 0
    clock.advance(BACKOFF)
    await bot.core.external.deliver_due()

    first, second = receiver.of("mirror")
    assert first.delivery == second.delivery and first.raw == second.raw
    assert (await deliveries(bot))[0].status == OutboxStatus.DELIVERED


async def test_a_client_error_fails_at_once_and_is_reported(bot, slack, receiver):
    receiver.answers["mirror"] = [410]
    await declare(bot)
    await approve_last(bot)

    await bot.core.external.deliver_due()

    [row] = await deliveries(bot)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    report = slack.transcript(channel_of(bot).id)
    assert "webhook `mirror`" in report and "http_410" in report


async def test_a_wrong_secret_is_refused_by_the_receiver_and_reported(bot, slack, receiver):
    receiver.secrets["mirror"] = "what the receiver expects"
    await declare(bot)
    await approve_last(bot)

    await bot.core.external.deliver_due()

    assert receiver.rejected == ["mirror"] and receiver.hits == []
    assert "http_401" in slack.transcript(channel_of(bot).id)


async def test_a_correction_is_a_message_corrected_event(bot, receiver):
    await declare(bot)
    await approve_last(bot)
    await bot.core.external.deliver_due()

    await correct_last(bot, impact="Only Visa card payments fail.")
    await bot.core.external.deliver_due()

    _published, corrected = receiver.of("mirror")
    assert corrected.body["type"] == "message.corrected" and corrected.body["id"] == "draft-1.v2.corrected"
    assert corrected.body["message"]["version"] == 2
    assert "Only Visa card payments fail." in corrected.body["message"]["text"]


async def test_resolving_is_an_event_for_internal_endpoints_and_customers_who_were_told(bot, receiver, clock):
    await declare(bot)  # first incident: its customer notice is approved
    await approve_last(bot)
    await declare(bot, "Search is slow")  # second: nothing approved for customers
    await bot.core.external.deliver_due()

    clock.advance(timedelta(minutes=30))
    await resolve(bot, channel_of(bot, 1).id)
    await resolve(bot, channel_of(bot, 2).id)
    await bot.core.external.deliver_due()
    await bot.core.external.deliver_due()  # read again: nothing queued twice

    resolved = [
        (hit.endpoint, hit.body["incident"]["ref"])
        for hit in receiver.hits
        if hit.event == "incident.resolved"
    ]
    assert sorted(resolved) == [("mirror", "INC-1"), ("ops", "INC-1"), ("ops", "INC-2")]
    [event] = [hit for hit in receiver.of("mirror") if hit.event == "incident.resolved"]
    assert event.body["change"] == {"field": "status", "from": "investigating", "to": "resolved"}
    assert event.body["incident"]["title"] == "Checkout errors in EU" and "message" not in event.body
