"""Every action over signed HTTP on Slack: once by someone the default table allows, once by
Dave, a colleague with no role on the incident, who is refused privately and changes nothing.

Slack only lets members type in a channel, so an action the defaults give to the incident
channel's members is tried by Dave with a button (a click proves no membership), or, for
slash commands only, under a table that gives it to the commander alone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from sqlmodel import select

from bot.audit.trail import AuditAction
from bot.enums import Action
from storage.models import AuditEvent, Draft, Incident
from tests.conftest import ALICE, BOB, DAVE, ERIN, running_bot
from tests.policies import APPROVALS, make_policy
from tests.slack.flows import channel_of, declare

UPDATES = "CUPDATES"
RCA = {
    "root_cause": "A bad deploy.",
    "corrective_actions": "Rolled back.",
    "preventive_measures": "Canaries.",
}


@pytest.fixture
def policy(tmp_path):
    return make_policy(tmp_path, channels={"customer_updates": [UPDATES]}, roles={"cs_leads": [ERIN]})


@pytest.fixture(autouse=True)
def channels(slack):
    slack.add_channel("approvals", channel_id=APPROVALS, members=[ALICE, BOB, DAVE])
    slack.add_channel("customer-updates", channel_id=UPDATES, members=[ALICE, BOB])


def told(slack, user: str) -> str:
    """Everything the bot told `user` privately (ephemeral notes and direct messages)."""
    notes = [str(e.blocks) + e.text for e in slack.ephemerals(user=user)]
    direct = [c for c in slack.workspace.channels.values() if c.is_im and user in c.members]
    return "\n".join(notes + [str(m.blocks) + m.text for c in direct for m in slack.messages(c.id)])


async def incident(bot) -> Incident:
    async with bot.core.db.read() as session:
        return await session.get(Incident, 1)


async def drafts(bot) -> list[Draft]:
    async with bot.core.db.read() as session:
        return list((await session.exec(select(Draft).order_by(Draft.id))).all())


def card(slack):
    return slack.messages(APPROVALS)[-1]


def intro(slack):
    """INC-1's intro message in its channel (with Draft update, Status, Resolve…)."""
    name = next(c for c in slack.calls_to("conversations.create") if c.ok).args["name"]
    return slack.messages(slack.channel(name).id)[0]


async def fill(bot, slack, user: str, before: int, values: dict) -> None:
    """Submit the form the last attempt opened for `user`, if it opened one."""
    if len(slack.opened_views) > before:
        await bot.submit(slack.opened_views[-1].view, values, user=user)


def command(sub: str, values: dict | None = None):
    async def attempt(bot, slack, user: str) -> None:
        before = len(slack.opened_views)
        await bot.command(sub, user=user, channel=channel_of(bot).id)
        await fill(bot, slack, user, before, values or {})

    return attempt


def click(action_id: str, values: dict | None = None, *, on=card):
    async def attempt(bot, slack, user: str) -> None:
        before = len(slack.opened_views)
        await bot.click(on(slack), action_id, user=user)
        await fill(bot, slack, user, before, values or {})

    return attempt


async def resolved(bot, slack) -> None:
    await command("resolve", {"summary": "Fixed.", "customer_text": "All good."})(bot, slack, ALICE)


async def approved(bot, slack) -> None:
    await bot.click(card(slack), "draft_approve", user=BOB)


async def paused(bot, slack) -> None:
    await bot.command("pause", user=ALICE, channel=channel_of(bot).id)


def follow_up_list(slack):
    return [e for e in slack.ephemerals(user=ALICE) if "follow_up_complete" in str(e.blocks)][-1]


async def listed(bot, slack) -> None:
    await resolved(bot, slack)
    await bot.command("followups", user=ALICE, channel=channel_of(bot).id)


async def nothing(bot, slack) -> None:
    return None


async def with_personal_data(bot, slack) -> None:
    """Alice's version 2 names a customer's address: the checker flags it for redaction."""
    await click("draft_edit", {"impact": "Reported by jane.doe@gmail.com."})(bot, slack, ALICE)


async def _version_three(bot) -> bool:
    return (await drafts(bot))[0].version == 3


@dataclass(frozen=True)
class Case:
    action: Action
    attempt: Callable
    happened: Callable[..., Awaitable[bool]]
    allowed: str = ALICE  # reporter, commander and comms owner of INC-1
    before: Callable = nothing


async def _status(bot, value: str) -> bool:
    return (await incident(bot)).status == value


async def _audited(bot, action: AuditAction, actor: str) -> bool:
    async with bot.core.db.read() as session:
        rows = await session.exec(select(AuditEvent).where(AuditEvent.action == action.value))
        return any(e.actor_id == actor for e in rows.all())


async def _version_two(bot) -> bool:
    return (await drafts(bot))[0].version == 2


CASES = [
    Case(Action.EDIT, command("edit", {"severity": "SEV1"}), lambda bot: _severity(bot, "SEV1")),
    Case(Action.RESOLVE, command("resolve", {"summary": "Fixed."}), lambda bot: _status(bot, "resolved")),
    Case(Action.REOPEN, command("reopen"), lambda bot: _status(bot, "investigating"), before=resolved),
    Case(
        Action.HAND_OVER,
        command("handover", {"role": "commander", "to": BOB}),
        lambda bot: _commander(bot, BOB),
    ),
    Case(
        Action.DRAFT,
        click("draft_update", {"what_happened": "Still failing."}, on=intro),
        lambda bot: _drafts(bot, 2),
    ),
    Case(Action.EDIT_DRAFT, click("draft_edit", {"impact": "Card payments fail."}), _version_two),
    Case(Action.REDACT, click("draft_redact"), _version_three, before=with_personal_data),
    Case(Action.APPROVE, click("draft_approve"), lambda bot: _published(bot), allowed=BOB),
    Case(Action.REJECT, click("draft_reject", {"reason": "No."}), lambda bot: _rejected(bot), allowed=BOB),
    Case(Action.CORRECT, click("message_correct", {"impact": "Visa only."}), _version_two, before=approved),
    Case(Action.SNOOZE, command("snooze 30m"), lambda bot: _snoozed(bot)),
    Case(Action.PAUSE, command("pause"), lambda bot: _paused(bot, True)),
    Case(Action.RESUME, command("resume"), lambda bot: _paused(bot, False), before=paused),
    Case(
        Action.COMPLETE_FOLLOW_UP,
        click("follow_up_complete", RCA, on=follow_up_list),
        lambda bot: _audited(bot, AuditAction.FOLLOW_UP_COMPLETED, ALICE),
        before=listed,
    ),
    Case(
        Action.STATUS,
        click("incident_status", on=intro),
        lambda bot: _told_alice(bot, "Checkout errors in EU"),
    ),
]
MEMBERS_COMMANDS = [
    Case(Action.EXPORT, command("export"), lambda bot: _exported(bot)),
    Case(Action.TIMELINE, command("timeline"), lambda bot: _told_alice(bot, "INC-1 timeline")),
    Case(Action.STATUS, command("status"), lambda bot: _told_alice(bot, "Checkout errors in EU")),
    Case(Action.ROLES, command("roles"), lambda bot: _told_alice(bot, "Comms owner")),
    Case(Action.DRAFT, command("update", {"what_happened": "Still failing."}), lambda bot: _drafts(bot, 2)),
]


async def _severity(bot, value):
    return (await incident(bot)).severity == value


async def _commander(bot, user):
    return (await incident(bot)).commander_id == user


async def _drafts(bot, count):
    return len(await drafts(bot)) == count


async def _published(bot):
    return bool(bot.slack.messages(UPDATES))


async def _rejected(bot):
    return (await drafts(bot))[0].status == "rejected"


async def _snoozed(bot):
    return (await incident(bot)).snoozed_until is not None


async def _paused(bot, value):
    return (await incident(bot)).reminders_paused is value


async def _exported(bot):
    return bool(bot.slack.files())


async def _told_alice(bot, text):
    return text in told(bot.slack, ALICE)


async def refused_then_done(bot, slack, case: Case) -> None:
    await declare(bot)
    await case.before(bot, slack)

    await case.attempt(bot, slack, DAVE)

    assert "can " in told(slack, DAVE) and "Only " in told(slack, DAVE), told(slack, DAVE)
    assert not await case.happened(bot)
    assert await _audited(bot, AuditAction.ACCESS_REFUSED, DAVE)

    await case.attempt(bot, slack, case.allowed)

    assert await case.happened(bot)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.action.value)
async def test_an_action_is_refused_to_a_colleague_without_a_role_and_done_for_one_with_it(bot, slack, case):
    await refused_then_done(bot, slack, case)


@pytest.mark.parametrize("case", MEMBERS_COMMANDS, ids=lambda c: c.action.value)
async def test_a_members_command_follows_the_table_for_someone_typing_in_the_channel(
    slack, database_url, clock, tmp_path, case
):
    policy = make_policy(
        tmp_path, channels={"customer_updates": [UPDATES]}, permissions={case.action.value: ["commander"]}
    )
    async with running_bot(slack, database_url, clock, policy) as bot:
        joined = _joining(case)
        await refused_then_done(bot, slack, joined)


def _joining(case: Case) -> Case:
    """Dave joins the incident channel before he types there (Slack would not let him otherwise)."""

    async def before(bot, slack) -> None:
        slack.join(channel_of(bot).id, DAVE)
        await case.before(bot, slack)

    return Case(case.action, case.attempt, case.happened, case.allowed, before)
