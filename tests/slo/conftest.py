"""The comms SLO tests' policy (approvals in #approvals, Bob approves, Alice an admin) and channels."""

from __future__ import annotations

import pytest

from tests.conftest import ALICE, BOB, CAROL
from tests.policies import APPROVALS, make_policy


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, roles={"admins": [ALICE]})


@pytest.fixture(autouse=True)
def approvals_channel(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, CAROL])
