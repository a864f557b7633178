"""Stage messages: drafted, checked, approved or rejected with buttons, published exactly once."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from storage.models import AuditEvent, Incident
from tests.conftest import ALICE, BOB, CAROL, DAVE
from tests.policies import APPROVALS, SUPPORT_ROUTE, make_policy
from tests.slack.flows import channel_of, declare

UPDATES, ACME = "CUPDATES", "CACME"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        approvals={"approvers": [ALICE, BOB, CAROL], "required": {"SEV1": 2}},
        accounts={"Acme Corp": {"channels": [ACME]}},
        messages={"support_route": SUPPORT_ROUTE},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", UPDATES), ("acme-shared", ACME)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


def card(slack):
    return slack.messages(APPROVALS)[-1]


def shown(message) -> str:
    return str(message.blocks)


def note(slack, user: str) -> str:
    return str(slack.ephemerals(user=user)[-1].blocks) if slack.ephemerals(user=user) else ""


async def test_declaring_drafts_the_initial_notice_and_asks_for_approval(bot, slack):
    await declare(bot)

    approval = card(slack)
    assert "INC-1 · Initial notice for customers" in shown(approval)
    assert "Card payments fail at checkout" in shown(approval)  # the preview
    assert "Checks" in shown(approval) and "✅" in shown(approval)
    assert [b["text"]["text"] for b in approval.blocks[-2]["elements"]] == ["Approve", "Edit", "Reject"]
    assert "waiting for approval" in slack.transcript(channel_of(bot).id)


async def test_one_approval_publishes_to_every_customer_target_once(bot, slack):
    await declare(bot)

    await bot.click(card(slack), "draft_approve", user=BOB)

    [published] = slack.messages(UPDATES)
    assert "Card payments fail at checkout" in str(published.blocks) or "Card payments" in published.text
    incident_copy = [m for m in slack.messages(channel_of(bot).id) if "Initial notice" in str(m.blocks)]
    assert incident_copy, "the incident channel gets a copy"
    assert "Published" in shown(card(slack)) and "Approve" not in shown(card(slack))
    async with bot.core.db.read() as session:
        incident = (await session.exec(select(Incident))).one()
        actions = [e.action for e in (await session.exec(select(AuditEvent))).all()]
    assert incident.next_update_due_at is not None
    for action in (
        AuditAction.MESSAGE_DRAFTED,
        AuditAction.MESSAGE_CHECKED,
        AuditAction.MESSAGE_APPROVED,
        AuditAction.MESSAGE_PUBLISHED,
    ):
        assert action in actions


async def test_authors_cannot_approve_their_own_draft(bot, slack):
    await declare(bot)  # drafted by ALICE, who is an approver

    await bot.click(card(slack), "draft_approve", user=ALICE)

    assert "Authors cannot approve their own draft" in note(slack, ALICE)
    assert slack.messages(UPDATES) == []


async def test_an_author_cannot_approve_once_someone_else_edited_the_draft(bot, slack):
    await declare(bot)  # version 1 written by ALICE, an approver
    await bot.click(card(slack), "draft_edit", user=CAROL)
    await bot.submit(slack.opened_views[-1].view, {"impact": "EU customers cannot pay by card."}, user=CAROL)

    await bot.click(card(slack), "draft_approve", user=ALICE)

    assert "Authors cannot approve their own draft" in note(slack, ALICE)
    assert slack.messages(UPDATES) == [] and "0 of 1" in shown(card(slack))
    await bot.click(card(slack), "draft_approve", user=BOB)  # wrote no version: may approve
    assert len(slack.messages(UPDATES)) == 1


async def test_redacting_with_one_click_does_not_make_the_clicker_an_author(bot, slack):
    await declare(bot)
    await bot.click(card(slack), "draft_edit", user=CAROL)
    await bot.submit(slack.opened_views[-1].view, {"impact": "Reported by jane.doe@gmail.com."}, user=CAROL)
    await bot.click(card(slack), "draft_redact", user=BOB)

    await bot.click(card(slack), "draft_approve", user=BOB)

    [published] = slack.messages(UPDATES)
    assert "jane.doe@gmail.com" not in str(published.blocks) + published.text


async def test_non_approvers_are_refused_on_the_server(bot, slack):
    await declare(bot)

    await bot.click(card(slack), "draft_approve", user=DAVE)

    assert "Only approvers" in note(slack, DAVE)
    assert slack.messages(UPDATES) == [] and "0 of 1" in shown(card(slack))


async def test_sev1_needs_two_approvals(bot, slack):
    await declare(bot, severity="SEV1")

    await bot.click(card(slack), "draft_approve", user=BOB)
    assert slack.messages(UPDATES) == [] and "1 of 2" in shown(card(slack))
    await bot.click(card(slack), "draft_approve", user=CAROL)

    assert len(slack.messages(UPDATES)) == 1


async def test_two_approvers_clicking_together_publish_once(bot, slack):
    await declare(bot, severity="SEV1")
    approval = card(slack)

    await asyncio.gather(
        bot.click(approval, "draft_approve", user=BOB, settle=False),
        bot.click(approval, "draft_approve", user=CAROL, settle=False),
    )
    await bot.settle()

    assert len(slack.messages(UPDATES)) == 1


async def test_a_double_click_publishes_once(bot, slack):
    await declare(bot)
    approval = card(slack)

    await asyncio.gather(*(bot.click(approval, "draft_approve", user=BOB, settle=False) for _ in range(3)))
    await bot.settle()

    assert len(slack.messages(UPDATES)) == 1


async def test_reject_asks_for_a_reason_and_tells_the_author(bot, slack):
    await declare(bot)

    await bot.click(card(slack), "draft_reject", user=BOB)
    form = slack.opened_views[-1].view
    empty = await bot.submit(form, {"reason": "  "}, user=BOB)
    await bot.submit(form, {"reason": "Impact wording is too vague."}, user=BOB)

    assert empty.json()["response_action"] == "errors"
    assert "Rejected" in shown(card(slack)) and "Impact wording is too vague." in shown(card(slack))
    told = slack.transcript(channel_of(bot).id)
    assert "was rejected by @bob: Impact wording is too vague." in told
    assert slack.messages(UPDATES) == []


async def test_edit_creates_a_new_version_and_clears_earlier_approvals(bot, slack):
    await declare(bot, severity="SEV1")
    await bot.click(card(slack), "draft_approve", user=BOB)

    await bot.click(card(slack), "draft_edit", user=CAROL)
    await bot.submit(slack.opened_views[-1].view, {"impact": "All EU card payments fail."}, user=CAROL)

    assert "version 2" in shown(card(slack)) and "0 of 2" in shown(card(slack))
    assert "All EU card payments fail." in shown(card(slack))
    await bot.click(card(slack), "draft_approve", user=BOB)
    assert slack.messages(UPDATES) == []  # BOB's approval of version 1 no longer counts


async def test_a_customer_draft_naming_a_confidential_account_cannot_be_approved(bot, slack):
    await declare(bot, named_accounts="Acme Corp")
    await bot.click(card(slack), "draft_edit", user=CAROL)
    await bot.submit(slack.opened_views[-1].view, {"impact": "Acme Corp and others cannot pay."}, user=CAROL)

    await bot.click(card(slack), "draft_approve", user=BOB)

    assert "🚫" in shown(card(slack)) and "blocking findings" in note(slack, BOB)
    assert slack.messages(UPDATES) == []


async def test_personal_data_is_redacted_with_one_click(bot, slack):
    await declare(bot)
    await bot.click(card(slack), "draft_edit", user=CAROL)
    await bot.submit(
        slack.opened_views[-1].view, {"impact": "Reported by jane.doe@gmail.com from 10.1.2.3."}, user=CAROL
    )

    await bot.click(card(slack), "draft_redact", user=CAROL)

    assert "jane.doe@gmail.com" not in shown(card(slack)) and "[redacted]" in shown(card(slack))


async def test_an_update_for_a_named_account_goes_only_to_its_channels(bot, slack):
    await declare(bot, named_accounts="Acme Corp")
    channel = channel_of(bot)
    await bot.command("update", user=ALICE, channel=channel.id)

    await bot.submit(slack.opened_views[-1].view, {"audience": "named_account:Acme Corp"}, user=ALICE)
    update = card(slack)
    assert "Update for Acme Corp (named account)" in shown(update)
    assert "no approval needed" not in note(slack, ALICE), "it waits; the author is not told it was sent"
    await bot.click(update, "draft_approve", user=BOB)

    assert len(slack.messages(ACME)) == 1 and "Acme Corp" in str(slack.messages(ACME)[0].blocks)
    assert slack.messages(UPDATES) == []


async def test_internal_updates_are_posted_without_approval(bot, slack):
    await declare(bot)
    await bot.command("update", user=ALICE, channel=channel_of(bot).id)

    await bot.submit(slack.opened_views[-1].view, {"audience": "internal:internal"}, user=ALICE)

    assert any("Update" in str(m.blocks) for m in slack.messages(channel_of(bot).id)[-2:])
    assert slack.messages(UPDATES) == []
    assert "sent (no approval needed for this audience)" in note(slack, ALICE)


async def test_a_correction_is_approved_then_edits_every_copy(bot, slack):
    await declare(bot)
    await bot.click(card(slack), "draft_approve", user=BOB)

    await bot.click(card(slack), "message_correct", user=CAROL)
    await bot.submit(slack.opened_views[-1].view, {"impact": "Only Visa card payments fail."}, user=CAROL)
    await bot.click(card(slack), "draft_approve", user=BOB)

    [copy] = slack.messages(UPDATES)
    assert copy.edited and "Only Visa card payments fail." in str(copy.blocks)
    assert len([c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == UPDATES]) == 1


async def test_typed_mentions_block_approval_and_never_ping_in_the_preview(bot, slack):
    await declare(bot, what_happened="Payments fail <!channel> <@UBOB>")

    await bot.click(card(slack), "draft_approve", user=BOB)

    assert "blocking findings" in note(slack, BOB) and slack.messages(UPDATES) == []
    preview = str(card(slack).blocks)
    assert "<!channel>" not in preview and "<@UBOB>" not in preview and "&lt;!channel&gt;" in preview


async def test_typed_links_and_markup_are_published_as_plain_text(bot, slack):
    await declare(
        bot, what_happened="Checkout fails <https://evil.example|click here> for <b>some</b> buyers."
    )
    await bot.click(card(slack), "draft_approve", user=BOB)

    [published] = slack.messages(UPDATES)
    assert "<https://evil.example|click here>" not in str(published.blocks)
    assert "&lt;https://evil.example|click here&gt;" in str(published.blocks)


async def test_delivery_is_retried_after_rate_limits(bot, slack, clock):
    from datetime import timedelta

    await declare(bot)
    slack.rate_limit_next("chat.postMessage", retry_after=1, times=4)  # more than the client's own retries

    await bot.click(card(slack), "draft_approve", user=BOB)
    clock.advance(timedelta(minutes=1))
    await bot.core.publisher.deliver_due()

    assert len(slack.messages(UPDATES)) == 1


async def test_deliveries_are_counted_in_metrics(bot, slack):
    await declare(bot)
    await bot.click(card(slack), "draft_approve", user=BOB)

    async with bot.session.get(bot.metrics_url) as response:
        text = await response.text()
    assert (
        'incident_comms_deliveries_total{action="post",status="delivered"} 2.0' in text
    )  # updates + incident copy
