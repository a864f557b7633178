"""An approved message goes by e-mail to exactly its audience, each address once; nothing else goes."""

from __future__ import annotations

from sqlmodel import select

from storage.channel_models import ExternalDelivery
from tests.conftest import BOB
from tests.external.helpers import approval_card, approve_last, deliveries, draft_update
from tests.slack.flows import channel_of, declare

CUSTOMERS = ["billing@four.example", "eu-ops@two.example", "ops@one.example"]


async def test_a_customer_message_reaches_the_customer_and_segment_lists_once_each(bot, inbox):
    await declare(bot, segments=["EU region"])  # the customer list, plus EU's; not US's

    await approve_last(bot)
    await bot.core.external.deliver_due()

    assert inbox.recipients == CUSTOMERS  # ops@one.example is in two lists and gets one e-mail
    assert await bot.core.external.deliver_due() == 0 and len(inbox.received) == 3
    assert inbox.connections == 2  # batches of two over one connection each
    assert inbox.logins[0] == ("status@example.com", "p@ss word")


async def test_the_email_carries_subject_bodies_and_headers(bot, inbox):
    await declare(bot, "Checkout errors in EU", segments=["EU region"])
    await approve_last(bot)
    await bot.core.external.deliver_due()

    [mail] = inbox.to("eu-ops@two.example")
    message = mail.message
    assert message["Subject"] == "[Service status] Incident: Checkout errors in EU"
    assert message["From"] == "Service status <status@example.com>" and mail.sender == "status@example.com"
    assert message["To"] == "eu-ops@two.example" and message["Reply-To"] == "support@example.com"
    assert message["Message-ID"].startswith("<draft-1.v1.published.") and message["Message-ID"].endswith(
        "@example.com>"
    )
    assert message["List-Unsubscribe"] == (
        "<mailto:unsubscribe@example.com?subject=unsubscribe>, <https://example.com/unsub?u=eu-ops%40two.example>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = mail.part("plain"), mail.part("html")
    assert "Card payments fail at checkout" in text and "**" not in text and "unsubscribe" in text
    assert "<strong>Checkout errors in EU</strong>" in html and "Card payments fail at checkout" in html
    ids = {r.message["Message-ID"] for r in inbox.received}
    assert len(ids) == 3  # one per recipient


async def test_user_text_is_escaped_in_the_html_part(bot, inbox):
    await declare(bot, what_happened="Checkout fails <script>alert(1)</script> for <b>some</b> buyers.")
    await approve_last(bot)
    await bot.core.external.deliver_due()

    html = inbox.received[0].part("html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>some</b>" not in html


async def test_nothing_is_sent_while_waiting_for_approval_or_after_rejection(bot, slack, inbox):
    await declare(bot)
    await bot.core.external.deliver_due()
    assert inbox.received == [] and await deliveries(bot) == []

    await bot.click(approval_card(slack), "draft_reject", user=BOB)
    await bot.submit(slack.opened_views[-1].view, {"reason": "Too vague."}, user=BOB)
    await bot.core.external.deliver_due()

    assert inbox.received == [] and await deliveries(bot) == []


async def test_a_named_account_message_goes_only_to_that_accounts_list(bot, inbox):
    await declare(bot, named_accounts="Acme Corp", segments=["EU region"])
    await draft_update(bot, channel_of(bot).id, "named_account:Acme Corp")

    await approve_last(bot)  # the account's update; the customer notice still waits
    await bot.core.external.deliver_due()

    [mail] = inbox.received
    assert mail.recipients == ["it@acme.example"] and "Acme Corp" in mail.part("plain")


async def test_customer_messages_of_private_incidents_never_name_an_account(bot, inbox):
    await declare(bot, named_accounts="Acme Corp", visibility="private")
    await approve_last(bot)
    await bot.core.external.deliver_due()

    assert "it@acme.example" not in inbox.recipients and len(inbox.received) == 3
    assert all("Acme" not in str(r.message) for r in inbox.received)


async def test_an_internal_email_names_the_people_it_mentions(bot, inbox):
    await declare(bot, commander=BOB)
    await draft_update(bot, channel_of(bot).id, "internal:internal")
    await bot.core.external.deliver_due()

    [received] = inbox.received
    body = str(received.message)
    assert "Commander bob" in body and BOB not in body


async def test_internal_messages_reach_only_the_internal_list(bot, inbox):
    await declare(bot)
    await draft_update(bot, channel_of(bot).id, "internal:internal")  # published without approval
    await bot.core.external.deliver_due()

    assert inbox.recipients == ["leads@example.com"]
    async with bot.core.db.read() as session:
        rows = (await session.exec(select(ExternalDelivery))).all()
    assert [row.recipient for row in rows] == ["leads@example.com"]
