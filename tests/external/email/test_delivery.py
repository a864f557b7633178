"""E-mail delivery through the outbox: backoff on temporary failures, reports, restarts, corrections."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.audit.trail import AuditAction
from bot.enums import OutboxStatus
from bot.external.claims import claim
from bot.external.context import load_contexts
from bot.external.delivery import build_external
from bot.external.email_smtp import SmtpConfig, SmtpMailer
from storage.db import Database
from tests.external.helpers import approve_last, correct_last, deliveries
from tests.publishing.helpers import audit_events
from tests.slack.flows import channel_of, declare

BACKOFF = timedelta(seconds=5)  # messages.retry_backoff
LEASE = timedelta(minutes=5)


async def test_a_temporary_failure_is_retried_after_the_backoff_and_delivered_once(bot, inbox, clock):
    inbox.fail_data = ["451 4.3.0 Mailbox busy, try again later"]  # the first message of the sweep
    await declare(bot)
    await approve_last(bot)

    assert await bot.core.external.deliver_due() == 3
    [waiting] = [row for row in await deliveries(bot) if row.status == OutboxStatus.PENDING]
    assert (waiting.attempts, waiting.last_error) == (1, "smtp_451: 4.3.0 Mailbox busy, try again later")
    assert waiting.next_attempt_at == clock.now() + BACKOFF
    assert await bot.core.external.deliver_due() == 0  # not before its time

    clock.advance(BACKOFF)
    assert await bot.core.external.deliver_due() == 1
    assert len(inbox.to(waiting.recipient)) == 1 and len(inbox.received) == 3
    assert all(row.status == OutboxStatus.DELIVERED for row in await deliveries(bot))
    async with bot.session.get(bot.metrics_url) as response:
        metrics = await response.text()
    assert 'incident_comms_external_deliveries_total{channel="email",status="delivered"} 3.0' in metrics
    assert 'incident_comms_external_deliveries_total{channel="email",status="pending"} 1.0' in metrics


async def test_a_refused_address_fails_at_once_and_is_reported_in_the_incident_channel(bot, slack, inbox):
    inbox.refuse["billing@four.example"] = "550 5.1.1 No such user here"
    await declare(bot)
    await approve_last(bot)

    await bot.core.external.deliver_due()

    rows = {row.recipient: row for row in await deliveries(bot)}
    failed = rows["billing@four.example"]
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 1)
    assert all(row.status == OutboxStatus.DELIVERED for name, row in rows.items() if name != failed.recipient)
    report = slack.transcript(channel_of(bot).id)
    assert "1 e-mail/webhook delivery failed" in report
    assert "e-mail to billing@four.example" in report and "smtp_550" in report and "No such user" in report
    (event,) = await audit_events(bot.core.db, 1, AuditAction.DELIVERY_FAILED)
    assert event.details["channel"] == "email" and event.details["recipient"] == "billing@four.example"


async def test_an_unreachable_server_is_retried_then_everything_arrives(bot, inbox, clock):
    await declare(bot)
    await approve_last(bot)
    working = bot.core.external.mailer
    bot.core.external.mailer = SmtpMailer(SmtpConfig(host="127.0.0.1", port=1, start_tls=False, timeout=2))

    await bot.core.external.deliver_due()
    assert {(row.status, row.last_error.split(":")[0]) for row in await deliveries(bot)} == {
        (OutboxStatus.PENDING, "connection_error")
    }

    bot.core.external.mailer = working
    clock.advance(BACKOFF)
    await bot.core.external.deliver_due()
    assert len(inbox.received) == 3


async def test_after_a_crash_an_accepted_email_is_sent_again_with_the_same_message_id(bot, inbox, clock):
    """The documented window: the server accepted it, the sender died before recording it."""
    await declare(bot)
    await approve_last(bot)
    external = bot.core.external
    async with bot.core.db.write() as session:
        claimed = await claim(
            session, channel="email", now=clock.now(), lease_until=clock.now() + LEASE, limit=9
        )
    first = claimed[0]
    contexts = await load_contexts(external.db, [first], external.reference)
    message = external.renderer.render(first, contexts[first.id], clock.now())

    async def died(_row, _outcome) -> None:  # the process stopped before recording
        return None

    await external.mailer.send_batch([(first, message)], died)

    assert await external.deliver_due() == 0  # the leases still hold
    clock.advance(LEASE + timedelta(seconds=1))
    assert await external.deliver_due() == 3

    again = inbox.to(first.recipient)
    assert len(again) == 2 and again[0].message["Message-ID"] == again[1].message["Message-ID"]
    assert len(inbox.received) == 4  # the other two once each
    assert {(row.status, row.attempts) for row in await deliveries(bot)} == {(OutboxStatus.DELIVERED, 2)}


async def test_concurrent_sweeps_and_instances_send_each_email_once(bot, inbox, database_url, clock):
    await declare(bot, segments=["EU region", "US region"])
    await approve_last(bot)
    core = bot.core
    other_db = Database(database_url)
    _enqueuer, other = build_external(
        core.settings, core.policy, clock, other_db, core.platform, core.templates, core.cards.ref
    )
    try:
        await asyncio.gather(core.external.deliver_due(), core.external.deliver_due(), other.deliver_due())
    finally:
        await other_db.dispose()

    assert inbox.recipients == [
        "billing@four.example",
        "eu-ops@two.example",
        "ops@one.example",
        "us@three.example",
    ]


async def test_a_correction_sends_a_short_correction_email_to_everyone_who_got_the_message(bot, inbox):
    await declare(bot)
    await approve_last(bot)
    await bot.core.external.deliver_due()

    await correct_last(bot, impact="Only Visa card payments fail.")
    await bot.core.external.deliver_due()

    assert len(inbox.received) == 6
    for address in ("ops@one.example", "billing@four.example", "eu-ops@two.example"):
        original, correction = inbox.to(address)
        assert correction.message["Subject"] == "[Service status] Correction: Checkout errors in EU"
        assert correction.part("plain").startswith("Correction: we have corrected our earlier message")
        assert "Only Visa card payments fail." in correction.part("plain")
        assert "<strong>Correction:</strong>" in correction.part("html")
        assert correction.message["In-Reply-To"] == original.message["Message-ID"]
        assert correction.message["Message-ID"] != original.message["Message-ID"]
