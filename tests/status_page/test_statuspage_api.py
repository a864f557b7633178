"""Every /api/v2 document validates against Statuspage's public v2 shapes, with live, resolved
and component data; an unresolved list holds only unresolved incidents; one incident by id."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import ALICE, BOB
from tests.slack.flows import channel_of, declare
from tests.status_page.helpers import approval_cards, channels  # noqa: F401
from tests.status_page.statuspage_schema import DOCUMENTS, ONE_INCIDENT
from tests.status_page.test_components import COMPONENTS, policy  # noqa: F401
from tests.status_page.test_status_page import get


@pytest.fixture
def database(sqlite_template):
    """The shapes do not depend on the database; components and incidents are tested on both."""
    return sqlite_template


async def test_every_document_has_statuspage_s_shape(bot, slack):
    await declare(bot, "API errors", components=["api"], component_status="major_outage")
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    await declare(bot, "Slow dashboard", components=["dashboard"], component_status="degraded_performance")
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    await bot.command("resolve", user=ALICE, channel=channel_of(bot, 2).id)
    values = {"summary": "Fixed.", "customer_text": "All good."}
    await bot.submit(slack.opened_views[-1].view, values, user=ALICE)
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)

    documents = {}
    for name, schema in DOCUMENTS.items():
        status, headers, body = await get(bot, f"/api/v2/{name}")
        assert status == 200 and headers["Content-Type"].startswith("application/json"), name
        documents[name] = json.loads(body)
        jsonschema.validate(documents[name], schema)
    for incident in documents["incidents.json"]["incidents"]:
        one = json.loads((await get(bot, f"/api/v2/incidents/{incident['id']}.json"))[2])
        jsonschema.validate(one, ONE_INCIDENT)
        assert one["incident"] == incident

    assert [i["status"] for i in documents["incidents.json"]["incidents"]] == ["resolved", "investigating"]
    assert [i["name"] for i in documents["incidents/unresolved.json"]["incidents"]] == ["API errors"]
    assert documents["summary.json"]["incidents"] == documents["incidents/unresolved.json"]["incidents"]
    listed = documents["components.json"]["components"]
    assert [c["id"] for c in listed] == ["group-platform", "api", "dashboard", "payments", "sso"]
    assert listed[0]["components"] == ["api", "dashboard"] and listed[1]["group_id"] == "group-platform"
    assert {c["id"]: c["status"] for c in listed}["api"] == "major_outage"
    assert documents["status.json"]["status"]["indicator"] == "major"
    assert all(documents[n]["scheduled_maintenances"] == [] for n in DOCUMENTS if "maintenance" in n)
    assert set(COMPONENTS) <= {c["id"] for c in listed}
