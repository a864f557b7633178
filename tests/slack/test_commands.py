"""/incident help, list, status and edit, as a responder uses them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.audit.trail import AuditAction
from storage.models import AuditEvent
from tests.conftest import ALICE, BOB, CAROL, GENERAL
from tests.slack.flows import DEFAULT_FORM, channel_of, declare


def last_note(slack, user: str) -> str:
    return slack.ephemerals(user=user)[-1].text


async def test_help_is_shown_privately(bot, slack):
    await bot.command("help", user=ALICE, channel=GENERAL)

    note = slack.ephemerals(user=ALICE)[-1]
    assert "/incident list" in note.text or "/incident list" in str(note.blocks)
    assert slack.messages(GENERAL) == []


async def test_an_unknown_subcommand_gets_the_help_text(bot, slack):
    await bot.command("stauts", user=ALICE, channel=GENERAL)

    shown = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert "`stauts` is not an /incident subcommand" in shown and "/incident declare stauts" in shown
    assert slack.opened_views == []


async def test_list_shows_active_incidents_but_private_ones_only_to_their_people(bot, slack):
    await declare(bot, "Checkout errors in EU")
    await declare(bot, "Payroll export leak", user=BOB, visibility="private")

    await bot.command("list", user=CAROL, channel=GENERAL)
    carol_sees = str(slack.ephemerals(user=CAROL)[-1].blocks)
    await bot.command("list", user=BOB, channel=GENERAL)
    bob_sees = str(slack.ephemerals(user=BOB)[-1].blocks)

    assert "INC-1" in carol_sees and "Payroll" not in carol_sees
    assert "INC-1" in bob_sees and "INC-2" in bob_sees and "Payroll export leak" in bob_sees


async def test_status_in_the_incident_channel_shows_the_summary(bot, slack, clock):
    await declare(bot)
    channel = channel_of(bot)

    await bot.command("status", user=ALICE, channel=channel.id)

    shown = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert "INC-1 · Checkout errors in EU" in shown and "SEV2" in shown and "investigating" in shown
    assert "*Next customer update due* 2026-11-23 10:30 UTC" in shown

    await bot.command("snooze 15m", user=ALICE, channel=channel.id)
    await bot.command("status", user=ALICE, channel=channel.id)
    shown = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert f"Reminders snoozed by <@{ALICE}> until 09:45 UTC" in shown  # who, from the audit trail

    clock.advance(timedelta(minutes=2))
    await bot.command("pause", user=ALICE, channel=channel.id)
    await bot.command("status", user=ALICE, channel=channel.id)
    shown = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert f"Reminders paused by <@{ALICE}> since 09:32 UTC (`/incident resume`)" in shown


async def test_status_outside_an_incident_channel_says_where_to_run_it(bot, slack):
    await bot.command("status", user=ALICE, channel=GENERAL)

    assert "not an incident channel" in str(slack.ephemerals(user=ALICE)[-1].blocks)


async def edit(bot, channel_id: str, user: str = ALICE, **changes):
    await bot.command("edit", user=user, channel=channel_id)
    view = bot.slack.opened_views[-1].view
    assert view["callback_id"] == "incident_edit"
    return await bot.submit(view, changes, user=user)


async def test_edit_announces_a_severity_change_and_keeps_the_earlier_facts(bot, slack):
    await declare(bot)
    channel = channel_of(bot)

    await edit(
        bot,
        channel.id,
        user=ALICE,  # the reporter (and commander)
        severity="SEV1",
        status="identified",
        customer_impact="All EU checkouts fail.",
    )

    shown = slack.transcript(channel.id)
    assert "Severity changed: *SEV2 → SEV1*" in shown
    assert "Customer impact: ~" in shown  # the other changes are listed, the old value struck out
    assert "SEV1" in slack.channel(channel.id).topic and "identified" in slack.channel(channel.id).topic
    intro = slack.messages(channel.id)[0]
    assert intro.edited and "All EU checkouts fail." in str(intro.blocks)
    await bot.command("status", user=ALICE, channel=channel.id)
    status = str(slack.ephemerals(user=ALICE)[-1].blocks)
    assert DEFAULT_FORM["customer_impact"] in status  # the earlier belief is still shown
    async with bot.core.db.read() as session:
        events = (
            await session.exec(select(AuditEvent).where(AuditEvent.action.startswith("incident.")))
        ).all()
    severity = [e for e in events if e.action == AuditAction.SEVERITY_CHANGED]
    assert [(e.actor_id, e.details["old"], e.details["new"]) for e in severity] == [(ALICE, "SEV2", "SEV1")]


async def test_edit_with_an_empty_title_is_answered_inline(bot):
    await declare(bot)
    reply = await edit(bot, channel_of(bot).id, title="")

    assert reply.json() == {"response_action": "errors", "errors": {"title": "This field is required."}}


async def test_the_edit_button_on_the_intro_opens_the_edit_form(bot, slack):
    await declare(bot)
    intro = slack.messages(channel_of(bot).id)[0]

    await bot.click(intro, "incident_edit", user=ALICE)

    assert slack.opened_views[-1].view["callback_id"] == "incident_edit"
