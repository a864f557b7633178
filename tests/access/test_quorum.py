"""The quorum counts people even when the key a person was recorded under has changed: an
approval stored before `[people]` (or an e-mail link) existed is still that person's."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Approval, Draft
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import declare

UPDATES = "CUPDATES"


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        approvals={"approvers": ["bob", CAROL], "default_required": 2},
        people={"bob": {"slack": BOB, "teams": "aad-bob"}},
    )


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, CAROL])
    slack.add_channel("customer-updates", channel_id=UPDATES, members=[ALICE, BOB])


async def test_an_approval_recorded_under_an_old_key_still_counts_as_that_person(bot, slack):
    await declare(bot)
    async with bot.core.db.write() as session:
        draft = (await session.exec(select(Draft))).one()
        # as migration 0009 left an approval given before Bob was a [people] entry
        old = Approval(
            draft_id=draft.id,
            version=1,
            approver_id=BOB,
            person=BOB,
            decision="approved",
            at=draft.created_at,
        )
        session.add(old)

    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)

    assert "You already approved this version" in str(slack.ephemerals(user=BOB)[-1].blocks)
    assert slack.messages(UPDATES) == []
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=CAROL)
    assert len(slack.messages(UPDATES)) == 1
