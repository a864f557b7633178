"""With a team configured, each Teams incident gets its own channel, created through Graph."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.enums import IncidentStatus
from bot.resolution.archiving import ChannelArchiver
from tests.conftest import write_policy
from tests.teams.conftest import INCIDENT_TEAM, OUTBOUND_TOKEN
from tests.teams.test_declare import THREAD, incidents, open_dialog, submit


@pytest.fixture
def teams(graph_teams):
    return graph_teams  # every test here runs with a team configured


async def test_the_incident_gets_a_channel_in_the_team_and_its_intro_is_posted_there(teams, connector):
    await open_dialog(teams)
    await submit(teams)

    [(channel_id, created)] = connector.channels.items()
    assert (created["team"], created["displayName"], created["membershipType"]) == (
        INCIDENT_TEAM,
        "inc-1-checkout-errors-in-eu",
        "standard",
    )
    assert "INC-1 · Checkout errors in EU" in connector.messages(channel_id)[0].texts()
    assert connector.graph_authorizations == [f"Bearer {OUTBOUND_TOKEN}"]  # the app's token for Graph
    [incident] = await incidents(teams)
    assert incident.channel_name == "inc-1-checkout-errors-in-eu"
    assert "is ready" in connector.last(THREAD).texts()  # the reporter is told where they declared


async def test_a_taken_name_gets_the_next_suffix(teams, connector):
    connector.channels["19:old@thread.tacv2"] = {
        "displayName": "inc-1-checkout-errors-in-eu",
        "team": INCIDENT_TEAM,
    }

    await open_dialog(teams)
    await submit(teams)

    assert [c["displayName"] for c in connector.channels.values()][-1] == "inc-1-checkout-errors-in-eu-2"


async def test_a_private_incident_gets_a_private_channel_with_its_people_owned_by_the_reporter(
    teams, connector
):
    await open_dialog(teams)
    await submit(teams, visibility="private", commander="Bob@Contoso.com")

    [created] = connector.channels.values()
    assert created["membershipType"] == "private"
    people = [(m["user@odata.bind"].rsplit("/", 1)[1], m["roles"]) for m in created["members"]]
    assert people == [("users('aad-alice')", ["owner"]), ("users('bob@contoso.com')", [])]


async def test_when_graph_refuses_the_incident_runs_where_it_was_declared(teams, connector):
    connector.graph_failure = 403

    await open_dialog(teams)
    await submit(teams)

    shown = "\n".join(p.texts() for p in connector.messages(THREAD))
    assert "Create channel failed: `graph_403`" in shown and "It runs here." in shown
    assert "INC-1 · Checkout errors in EU" in shown


async def test_a_command_in_any_thread_of_the_incident_channel_acts_on_its_incident(teams, connector):
    await open_dialog(teams)
    await submit(teams)
    [channel_id] = connector.channels
    before = len(connector.messages(channel_id))

    await teams.message(
        "incident status", user="aad-carol", conversation=f"{channel_id};messageid=1700000009999"
    )

    [answer] = connector.messages(channel_id)[before:]
    assert "INC-1 · Checkout errors in EU" in answer.texts()
    assert "not an incident channel" not in answer.texts()


async def test_a_private_incident_whose_channel_graph_refuses_runs_in_the_reporters_chat_not_here(
    teams, connector
):
    connector.graph_failure = 403

    await open_dialog(teams)
    await submit(teams, visibility="private", named_accounts="Acme Corp")

    here = "\n".join(p.texts() for p in connector.messages(THREAD))
    assert "Create channel failed: `graph_403`" in here and "personal chat" in here
    assert "Checkout errors in EU" not in here and "Acme Corp" not in here
    chat = "a:personal-aad-alice"  # the 1:1 chat the fake connector opens with the reporter
    in_chat = "\n".join(p.texts() for p in connector.messages(chat))
    assert "INC-1 · Checkout errors in EU" in in_chat and "Initial notice" in in_chat
    [incident] = await incidents(teams)
    assert connector.created_conversations[-1]["members"][0]["id"] == "aad-alice"
    assert incident.channel_id != incident.origin_channel_id


async def test_a_resolved_incidents_own_channel_is_archived_through_graph(teams, connector, tmp_path):
    await open_dialog(teams)
    await submit(teams)
    core = teams.core
    await core.incidents.update_fields(1, status=IncidentStatus.RESOLVED.value, resolved_at=core.clock.now())
    policy = write_policy(tmp_path, "[resolution]\narchive_after_days = 3\n")

    archived = await ChannelArchiver(core.db, core.platform, policy).archive_due(
        core.clock.now() + timedelta(days=4)
    )

    [channel] = connector.channels.values()
    assert archived == 0 and channel.get("archived") is True  # archiving posts nothing
    assert (await core.incidents.get(1)).archived_at is not None
