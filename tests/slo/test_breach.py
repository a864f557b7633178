"""A missed first-update target is said once in the incident channel, when it happens."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.audit.trail import AuditAction
from bot.services.sweeps import cadence_sweep
from storage.models import AuditEvent
from tests.conftest import BOB, CAROL, running_bot
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import channel_of, declare

MINUTE = timedelta(minutes=1)
MISSED = "missed its first-update target"


def said(slack, channel: str) -> list:
    return [m for m in slack.messages(channel) if MISSED in m.text]


async def test_said_once_when_the_target_passes_naming_who_should_act(bot, slack, clock):
    start = clock.now()
    await declare(bot, severity="SEV1", commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id

    await cadence_sweep(bot.core, start + 15 * MINUTE - timedelta(seconds=1))
    assert said(slack, channel) == []
    await cadence_sweep(bot.core, start + 15 * MINUTE)
    await cadence_sweep(bot.core, start + 16 * MINUTE)
    await cadence_sweep(bot.core, start + 2 * timedelta(hours=1))

    [message] = said(slack, channel)
    assert "INC-1 missed its first-update target: no customer message in the 15m a SEV1 allows" in str(
        message.blocks
    )
    assert "<@UCAROL> <@UBOB>" in str(message.blocks) and "/incident update" in str(message.blocks)
    async with bot.core.db.read() as session:
        events = (
            await session.exec(select(AuditEvent).where(AuditEvent.action == "slo.first_update_missed"))
        ).all()
    assert [(e.details["severity"], e.details["target_seconds"]) for e in events] == [("SEV1", 900)]
    assert events[0].action == AuditAction.FIRST_UPDATE_MISSED


async def test_nothing_is_said_when_the_first_update_came_in_time(bot, slack, clock):
    start = clock.now()
    await declare(bot, severity="SEV1", commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    clock.set(start + 10 * MINUTE)
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=BOB)

    await cadence_sweep(bot.core, start + 20 * MINUTE)

    assert said(slack, channel) == []


async def test_a_breach_already_posted_before_a_crash_is_not_posted_again(bot, slack, clock):
    start = clock.now()
    await declare(bot, severity="SEV1", commander=BOB, comms_owner=CAROL)
    channel = channel_of(bot).id
    await cadence_sweep(bot.core, start + 15 * MINUTE)
    await bot.core.incidents.update_fields(1, first_update_breach="")  # as if the crash came before the mark

    await cadence_sweep(bot.core, start + 17 * MINUTE)

    assert len(said(slack, channel)) == 1
    assert (await bot.core.incidents.get(1)).first_update_breach == "said"


async def test_a_severity_without_a_target_is_never_told(slack, database_url, clock, tmp_path):
    severities = {"SEV2": {"description": "Major", "cadence": "1h"}}  # replaces the defaults' targets
    policy = make_policy(tmp_path, severities=severities, incident={"default_severity": "SEV2"})
    start = clock.now()
    async with running_bot(slack, database_url, clock, policy) as bot:
        await declare(bot, commander=BOB, comms_owner=CAROL)

        await cadence_sweep(bot.core, start + timedelta(hours=5))

        assert said(slack, channel_of(bot).id) == []
