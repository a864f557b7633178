"""A bad `[permissions]`, `[roles]` or `[people]` table stops start-up naming the key."""

from __future__ import annotations

import pytest

from bot.enums import Role
from bot.policy.model import PolicyError, load_policy


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[permissions]\nresolv = ["admins"]', "permissions.resolv: unknown key"),
        ('[permissions]\nresolve = ["boss"]', "permissions.resolve.0: Input should be"),
        (
            '[permissions]\ndigest = ["commander"]',
            "permissions.digest: ['commander'] never hold for 'digest'",
        ),
        ('[permissions]\nexport = ["follow_up_owner"]', "permissions.export: 'follow_up_owner' only holds"),
        ('[permissions]\napprove = ["everyone"]', "permissions.approve: 'everyone' may not decide"),
        ('[roles]\nadmin = ["U1"]', "roles.admin: unknown key"),
        ('[people.alice]\nslack = "alice"', "people.alice.slack: String should match"),
        (
            '[people.alice]\nslack = "UA1"\n[people.bob]\nslack = "UA1"',
            "UA1 is listed for both 'alice' and 'bob'",
        ),
        ('[people]\nlink_domains = ["Example.COM"]', "people.link_domains: 'Example.COM' is not a lowercase"),
    ],
)
def test_a_bad_table_stops_start_up_naming_the_key(tmp_path, toml, message):
    path = tmp_path / "policy.toml"
    path.write_text(toml + "\n")

    with pytest.raises(PolicyError) as refused:
        load_policy(path)

    assert message in str(refusal := refused.value), refusal


def test_one_action_can_be_changed_and_the_rest_keep_their_defaults(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[permissions]\nresolve = ["commander", "admins"]\n')

    policy = load_policy(path)

    assert policy.permissions.resolve == [Role.COMMANDER, Role.ADMINS]
    assert Role.RESPONDERS in policy.permissions.reopen
