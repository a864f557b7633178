"""`incident digest` typed in a Teams channel shows the redacted digest: what customers were told,
never the named accounts, internal title or impact; a CS lead's personal chat gets the full one."""

from __future__ import annotations

import pytest

from emulator.teams.driver import personal_chat
from tests.conftest import write_policy
from tests.teams.test_approvals import BOB, click
from tests.teams.test_declare import ALICE, THREAD, open_dialog, submit

STATUS = "19:customerstatus00000000000000000@thread.tacv2"
IMPACT = "About 30% of EU checkouts fail, by our internal count."


@pytest.fixture
def policy(tmp_path):
    return write_policy(
        tmp_path,
        f'[approvals]\napprovers = ["msteams:{BOB}"]\n[roles]\ncs_leads = ["msteams:{ALICE}"]\n'
        f'[channels]\ncustomer_updates = ["msteams:{STATUS}"]\n',
    )


async def test_a_channel_digest_shows_what_customers_were_told_and_nothing_internal(teams):
    await open_dialog(teams)
    await submit(teams, named_accounts="Acme Corp", customer_impact=IMPACT)
    await teams.message("incident digest", user=ALICE, conversation=THREAD)
    before = teams.connector.last(THREAD).texts()
    notice = next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts())
    await click(teams, notice, "Approve", user=BOB)

    await teams.message("incident digest", user=ALICE, conversation=THREAD)

    shown = teams.connector.last(THREAD).texts()
    assert "Checkout errors in EU" in shown and "SEV2" in shown  # the approved headline
    for internal in ("Acme Corp", "internal count", "30%"):
        assert internal not in shown and internal not in before
    await teams.chat("incident digest", user=ALICE)
    assert "Acme Corp" in teams.connector.last(personal_chat(ALICE)).texts()  # the CS lead, privately
