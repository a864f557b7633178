"""A link someone typed is never live or relabelled in Teams; the bot's own links are."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write_policy
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import THREAD, open_dialog, submit
from tests.typed_links import EVIL, IMPACT, SHOWN, TITLE, WHAT, relabelled

PORTAL = "https://support.example.com/help"


@pytest.fixture
def policy(tmp_path):
    return write_policy(
        tmp_path,
        f'[approvals]\napprovers = ["msteams:{BOB}"]\n'
        f'[messages]\nsupport_route = "Contact us through [our support portal]({PORTAL})."\n',
    )


def everything_sent(teams) -> str:
    return json.dumps([[p.activity, *p.edits] for p in teams.connector.messages()])


async def test_a_typed_link_reads_as_its_label_and_url_on_every_teams_card(teams):
    await open_dialog(teams)
    await submit(teams, title=TITLE, what_happened=WHAT, customer_impact=IMPACT)
    posted = next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts())

    answer = await click(teams, posted, "Approve", user=BOB)

    sent = everything_sent(teams) + json.dumps(answer)
    assert EVIL in sent and not relabelled(sent)
    assert SHOWN in posted.texts()
    assert f"[our support portal]({PORTAL})" in posted.texts()  # the policy's own link stays live
