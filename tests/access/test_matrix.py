"""The whole action × role matrix, generated from the policy table, through the real check.

Each role is held by exactly one user (incident rows, the emulated workspace's channel and
user groups, the policy); every action is asked of every one of them and of a bystander.
"""

from __future__ import annotations

import pytest

from bot.enums import Action, Role, Visibility
from bot.policy.permissions import DEFAULT_PERMISSIONS, NO_INCIDENT
from storage.models import Incident
from tests.conftest import running_bot
from tests.policies import make_policy

HOLDER = {
    Role.REPORTER: "UREPORTER",
    Role.COMMANDER: "UCOMMANDER",
    Role.COMMS_OWNER: "UCOMMS",
    Role.CHANNEL_MEMBERS: "UMEMBER",
    Role.FOLLOW_UP_OWNER: "UOWNER",
    Role.RESPONDERS: "URESPONDER",
    Role.APPROVERS: "UAPPROVER",
    Role.CS_LEADS: "UCSLEAD",
    Role.ADMINS: "UADMIN",
}
BYSTANDER = "UBYSTANDER"
CHANNEL = "CINCIDENT"


def incident() -> Incident:
    return Incident(
        id=7,
        title="Checkout errors",
        what_happened="x",
        customer_impact="y",
        severity="SEV2",
        status="investigating",
        visibility=Visibility.PUBLIC.value,
        reporter_id=HOLDER[Role.REPORTER],
        commander_id=HOLDER[Role.COMMANDER],
        comms_owner_id=HOLDER[Role.COMMS_OWNER],
        channel_id=CHANNEL,
        source_key="matrix",
    )


def matrix_policy(tmp_path, **permissions):
    return make_policy(
        tmp_path,
        incident={"responder_group": "responders"},
        approvals={"approvers": [HOLDER[Role.APPROVERS]]},
        roles={"cs_leads": [HOLDER[Role.CS_LEADS]], "admins": ["admins"]},
        permissions=permissions,
    )


@pytest.fixture(autouse=True)
def workspace(slack):
    for user_id in (*HOLDER.values(), BYSTANDER):
        slack.add_user(user_id, user_id.lower())
    slack.add_channel("inc-7-checkout", channel_id=CHANNEL, members=[HOLDER[Role.CHANNEL_MEMBERS]])
    slack.add_usergroup("SRESP", "responders", [HOLDER[Role.RESPONDERS]])
    slack.add_usergroup("SADMINS", "admins", [HOLDER[Role.ADMINS]])


async def decisions(core) -> dict[tuple[Action, str], bool]:
    owner = HOLDER[Role.FOLLOW_UP_OWNER]
    found = {}
    for action in Action:
        subject = None if action in NO_INCIDENT else incident()
        for user_id in (*HOLDER.values(), BYSTANDER):
            found[action, user_id] = await core.access.may(user_id, action, subject, owner=owner)
    return found


def expected(table: dict[Action, tuple[Role, ...]]) -> dict[tuple[Action, str], bool]:
    wanted = {}
    for action, roles in table.items():
        for role, user_id in HOLDER.items():
            holds = role in roles and not (
                action in NO_INCIDENT
                and role
                in {
                    Role.REPORTER,
                    Role.COMMANDER,
                    Role.COMMS_OWNER,
                    Role.CHANNEL_MEMBERS,
                    Role.FOLLOW_UP_OWNER,
                }
            )
            wanted[action, user_id] = holds or Role.EVERYONE in roles
        wanted[action, BYSTANDER] = Role.EVERYONE in roles
    return wanted


def differences(found, wanted) -> list[str]:
    return [
        f"{a.value} by {u}: {found[a, u]} (expected {wanted[a, u]})"
        for a, u in wanted
        if found[a, u] != wanted[a, u]
    ]


async def test_every_action_is_allowed_to_exactly_the_roles_the_default_table_names(
    slack, database_url, clock, tmp_path
):
    async with running_bot(slack, database_url, clock, matrix_policy(tmp_path)) as bot:
        found = await decisions(bot.core)

    assert len(found) == len(Action) * (len(HOLDER) + 1)
    assert differences(found, expected(DEFAULT_PERMISSIONS)) == []


async def test_a_team_that_changes_the_table_changes_the_answers(slack, database_url, clock, tmp_path):
    table = {**DEFAULT_PERMISSIONS, Action.RESOLVE: (Role.ADMINS,), Action.EXPORT: (Role.EVERYONE,)}
    policy = matrix_policy(tmp_path, resolve=["admins"], export=["everyone"])

    async with running_bot(slack, database_url, clock, policy) as bot:
        found = await decisions(bot.core)

    assert differences(found, expected(table)) == []
    assert not found[Action.RESOLVE, HOLDER[Role.COMMANDER]] and found[Action.EXPORT, BYSTANDER]


async def test_on_a_private_incident_only_the_people_running_it_count(slack, database_url, clock, tmp_path):
    secret = incident()
    secret.visibility = Visibility.PRIVATE.value
    async with running_bot(slack, database_url, clock, matrix_policy(tmp_path)) as bot:
        may = bot.core.access.may
        assert not await may(HOLDER[Role.RESPONDERS], Action.EDIT, secret)
        assert not await may(HOLDER[Role.RESPONDERS], Action.STATUS, secret)
        assert not await may(HOLDER[Role.CS_LEADS], Action.EXPORT, secret)
        assert not await may(HOLDER[Role.APPROVERS], Action.STATUS, secret)
        assert await may(HOLDER[Role.APPROVERS], Action.APPROVE, secret)  # its drafts still need approval
        assert await may(HOLDER[Role.CHANNEL_MEMBERS], Action.EXPORT, secret)
        assert await may(HOLDER[Role.ADMINS], Action.RESOLVE, secret)
        assert await may(HOLDER[Role.COMMANDER], Action.RESOLVE, secret)
        assert await may(
            HOLDER[Role.FOLLOW_UP_OWNER],
            Action.COMPLETE_FOLLOW_UP,
            secret,
            owner=HOLDER[Role.FOLLOW_UP_OWNER],
        )
