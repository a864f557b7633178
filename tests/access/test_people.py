"""People, not ids: one human on Slack and Teams is one author and one approval, and only a
full member of our own workspace is linked by e-mail (never a guest or a Slack Connect user).

The incident runs on Teams (declared by Alice); the same app's Slack side is used to forge
the approval clicks a person would make from their other platform.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from storage.models import AuditEvent, Draft
from tests.conftest import write_policy
from tests.teams.test_declare import ALICE, THREAD, open_dialog, submit

BOB, CAROL = "aad-bob", "aad-carol"
SLACK_ALICE, SLACK_BOB, SLACK_CAROL = "UALICE", "UBOB", "UCAROL"
GUEST, STRANGER, BOB_AGAIN = "UGUEST", "USTRANGER", "UBOB2"


@pytest.fixture(autouse=True)
def tenant(connector, slack):
    for object_id, upn in (
        (ALICE, "alice@example.com"),
        (BOB, "bob@example.com"),
        (CAROL, "carol@example.com"),
    ):
        connector.members[object_id] = {
            "id": f"29:{object_id}",
            "aadObjectId": object_id,
            "userPrincipalName": upn,
            "name": object_id,
            "userRole": "user",
        }
    slack.add_user(GUEST, "guest", email="bob@example.com", guest="multi")
    slack.add_user(STRANGER, "stranger", email="bob@example.com", team_id="T0OTHERORG")
    slack.add_user(BOB_AGAIN, "bob.again", email="bob@example.com")


def people_policy(tmp_path, extra: str = "") -> Any:
    return write_policy(
        tmp_path,
        f"""
[approvals]
approvers = ["alice", "bob", "msteams:{CAROL}"]
default_required = 2

[people.alice]
slack = "{SLACK_ALICE}"
teams = "{ALICE}"

[people.bob]
slack = "{SLACK_BOB}"
teams = "{BOB}"
{extra}
""",
    )


@pytest.fixture
def policy(tmp_path):
    return people_policy(tmp_path, '\n[people]\nlink_domains = ["example.com"]\n')


async def declared(teams) -> Draft:
    await open_dialog(teams)
    await submit(teams)
    async with teams.core.db.read() as session:
        return (await session.exec(select(Draft))).one()


async def approve_on_teams(teams, draft: Draft, user: str) -> dict:
    posted = next(p for p in teams.connector.messages(THREAD) if "Initial notice" in p.texts())
    action = next(a for a in posted.card["actions"] if a["title"] == "Approve")
    value = {
        "action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]},
        "trigger": "manual",
    }
    reply = await teams.invoke("adaptiveCard/action", value, user=user, conversation=THREAD)
    await teams.settle()
    return reply.body


async def approve_on_slack(teams, draft: Draft, user: str) -> None:
    """The same approval sent from Slack (the button's value names the draft and version)."""
    slack_bot = teams.slack_bot
    button = {
        "action_id": "draft_approve",
        "value": f"{draft.id}:{draft.version}",
        "text": {"type": "plain_text", "text": "Approve"},
    }
    where = {"channel": {"id": "CGENERAL", "name": "general"}}
    await slack_bot.interact(slack_bot._block_action(user, button, where))


def told_on_slack(slack, user: str) -> str:
    direct = [c for c in slack.workspace.channels.values() if c.is_im and user in c.members]
    return "\n".join(m.text + str(m.blocks) for c in direct for m in slack.messages(c.id))


async def status(teams) -> tuple[str, int]:
    async with teams.core.db.read() as session:
        draft = (await session.exec(select(Draft))).one()
        rows = await session.exec(
            select(AuditEvent).where(AuditEvent.action == AuditAction.MESSAGE_APPROVED.value)
        )
        return draft.status, len(rows.all())


async def test_one_person_on_two_platforms_gives_one_approval(teams, slack):
    draft = await declared(teams)
    await approve_on_teams(teams, draft, BOB)

    await approve_on_slack(teams, draft, SLACK_BOB)  # Bob again, from Slack

    assert "You already approved this version" in told_on_slack(slack, SLACK_BOB)
    assert await status(teams) == ("pending", 1)
    await approve_on_teams(teams, draft, CAROL)  # a second person
    assert (await status(teams))[0] in ("approved", "published")


async def test_an_author_cannot_approve_their_own_draft_from_their_other_platform(teams, slack):
    draft = await declared(teams)  # written by Alice on Teams

    await approve_on_slack(teams, draft, SLACK_ALICE)

    assert "Authors cannot approve their own draft" in told_on_slack(slack, SLACK_ALICE)
    assert await status(teams) == ("pending", 0)


async def test_a_slack_guest_or_stranger_whose_e_mail_matches_an_approver_is_not_that_approver(teams, slack):
    draft = await declared(teams)
    await teams.message("incident status", user=BOB, conversation=THREAD)  # Teams vouches for bob@

    await approve_on_slack(teams, draft, GUEST)
    await approve_on_slack(teams, draft, STRANGER)

    for outsider in (GUEST, STRANGER):
        assert "Only approvers" in told_on_slack(slack, outsider)
    assert await status(teams) == ("pending", 0)
    async with teams.core.db.read() as session:
        links = (
            await session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.PERSON_LINKED.value))
        ).all()
    assert {e.actor_id for e in links} == {f"msteams:{ALICE}", f"msteams:{BOB}"}  # no Slack account


async def test_a_full_member_with_a_verified_address_is_linked_and_counted_as_that_person(teams, slack):
    draft = await declared(teams)
    await approve_on_teams(teams, draft, BOB)

    await approve_on_slack(teams, draft, BOB_AGAIN)  # a second Slack account with Bob's address

    assert "You already approved this version" in told_on_slack(slack, BOB_AGAIN)
    person = await teams.core.access.people.of(BOB_AGAIN)
    assert person.key == "bob" and person.linked_by == "policy" and person.email == "bob@example.com"


async def test_without_the_e_mail_scope_nobody_is_linked(teams, slack, tmp_path):
    slack.remove_scope("users:read.email")
    draft = await declared(teams)
    await teams.message("incident status", user=BOB, conversation=THREAD)

    await approve_on_slack(teams, draft, BOB_AGAIN)

    assert "Only approvers" in told_on_slack(slack, BOB_AGAIN)
    assert (await teams.core.access.people.of(BOB_AGAIN)).linked_by == ""


async def test_a_link_is_kept_when_slack_cannot_answer_and_dropped_when_it_says_no(teams, slack, clock):
    draft = await declared(teams)
    await approve_on_slack(teams, draft, BOB_AGAIN)  # linked to Bob by e-mail
    people = teams.core.access.people
    clock.advance(timedelta(hours=2))  # past the link's freshness and the cache
    slack.fail_next("users.info", "internal_error")

    assert (await people.of(BOB_AGAIN)).email == "bob@example.com"  # kept: Slack did not answer
    clock.advance(timedelta(hours=2))
    slack.workspace.users[BOB_AGAIN].guest = "single"  # Slack now says: a guest
    assert (await people.of(BOB_AGAIN)).linked_by == ""
