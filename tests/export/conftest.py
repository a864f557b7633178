"""Shared set-up of the export tests: a policy naming approvers and channels, and the exporter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.export.service import PlanExport
from tests.conftest import ALICE, BOB, CAROL, DAVE
from tests.policies import APPROVALS, SUPPORT_ROUTE, make_policy

UPDATES, ACME, LEADS = "CUPDATES", "CACME", "CLEADS"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES], "internal_updates": [LEADS]},
        approvals={"approvers": [BOB, CAROL, "incident-approvers"], "required": {"SEV1": 2}},
        accounts={"Acme Corp": {"channels": [ACME]}},
        messages={"support_route": SUPPORT_ROUTE},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_usergroup("SAPPROVERS", "incident-approvers", [DAVE])
    channels = {"approvals": APPROVALS, "updates": UPDATES, "acme": ACME, "leads": LEADS}
    for name, channel_id in channels.items():
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])


def exporter(bot, *, named: bool = True) -> PlanExport:
    """The exporter over the running app's database, policy and templates; `named`: people named
    through the chat platform, as in chat (the operator's command line has no platform)."""
    core = bot.core
    names = core.names if named else None
    return PlanExport(core.db, core.policy, core.templates, core.cards.ref, clock=core.clock, names=names)


async def as_json(bot, incident_id: int = 1) -> dict[str, Any]:
    return json.loads(await exporter(bot).render(incident_id, "json"))


def rows(plan: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return next(s for s in plan["sections"] if s["key"] == key)["rows"]


def row(plan: dict[str, Any], key: str, item: str) -> dict[str, Any]:
    return next(r for r in rows(plan, key) if r["item"] == item)


def approval_card(slack):
    return slack.messages(APPROVALS)[-1]
