"""Drafting an update from Teams: the drafting form with its audience picker, Slack's rules, approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.enums import AudienceKind, DraftStatus, Stage
from storage.models import Draft
from tests.conftest import write_policy
from tests.teams.flows import button, command_dialog, declared, errors, open_from, submit_form
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import ALICE, THREAD

HEADLINE = "Checkout works again for most EU customers"


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}", "msteams:{ALICE}"]\n')


async def updates(teams) -> list[Draft]:
    async with teams.core.db.read() as session:
        return list((await session.exec(select(Draft).where(Draft.stage == Stage.UPDATE))).all())


async def test_update_offers_customers_each_named_account_and_internal_prefilled_from_the_last_update(teams):
    await declared(teams, named_accounts="Acme Corp\nGlobex")

    form = await command_dialog(teams, "update", "Draft update")

    audience = next(e for e in form["body"] if e.get("id") == "audience")
    assert [c["title"] for c in audience["choices"]] == [
        "Customers",
        "Acme Corp (named account)",
        "Globex (named account)",
        "Internal recipients",
    ]
    headline = next(e for e in form["body"] if e.get("id") == "headline")
    assert headline["value"]  # prefilled from the initial notice
    if teams.connector.card_validator is not None:
        teams.connector.card_validator(form)


async def test_a_valid_update_goes_to_approval_and_an_approver_publishes_it(teams):
    await declared(teams)
    form = await command_dialog(teams, "update", "Draft update")

    answer = await submit_form(teams, form, headline=HEADLINE)

    assert answer["task"]["type"] == "message"
    [draft] = await updates(teams)
    assert draft.status == DraftStatus.PENDING and draft.audience_kind == AudienceKind.CUSTOMER
    shown = "\n".join(p.texts() for p in teams.connector.messages(THREAD))
    assert "no approval needed" not in shown, "a customer update waits; nobody is told it was sent"
    card = next(
        p for p in teams.connector.messages(THREAD) if HEADLINE in p.texts() and p.card.get("actions")
    )
    await click(teams, card, "Approve", user=BOB)
    [draft] = await updates(teams)
    assert draft.status == DraftStatus.PUBLISHED


async def test_invalid_update_input_is_answered_in_the_dialog_with_slacks_messages(teams, clock):
    await declared(teams)
    form = await command_dialog(teams, "update", "Draft update")
    past = (clock.now() - timedelta(days=1)).strftime("%Y-%m-%d")

    answer = await submit_form(teams, form, headline="", next_update_at=past)

    assert errors(answer) == ["This field is required.", "The next update must be in the future."]
    assert await updates(teams) == []


async def test_a_named_account_not_on_the_incident_is_refused(teams):
    await declared(teams, named_accounts="Acme Corp")
    form = await command_dialog(teams, "update", "Draft update")

    answer = await submit_form(teams, form, audience="named_account:Initech")

    assert answer == {
        "task": {"type": "message", "value": "That named account is not part of this incident."}
    }
    assert await updates(teams) == []


async def test_the_intro_cards_draft_update_button_opens_the_same_dialog(teams):
    await declared(teams)
    intro = next(p for p in teams.connector.messages(THREAD) if "Draft update" in str(p.card.get("actions")))

    answer = await open_from(teams, button(intro, "Draft update"))

    assert answer["task"]["value"]["title"] == "Update INC-1"


async def test_an_internal_update_needs_no_approval_by_default_and_is_sent_at_once(teams):
    await declared(teams)
    form = await command_dialog(teams, "update", "Draft update")

    answer = await submit_form(teams, form, audience="internal:internal", headline=HEADLINE)

    assert answer["task"]["value"] == "Sending: no approval is needed for this audience."
    [draft] = await updates(teams)
    assert (draft.audience_kind, draft.status) == (AudienceKind.INTERNAL, DraftStatus.PUBLISHED)
    assert "sent (no approval needed for this audience)" in teams.connector.last(THREAD).texts()
