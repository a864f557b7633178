"""Editing a draft, correcting a published message and the timeline, from Teams."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.enums import DraftStatus, Stage
from storage.models import Draft
from tests.conftest import write_policy
from tests.teams.flows import button, command_dialog, declared, errors, form_of, open_from, submit_form
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import ALICE, THREAD
from tests.teams.test_resolution import RESOLVED, resolve

CORRECTED = "Checkout errors in the EU and the UK"


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}", "msteams:{ALICE}"]\n')


def approval_card(teams):
    return next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts() and p.cards)


async def initial(teams) -> Draft:
    async with teams.core.db.read() as session:
        return (await session.exec(select(Draft).where(Draft.stage == Stage.INITIAL))).one()


async def test_edit_opens_the_form_prefilled_from_the_draft_and_makes_version_2(teams):
    await declared(teams)
    card = approval_card(teams)
    stale_approve = next(a for a in card.card["actions"] if a["title"] == "Approve")

    answer = await open_from(teams, button(card, "Edit"))

    assert answer["task"]["value"]["title"] == "Edit INC-1"
    form = form_of(answer)
    ids = [e.get("id") for e in form["body"]]
    assert "audience" not in ids and "next_update_at" in ids
    assert next(e for e in form["body"] if e.get("id") == "headline")["value"] == "Checkout errors in EU"
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)

    done = await submit_form(teams, form, headline=CORRECTED)

    assert done["task"]["type"] == "message"
    assert card.edits, "the approval card was refreshed in place"
    assert "v2" in card.texts() and CORRECTED in card.texts()
    assert "Approve" in [a["title"] for a in card.card["actions"]]
    draft = await initial(teams)
    assert draft.status == DraftStatus.PENDING
    # the approval of version 1 no longer counts
    card.card["actions"] = [stale_approve]
    refused = await click(teams, card, "Approve", user=BOB)
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert (await initial(teams)).status == DraftStatus.PENDING


async def test_an_invalid_edit_is_answered_in_the_dialog_and_changes_nothing(teams):
    await declared(teams)
    card = approval_card(teams)
    form = form_of(await open_from(teams, button(card, "Edit")))

    answer = await submit_form(teams, form, headline="")

    assert errors(answer) == ["This field is required."]
    assert not card.edits and "v1" in card.texts()


async def test_correct_edits_the_delivered_copy_in_place_once_approved(teams):
    await declared(teams)
    card = approval_card(teams)
    await click(teams, card, "Approve", user=BOB)
    published = teams.connector.last(THREAD)
    assert published.activity["summary"] == "INC-1 · Initial notice: Checkout errors in EU"
    form = form_of(await open_from(teams, button(card, "Correct")))

    await submit_form(teams, form, headline=CORRECTED)
    assert "v2" in card.texts() and not published.edits
    posted = len(teams.connector.posted)
    await click(teams, card, "Approve", user=BOB)

    assert published.edits, "the delivered copy was edited in place (PUT)"
    assert published.activity["summary"] == f"INC-1 · Initial notice: {CORRECTED}"
    assert f"**{CORRECTED}**" in published.texts() and "Checkout errors in EU" not in published.texts()
    assert len(teams.connector.posted) == posted, "no second POST"
    draft = await initial(teams)
    assert (draft.status, draft.published_version) == (DraftStatus.PUBLISHED, 2)


async def test_editing_a_resolution_notice_keeps_the_resolution_the_form_does_not_show(teams):
    await declared(teams)
    await resolve(teams)
    card = next(p for p in teams.connector.messages(THREAD) if "Resolution notice" in p.texts() and p.cards)
    form = form_of(await open_from(teams, button(card, "Edit")))
    assert "next_update_at" not in [e.get("id") for e in form["body"]]

    done = await submit_form(teams, form, headline="Checkout works again")

    assert done["task"]["type"] == "message"
    assert "v2" in card.texts() and "Checkout works again" in card.texts()
    async with teams.core.db.read() as session:
        draft = (await session.exec(select(Draft).where(Draft.stage == Stage.RESOLVED))).one()
    state = await teams.core.drafts.state(draft.id)
    assert state.version.number == 2
    assert state.version.facts["resolution"] == RESOLVED["customer_text"]


async def test_timeline_answers_in_the_incidents_conversation(teams):
    await declared(teams)

    await teams.message("incident timeline", user=ALICE, conversation=THREAD)

    posted = teams.connector.last(THREAD)
    assert "INC-1 · timeline" in posted.texts()
    assert "declared" in posted.texts().lower()


async def test_edit_opens_the_incident_form_and_announces_the_changes(teams):
    await declared(teams)

    form = await command_dialog(teams, "edit", "Edit incident")

    assert next(e for e in form["body"] if e.get("id") == "title")["value"] == "Checkout errors in EU"
    assert next(e for e in form["body"] if e.get("id") == "status")["value"] == "investigating"
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)
    done = await submit_form(teams, form, title="Checkout errors in EU and UK", severity="SEV1")

    assert done["task"]["type"] == "message"
    incident = await teams.core.incidents.get(1)
    assert (incident.title, incident.severity) == ("Checkout errors in EU and UK", "SEV1")
    summaries = [p.activity["summary"] for p in teams.connector.messages(THREAD)]
    assert summaries[-2:] == ["INC-1 severity SEV2 → SEV1", "INC-1 updated"]
    assert "INC-1 · SEV1 · Checkout errors in EU and UK" in summaries  # the intro card, refreshed


async def test_an_invalid_incident_edit_is_answered_in_the_dialog(teams):
    await declared(teams)
    form = await command_dialog(teams, "edit", "Edit incident")

    answer = await submit_form(teams, form, title="")

    assert errors(answer) == ["This field is required."]
    assert (await teams.core.incidents.get(1)).title == "Checkout errors in EU"


async def test_the_intro_cards_edit_incident_button_opens_the_same_dialog(teams):
    await declared(teams)
    intro = next(p for p in teams.connector.messages(THREAD) if "Edit incident" in str(p.card.get("actions")))

    answer = await open_from(teams, button(intro, "Edit incident"))

    assert answer["task"]["value"]["title"] == "Edit INC-1"


async def test_a_stale_incident_form_keeps_a_newer_change_and_answers_a_clash_in_the_dialog(teams):
    await declared(teams)
    stale = await command_dialog(teams, "edit", "Edit incident")
    await submit_form(teams, await command_dialog(teams, "edit", "Edit incident"), severity="SEV1")

    clash = await submit_form(teams, stale, severity="SEV3")
    done = await submit_form(teams, stale, title="Checkout errors in EU and UK")

    assert errors(clash) == [
        "INC-1 changed since you opened this form: this is now “SEV1”. Reopen the form to edit it."
    ]
    assert done["task"]["type"] == "message"
    incident = await teams.core.incidents.get(1)
    assert (incident.title, incident.severity) == ("Checkout errors in EU and UK", "SEV1")


async def test_an_edit_of_an_older_draft_version_is_answered_in_the_dialog(teams):
    await declared(teams)
    stale = form_of(await open_from(teams, button(approval_card(teams), "Edit")))
    await submit_form(
        teams, form_of(await open_from(teams, button(approval_card(teams), "Edit"))), impact="Visa only."
    )

    answer = await submit_form(teams, stale, impact="Everything is down.")

    assert errors(answer)[0].startswith("This form edits version 1, but the draft is now at version 2")
    assert (await initial(teams)).version == 2
