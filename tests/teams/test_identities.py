"""Teams people by object id, by UPN and by name: the policy may list either, cards show names."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.cards import mention
from handlers.teams.text import to_teams
from tests.conftest import write_policy
from tests.teams.flows import button, form_of, open_from, submit_form
from tests.teams.test_approvals import click, declared
from tests.teams.test_declare import ALICE, THREAD, incidents, open_dialog, submit

BOB, CAROL, DAVE = "aad-bob", "aad-carol", "aad-dave"
PEOPLE = {
    ALICE: ("Alice@Contoso.com", "Alice Smith"),
    BOB: ("Bob@Contoso.com", "Bob Jones"),
    CAROL: ("carol@contoso.com", "Carol White"),
}


@pytest.fixture
def policy(tmp_path):
    approvers = '["msteams:bob@contoso.com", "msteams:ALICE@contoso.com", "msteams:aad-dave"]'
    return write_policy(tmp_path, f"[approvals]\napprovers = {approvers}\n")


@pytest.fixture(autouse=True)
def directory(connector):
    """The tenant as the Bot Connector describes it (Dave is not in it)."""
    for object_id, (upn, name) in PEOPLE.items():
        connector.members[object_id] = {
            "id": f"29:{object_id}",
            "aadObjectId": object_id,
            "userPrincipalName": upn,
            "email": upn,
            "name": name,
        }


def lookups(teams, member: str) -> int:
    return sum(1 for _, asked in teams.connector.member_lookups if asked == member)


async def test_an_approver_listed_by_upn_approves_and_the_card_names_them(teams):
    posted = await declared(teams)

    body = await click(teams, posted, "Approve", user=BOB)

    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Status: 📣 Published" in posted.texts()
    assert "Approvals: 1 of 1: <at>Bob Jones</at>" in posted.texts()
    entities = posted.card["msteams"]["entities"]
    assert {
        "type": "mention",
        "text": "<at>Bob Jones</at>",
        "mentioned": {"id": BOB, "name": "Bob Jones"},
    } in (entities)


async def test_someone_with_another_upn_is_refused_with_the_approvers_message(teams):
    posted = await declared(teams)

    body = await click(teams, posted, "Approve", user=CAROL)

    assert body["value"].startswith(
        "Only approvers (bob@contoso.com, Alice Smith, aad-dave)"  # names of the people it knows
    )
    assert posted.edits == []


async def test_an_author_declared_by_object_id_and_listed_by_upn_cannot_approve_their_own_draft(teams):
    posted = await declared(teams)  # declared by Alice, who acts under her object id

    body = await click(teams, posted, "Approve", user=ALICE)

    assert "Authors cannot approve their own draft" in body["value"]
    assert posted.edits == []


async def test_an_author_recorded_under_their_upn_is_still_the_same_person(teams):
    await teams.message("status", user=ALICE, conversation=THREAD)  # Alice is now known
    people = teams.core.access.people

    assert await people.same(f"msteams:{ALICE}", "msteams:alice@contoso.com")
    assert not await people.same(f"msteams:{BOB}", "msteams:alice@contoso.com")


@pytest.mark.parametrize("status", [404, 500])
async def test_a_failing_member_lookup_still_lets_an_object_id_approver_approve(teams, status):
    posted = await declared(teams)
    teams.connector.member_failure = status

    body = await click(teams, posted, "Approve", user=DAVE)

    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Status: 📣 Published" in posted.texts()
    assert "Approvals: 1 of 1: <at>aad-dave</at>" in posted.texts()  # no name known: the id
    assert lookups(teams, DAVE) == 1


async def test_a_busy_conversation_asks_the_connector_about_a_person_once_a_day(teams, clock):
    posted = await declared(teams)
    for _ in range(3):
        await teams.message("status", user=BOB, conversation=THREAD)
    assert lookups(teams, BOB) == 1

    teams.connector.members[BOB]["name"] = "Bob Jones-Smith"
    clock.advance(timedelta(days=1, minutes=1))
    later = clock.now() + timedelta(hours=1)  # the notice's promise has passed: it is given a new one
    form = form_of(await open_from(teams, button(posted, "Edit")))
    await submit_form(
        teams, form, next_update_at=later.strftime("%Y-%m-%d"), next_update_at_time=later.strftime("%H:%M")
    )
    await click(teams, posted, "Approve", user=BOB)

    assert lookups(teams, BOB) == 2
    assert "Approvals: 1 of 1: <at>Bob Jones-Smith</at>" in posted.texts()


async def test_a_commander_typed_as_a_upn_is_stored_by_object_id(teams):
    await open_dialog(teams)

    await submit(teams, commander="BOB@contoso.com", comms_owner="nobody@contoso.com")

    [incident] = await incidents(teams)
    assert incident.commander_id == f"msteams:{BOB}"  # asked the connector in this conversation
    assert incident.comms_owner_id == "msteams:nobody@contoso.com"  # unknown: kept as typed
    assert lookups(teams, "bob@contoso.com") == 1


async def test_user_typed_mention_markup_stays_text_even_beside_names(teams):
    await open_dialog(teams)
    await submit(teams, title="<at>Bob Jones</at> broke checkout", commander="bob@contoso.com")

    card = next(p for p in teams.connector.messages(THREAD) if "broke checkout" in p.texts())
    texts = card.texts()
    assert "&lt;at&gt;Bob Jones&lt;/at&gt; broke checkout" in texts
    for entity in card.card.get("msteams", {}).get("entities", []):
        assert entity["mentioned"]["id"] in (ALICE, BOB)


def test_a_display_name_is_escaped_in_the_mention_tag_and_its_entity():
    mentions: list[dict] = []

    text = to_teams(f"Owner: {mention('msteams:aad-eve')}", mentions, {"aad-eve": "Eve <b>&"})

    assert text == "Owner: <at>Eve &lt;b&gt;&amp;</at>"
    assert mentions == [
        {
            "type": "mention",
            "text": "<at>Eve &lt;b&gt;&amp;</at>",
            "mentioned": {"id": "aad-eve", "name": "Eve <b>&"},
        }
    ]


async def test_someone_named_by_a_upn_nobody_knew_yet_gets_their_private_incident_once_they_write(teams):
    erin = {"id": "29:aad-erin", "aadObjectId": "aad-erin", "userPrincipalName": "Erin@Contoso.com"}
    await open_dialog(teams)
    await submit(teams, commander="erin@contoso.com", visibility="public")  # Erin is not known yet
    await teams.core.incidents.update_fields(1, visibility="private")
    [incident] = await incidents(teams)
    assert incident.commander_id == "msteams:erin@contoso.com"

    teams.connector.members["aad-erin"] = {**erin, "name": "Erin Blue"}  # she joins and writes
    await teams.chat("list", user="aad-erin")

    [incident] = await incidents(teams)
    assert incident.commander_id == "msteams:aad-erin"
    assert "Checkout errors in EU" in teams.connector.last().texts()
