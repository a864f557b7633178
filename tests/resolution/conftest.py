"""The resolution tests' shared set-up: the default test policy and an approvals channel."""

from __future__ import annotations

import pytest

from tests.conftest import ALICE, BOB, CAROL, DAVE
from tests.policies import APPROVALS, make_policy


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path)


@pytest.fixture(autouse=True)
def approvals_channel(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, CAROL, DAVE])
