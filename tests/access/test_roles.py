"""`/incident roles` shows who holds what and how people are linked; handing over the
commander or comms-owner role is announced in the channel, audited, and takes effect."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from storage.models import AuditEvent
from tests.conftest import ALICE, BOB, CAROL
from tests.policies import make_policy
from tests.slack.flows import channel_of, declare


@pytest.fixture
def policy(tmp_path):
    return make_policy(
        tmp_path,
        roles={"admins": ["incident-responders"], "cs_leads": ["erin"]},
        people={"erin": {"slack": "UERIN", "teams": "aad-erin"}},
    )


def private_notes(slack, user: str) -> str:
    """Ephemeral notes and direct messages to `user`."""
    direct = [c for c in slack.workspace.channels.values() if c.is_im and user in c.members]
    notes = [str(e.blocks) for e in slack.ephemerals(user=user)]
    return "\n".join(notes + [str(m.blocks) + m.text for c in direct for m in slack.messages(c.id)])


async def test_roles_lists_the_incident_and_policy_roles_and_the_callers_own(bot, slack):
    await declare(bot)

    await bot.command("roles", user=ALICE, channel=channel_of(bot).id)

    shown = private_notes(slack, ALICE)
    for line in ("*Reporter:* <@UALICE>", "*Commander:* <@UALICE>", "*Comms owner:* <@UALICE>"):
        assert line in shown
    assert "*Approvers:* <@UBOB>" in shown and "*Admins:* @incident-responders" in shown
    assert "*CS leads:* <@UERIN>" in shown
    assert "*You:* reporter, commander, comms owner" in shown
    assert "incident_handover" in shown  # the Hand over… button


async def test_handing_over_the_commander_role_is_announced_audited_and_takes_effect(bot, slack):
    await declare(bot)
    channel = channel_of(bot).id

    await bot.command("handover", user=ALICE, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"role": "commander", "to": CAROL}, user=ALICE)

    incident = await bot.core.incidents.get(1)
    assert incident.commander_id == CAROL and incident.comms_owner_id == ALICE
    assert "🤝 @alice handed the commander role of INC-1 from @alice to @carol." in slack.transcript(channel)
    assert CAROL in slack.channel(channel).members
    async with bot.core.db.read() as session:
        [event] = (
            await session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.HANDED_OVER.value))
        ).all()
    assert (event.actor_id, event.details) == (ALICE, {"role": "commander", "old": ALICE, "new": CAROL})
    await bot.command("resolve", user=ALICE, channel=channel)  # Alice is still the reporter: may resolve
    await bot.command("handover", user=BOB, channel=channel)  # Bob holds no role
    assert "Only the commander (<@UCAROL>), the comms owner (<@UALICE>)" in private_notes(slack, BOB)


async def test_the_handover_form_insists_on_a_person(bot, slack):
    await declare(bot)
    await bot.command("handover", user=ALICE, channel=channel_of(bot).id)

    reply = await bot.submit(slack.opened_views[-1].view, {"role": "comms_owner"}, user=ALICE)

    assert reply.json() == {"response_action": "errors", "errors": {"to": "Pick who takes the role over."}}


async def test_the_comms_owner_cannot_take_the_commander_role(bot, slack):
    await declare(bot, commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id

    await bot.command("handover", user=CAROL, channel=channel)
    await bot.submit(slack.opened_views[-1].view, {"role": "commander", "to": CAROL}, user=CAROL)

    assert (await bot.core.incidents.get(1)).commander_id == BOB
    assert "Only <@UBOB> or an admin can hand over the commander role of INC-1." in private_notes(
        slack, CAROL
    )
