"""Status-page components from Teams: the declare and drafting dialogs offer the policy's
components and one status for them, as Slack's forms do; the public status moves on approval."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write_policy
from tests.teams.flows import command_dialog, form_of, submit_form
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import THREAD, incidents, open_dialog, submit

COMPONENTS = (
    '[status_page.components.api]\nname = "Public API"\n[status_page.components.web]\nname = "Dashboard"\n'
)


@pytest.fixture
def policy(tmp_path):
    return write_policy(tmp_path, f'[approvals]\napprovers = ["msteams:{BOB}"]\n{COMPONENTS}')


def inputs(form: dict) -> dict[str, dict]:
    return {e["id"]: e for e in form["body"] if e.get("type", "").startswith("Input.")}


async def public_components(teams) -> dict[str, str]:
    async with teams.slack_bot.session.get(teams.base_url + "/api/v2/components.json") as response:
        document = json.loads(await response.text())
    return {c["id"]: c["status"] for c in document["components"]}


async def test_the_declare_dialog_picks_components_and_approval_publishes_their_status(teams):
    form = await open_dialog(teams)
    shown = inputs(form)
    assert [c["value"] for c in shown["components"]["choices"]] == ["api", "web"]
    assert shown["components"]["isMultiSelect"] is True
    assert "major_outage" in [c["value"] for c in shown["component_status"]["choices"]]

    await submit(teams, components="api", component_status="major_outage")

    [incident] = await incidents(teams)
    assert incident.components == {"api": "major_outage"}
    assert (await public_components(teams))["api"] == "operational"  # nothing public before approval
    notice = next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts())
    await click(teams, notice, "Approve", user=BOB)
    assert (await public_components(teams))["api"] == "major_outage"


async def test_the_drafting_dialog_offers_the_components_and_checks_the_status(teams):
    await open_dialog(teams)
    await submit(teams)
    form = await command_dialog(teams, "update", "Draft update")
    assert {"components", "component_status"} <= set(inputs(form))

    answer = await submit_form(teams, form, components="web", component_status="")

    errors = [e["text"] for e in form_of(answer)["body"] if e.get("color") == "Attention"]
    assert errors == ["Choose the status to publish for the chosen components."]
