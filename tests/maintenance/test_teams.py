"""`incident maintenance` on Teams: the same dialog fields and checks as Slack's form; the approval
card's button approves the three texts and the announcement goes to the customer channels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import write_policy
from tests.maintenance.helpers import UPDATES, maintenances, posts
from tests.teams.conftest import connector, running_teams  # noqa: F401 (fixtures)
from tests.teams.flows import command_dialog, errors, submit_form
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import THREAD

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def policy(tmp_path):
    return write_policy(
        tmp_path,
        f'[approvals]\napprovers = ["msteams:{BOB}"]\n[channels]\ncustomer_updates = ["{UPDATES}"]\n'
        '[status_page.components.api]\nname = "Public API"\n',
    )


@pytest.fixture
async def teams(slack, connector, database_url, clock, policy):  # noqa: F811
    async with running_teams(slack, connector, database_url, clock, policy) as driver:
        yield driver


@SQLITE
async def test_the_teams_dialog_schedules_and_an_approver_approves_on_the_card(teams, slack, clock):
    form = await command_dialog(teams, "maintenance Database upgrade", "Schedule maintenance")
    day = (clock.now() + timedelta(hours=3)).strftime("%Y-%m-%d")
    start, end = ((clock.now() + timedelta(hours=h)).strftime("%H:%M") for h in (3, 5))
    answer = await submit_form(
        teams, form, starts_at=day, starts_at_time=end, ends_at=day, ends_at_time=start
    )
    assert any("after the start" in e for e in errors(answer))  # checked as on Slack
    fields = {"starts_at": day, "starts_at_time": start, "ends_at": day, "ends_at_time": end}
    answer = await submit_form(
        teams, form, components="api", expected_impact="The API is read-only.", **fields
    )
    assert answer["task"]["value"].startswith("MNT-1 sent for approval")
    card = next(p for p in teams.connector.messages(THREAD) if "Maintenance MNT-1" in p.texts())
    assert posts(slack) == []
    await click(teams, card, "Approve all three", user=BOB)
    assert len(posts(slack)) == 1 and "The API is read-only." in posts(slack)[0]
    assert card.edits and "Approved: scheduled" in card.texts()  # the posted copy, edited in place
    assert [m["status"] for m in await maintenances(teams.slack_bot)] == ["scheduled"]
