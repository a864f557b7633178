"""Follow-ups from Teams: the list card, Complete (the RCA drafts the post-incident message), Reassign."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.enums import DraftStatus, Stage
from storage.models import Draft
from tests.teams.flows import button, declared, errors, follow_ups, form_of, open_from, submit_form
from tests.teams.test_declare import ALICE, THREAD
from tests.teams.test_resolution import resolve

RCA = {
    "root_cause": "A configuration change disabled the EU payment route.",
    "corrective_actions": "We restored the previous configuration.",
    "preventive_measures": "Configuration changes to payment routes now need a second review.",
}


async def listed(teams):
    await declared(teams, named_accounts="Acme Corp")
    await resolve(teams)
    await teams.message("followups", user=ALICE, conversation=THREAD)
    return teams.connector.last(THREAD)


async def test_followups_lists_the_items_with_complete_and_reassign_buttons_that_open_dialogs(teams):
    posted = await listed(teams)

    assert "INC-1 · follow-up (2 open)" in posted.texts()
    assert button(posted, "Complete")["data"]["dialog"] == "follow_up_complete"
    assert button(posted, "Reassign / due date")["data"]["dialog"] == "follow_up_change"


async def test_completing_the_rca_checks_its_fields_then_drafts_the_post_incident_message(teams):
    posted = await listed(teams)
    form = form_of(await open_from(teams, button(posted, "Complete")))
    assert [e["id"] for e in form["body"] if e["type"].startswith("Input.")] == [
        "root_cause",
        "corrective_actions",
        "preventive_measures",
        "window",
        "what_happened",
        "impact",
        "notes",
    ]
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)

    invalid = await submit_form(teams, form, **{**RCA, "root_cause": ""})
    assert errors(invalid) == ["This field is required."]

    answer = await submit_form(teams, form, **RCA)

    assert answer["task"]["type"] == "message"
    [rca, _renewal] = await follow_ups(teams)
    assert rca.status == "complete"
    async with teams.core.db.read() as session:
        [draft] = (await session.exec(select(Draft).where(Draft.stage == Stage.POST_INCIDENT))).all()
    assert draft.status == DraftStatus.PENDING
    shown = teams.connector.messages(THREAD)[-3:]
    assert any("completed" in p.texts() for p in shown)
    assert any(RCA["root_cause"] in p.texts() for p in teams.connector.messages(THREAD))


async def test_reassigning_checks_owner_and_due_date_then_moves_the_item(teams, clock):
    posted = await listed(teams)
    form = form_of(await open_from(teams, button(posted, "Reassign / due date")))
    past = (clock.now() - timedelta(days=3)).strftime("%Y-%m-%d")
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)

    invalid = await submit_form(teams, form, owner="", due_date=past)
    assert errors(invalid) == ["Pick who owns this item.", "The due date cannot be in the past."]

    later = (clock.now() + timedelta(days=10)).strftime("%Y-%m-%d")
    await submit_form(teams, form, owner="Bob@Example.com", due_date=later)

    [rca, _renewal] = await follow_ups(teams)
    assert rca.owner_id == "msteams:bob@example.com"
    assert rca.due_at.strftime("%Y-%m-%d") == later


async def test_the_owner_completes_from_the_card_in_their_personal_chat(teams):
    await declared(teams)
    await resolve(teams)
    chat = f"a:personal-{ALICE}"
    assigned = next(
        p for p in teams.connector.messages(chat) if "You own a follow-up" in p.activity["summary"]
    )
    action = button(assigned, "Complete")
    fetch = {"data": action["data"]}

    reply = await teams.invoke(
        "task/fetch", fetch, user=ALICE, conversation=chat, conversation_type="personal"
    )
    form = form_of(reply.body)
    data = {**{e["id"]: "" for e in form["body"] if e["type"].startswith("Input.")}, **RCA}
    data.update(form["actions"][0]["data"])
    await teams.invoke(
        "task/submit", {"data": data}, user=ALICE, conversation=chat, conversation_type="personal"
    )
    await teams.settle()

    assert [item.status for item in await follow_ups(teams)] == ["complete"]
    assert any("completed" in p.texts() for p in teams.connector.messages(THREAD))
