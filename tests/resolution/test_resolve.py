"""Resolve and reopen, as the incident channel and the approvers see them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.audit.trail import AuditAction
from bot.services.sweeps import cadence_sweep
from storage.models import AuditEvent, FollowUp
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS
from tests.slack.flows import channel_of, declare

HOUR = timedelta(hours=1)


async def resolve(bot, channel: str, values: dict | None = None, *, user: str = ALICE):
    await bot.command("resolve", user=user, channel=channel)
    view = bot.slack.opened_views[-1].view
    defaults = {
        "summary": "Rolled back the gateway deploy.",
        "customer_text": "Payments work normally again.",
    }
    return await bot.submit(view, {**defaults, **(values or {})}, user=user)


async def follow_ups(bot) -> list[FollowUp]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(FollowUp).order_by(FollowUp.id))).all())


async def test_resolving_drafts_the_notice_updates_the_topic_and_creates_follow_ups(bot, slack, clock):
    await declare(bot, commander=BOB, comms_owner=CAROL, named_accounts="Acme Corp")
    channel = channel_of(bot)
    clock.advance(2 * HOUR)

    reply = await resolve(bot, channel.id)

    assert reply.status == 200
    incident = await bot.core.incidents.get(1)
    assert incident.status == "resolved" and incident.resolution_summary == "Rolled back the gateway deploy."
    assert "resolved" in slack.channel(channel.id).topic
    transcript = slack.transcript(channel.id)
    assert "INC-1 is resolved" in transcript and "it lasted 2h" in transcript
    assert (
        "Root-cause analysis · @bob" in transcript and "Renewal-risk review: Acme Corp · @carol" in transcript
    )
    notice = slack.messages(APPROVALS)[-1]
    assert "Resolution notice" in str(notice.blocks) and "Payments work normally again." in str(notice.blocks)
    items = await follow_ups(bot)
    assert [(i.kind, i.subject, i.owner_id) for i in items] == [
        ("rca", "", BOB),
        ("renewal_risk", "Acme Corp", CAROL),
    ]
    assert items[0].due_at == incident.resolved_at + timedelta(days=7)  # 5 business days from a Monday
    dms = [c.args["channel"] for c in slack.calls_to("chat.postMessage") if c.args["channel"] in (BOB, CAROL)]
    assert sorted(dms) == [BOB, CAROL]


async def test_sev1_gets_service_credit_and_executive_follow_ups(bot, slack, clock):
    await declare(bot, severity="SEV1", commander=BOB, comms_owner=CAROL)
    await resolve(bot, channel_of(bot).id)

    assert [i.kind for i in await follow_ups(bot)] == ["rca", "service_credit", "executive"]


async def test_resolve_stops_reminders_even_one_due_that_second(bot, slack, clock):
    await declare(bot)
    due = (await bot.core.incidents.get(1)).next_update_due_at
    clock.set(due)

    await resolve(bot, channel_of(bot).id)

    assert await cadence_sweep(bot.core, due) == 0
    assert await cadence_sweep(bot.core, due + 2 * HOUR) == 0
    assert not [m for m in slack.messages(channel_of(bot).id) if m.text.startswith(("⏰", "🔔", "🚨"))]


async def test_the_resolve_form_answers_missing_or_impossible_values_inline(bot, slack, clock):
    await declare(bot)
    await bot.command("resolve", user=ALICE, channel=channel_of(bot).id)
    view = slack.opened_views[-1].view
    future = int((clock.now() + HOUR).timestamp())

    reply = await bot.submit(view, {"summary": "", "customer_text": "", "resolved_at": future}, user=ALICE)

    errors = reply.json()["errors"]
    assert set(errors) == {"summary", "customer_text", "resolved_at"}
    assert (await bot.core.incidents.get(1)).status != "resolved"


async def test_the_resolve_button_on_the_intro_card_opens_the_same_form(bot, slack, clock):
    await declare(bot)
    intro = next(m for m in slack.messages(channel_of(bot).id) if m.pinned)

    await bot.click(intro, "incident_resolve", user=ALICE)

    assert slack.opened_views[-1].view["callback_id"] == "incident_resolve"


async def test_reopen_brings_reminders_back_and_is_audited(bot, slack, clock):
    await declare(bot)
    channel = channel_of(bot).id
    await resolve(bot, channel)
    clock.advance(HOUR)

    await bot.command("reopen", user=ALICE, channel=channel)

    incident = await bot.core.incidents.get(1)
    assert incident.status == "investigating" and incident.next_update_due_at == clock.now() + HOUR
    assert "was reopened by @alice" in slack.transcript(channel)
    assert await cadence_sweep(bot.core, clock.now() + HOUR) == 2  # the reminder, and live again
    assert "INC-1 missed its first-update target" in slack.transcript(channel)  # with no update yet
    async with bot.core.db.read() as session:
        actions = [e.action for e in (await session.exec(select(AuditEvent))).all()]
    assert AuditAction.RESOLVED in actions and AuditAction.REOPENED in actions


async def test_resolving_twice_is_refused_and_reresolving_makes_no_duplicate_follow_ups(bot, slack, clock):
    await declare(bot)
    channel = channel_of(bot).id
    await resolve(bot, channel)
    await resolve(bot, channel)
    assert "already resolved" in str(slack.responses()[-1]) or "already resolved" in str(
        slack.ephemerals(user=ALICE)[-1].blocks
    )

    await bot.command("reopen", user=ALICE, channel=channel)
    await resolve(bot, channel)
    assert len(await follow_ups(bot)) == 1


async def test_the_resolution_notice_can_be_edited_with_its_own_fields(bot, slack, clock):
    await declare(bot)
    await resolve(bot, channel_of(bot).id)
    notice = slack.messages(APPROVALS)[-1]

    await bot.click(notice, "draft_edit", user=ALICE)
    form = slack.opened_views[-1].view
    blocks = {b["block_id"]: b for b in form["blocks"]}
    assert "resolution" in blocks and blocks["resolution"].get("optional") is not True
    assert blocks["next_steps"].get("optional") is True  # a resolution notice needs no next steps
    reply = await bot.submit(
        form, {"resolution": "Payments have worked normally since 10:55 UTC."}, user=ALICE
    )

    assert reply.status == 200 and "errors" not in (reply.json() or {})
    edited = slack.messages(APPROVALS)[-1]
    assert "v2" in str(edited.blocks) and "Payments have worked normally since 10:55 UTC." in str(
        edited.blocks
    )


async def test_resolving_in_the_second_it_was_declared_resolves_it(bot, slack, clock):
    clock.set(clock.now() + timedelta(milliseconds=400))  # the form's time picker keeps whole seconds
    await declare(bot)

    reply = await resolve(bot, channel_of(bot).id)

    assert reply.status == 200 and not reply.text
    assert (await bot.core.incidents.get(1)).status == "resolved"
