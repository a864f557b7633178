"""Resolve and reopen from Teams: the resolve dialog, the same form rules and the same consequences."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.audit.trail import AuditAction
from bot.enums import DraftStatus, IncidentStatus, Stage
from bot.resolution.archiving import ChannelArchiver
from emulator.teams.driver import personal_chat
from storage.models import AuditEvent, Draft, Reminder
from tests.conftest import write_policy
from tests.teams.flows import (
    button,
    command_dialog,
    declared,
    errors,
    follow_ups,
    form_of,
    open_from,
    submit_form,
)
from tests.teams.test_declare import ALICE, FORM, THREAD

RESOLVED = {"summary": "Rolled back the gateway deploy.", "customer_text": "Payments work normally again."}


async def resolve(teams, **values: str) -> dict:
    form = await command_dialog(teams, "resolve", "Resolve")
    return await submit_form(teams, form, **{**RESOLVED, **values})


async def test_resolve_opens_slacks_form_then_stops_reminders_drafts_the_notice_and_creates_follow_ups(
    teams, clock
):
    await declared(teams)
    clock.set(clock.now() + timedelta(hours=1))
    assert await teams.core.reminders.run() == 1
    await teams.settle()

    form = await command_dialog(teams, "resolve", "Resolve")
    labels = [e.get("label") for e in form["body"] if e["type"].startswith("Input.") and e.get("label")]
    assert labels == [
        "Resolution summary (internal)",
        "Customer impact started at (UTC)",
        "Resolved at (UTC)",
        "Resolution for customers",
        "What happened (past tense)",
        "Customer impact (past tense)",
    ]
    impact = next(e for e in form["body"] if e.get("id") == "impact")
    assert "cannot" not in impact["value"] and "could not" in impact["value"]
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)
    answer = await submit_form(teams, form, **RESOLVED)

    assert answer["task"]["type"] == "message"
    incident = await teams.core.incidents.get(1)
    assert incident.status == "resolved" and incident.resolution_summary == RESOLVED["summary"]
    shown = "\n".join(p.texts() for p in teams.connector.messages(THREAD))
    assert "INC-1 is resolved" in shown and "Root-cause analysis" in shown
    assert "Payments work normally again." in shown  # the resolution notice, waiting for approval
    async with teams.core.db.read() as session:
        drafts = (await session.exec(select(Draft).where(Draft.stage == Stage.RESOLVED))).all()
        reminders = (await session.exec(select(Reminder))).all()
    assert [d.status for d in drafts] == [DraftStatus.PENDING]
    assert reminders and all(r.status == "closed" for r in reminders)
    assert next((i.kind, i.owner_id) for i in await follow_ups(teams)) == ("rca", f"msteams:{ALICE}")


async def test_invalid_resolve_input_is_answered_in_the_dialog_with_slacks_messages(teams, clock):
    await declared(teams)
    future = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%d")

    answer = await resolve(teams, summary="", resolved_at=future)

    assert errors(answer) == ["This field is required.", "The resolution time cannot be in the future."]
    customer_text = next(e for e in form_of(answer)["body"] if e.get("id") == "customer_text")
    assert customer_text["value"] == RESOLVED["customer_text"]
    assert (await teams.core.incidents.get(1)).status != "resolved"


async def test_a_resolve_dialog_from_before_a_reopen_is_answered_in_the_dialog(teams, clock):
    await declared(teams)
    stale = await command_dialog(teams, "resolve", "Resolve")
    clock.advance(timedelta(minutes=1))
    await resolve(teams)
    clock.advance(timedelta(minutes=1))
    await teams.message("reopen", user=ALICE, conversation=THREAD)

    answer = await submit_form(teams, stale, **RESOLVED)

    [error] = errors(answer)
    assert "was resolved and reopened at" in error and "Open the form again to resolve it." in error
    assert (await teams.core.incidents.get(1)).status != "resolved"
    assert await submit_form(teams, form_of(answer), **RESOLVED)  # the shown-again form is still stale
    assert (await teams.core.incidents.get(1)).status != "resolved"


async def test_the_intro_cards_resolve_button_opens_the_same_dialog(teams):
    await declared(teams)
    intro = next(p for p in teams.connector.messages(THREAD) if "Resolve" in str(p.card.get("actions", [])))

    form = form_of(await open_from(teams, button(intro, "Resolve")))

    assert next(e["id"] for e in form["body"] if e["type"].startswith("Input.")) == "summary"


async def test_a_resolved_incident_cannot_be_resolved_again_and_reopen_brings_it_back(teams):
    await declared(teams)
    await resolve(teams)

    await teams.message("resolve", user=ALICE, conversation=THREAD)
    assert "INC-1 is already resolved" in teams.connector.last(THREAD).texts()

    await teams.message("reopen", user=ALICE, conversation=THREAD)

    assert (await teams.core.incidents.get(1)).status != "resolved"
    assert "reopened" in teams.connector.last(THREAD).texts()


async def test_dialog_data_naming_a_private_incident_is_refused_to_someone_outside_it(teams):
    chat = personal_chat(ALICE)
    declare = {"data": {**FORM, "visibility": "private"}}
    await teams.invoke("task/submit", declare, user=ALICE, conversation=chat, conversation_type="personal")
    await teams.settle()
    forged = {"data": {"dialog": "incident_resolve", "value": "1", **RESOLVED}}

    opened = await teams.invoke("task/fetch", forged, user="aad-mallory", conversation=THREAD)
    submitted = await teams.invoke("task/submit", forged, user="aad-mallory", conversation=THREAD)
    await teams.settle()

    refusal = {
        "task": {
            "type": "message",
            "value": "Only the people running INC-1 can do that: it is a private incident.",
        }
    }
    assert opened.body == refusal and submitted.body == refusal
    assert (await teams.core.incidents.get(1)).status != "resolved"


async def test_an_incident_that_ran_in_a_shared_thread_is_not_recorded_as_archived(teams, tmp_path):
    await declared(teams)
    core = teams.core
    await core.incidents.update_fields(1, status=IncidentStatus.RESOLVED.value, resolved_at=core.clock.now())
    policy = write_policy(tmp_path, "[resolution]\narchive_after_days = 3\n")

    await ChannelArchiver(core.db, core.platform, policy).archive_due(core.clock.now() + timedelta(days=4))

    async with core.db.read() as session:
        [event] = (
            await session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.CHANNEL_ARCHIVED))
        ).all()
    assert event.details.get("failed") == "not_its_own_channel"
