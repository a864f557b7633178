"""The maintenance tests' policy (components, customer updates) and channels."""

from __future__ import annotations

import pytest

from tests.conftest import ALICE, BOB, CAROL
from tests.maintenance.helpers import UPDATES, maintenance_policy
from tests.policies import APPROVALS


@pytest.fixture
def policy(tmp_path):
    return maintenance_policy(tmp_path)


@pytest.fixture(autouse=True)
def channels(slack):
    for name, channel_id in (("approvals", APPROVALS), ("updates", UPDATES)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])
