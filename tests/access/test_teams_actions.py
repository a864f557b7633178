"""Actions over Teams: refused to Bob, who is in the incident's conversation but holds no role
on it, and done for Alice (reporter, commander and comms owner). Actions the defaults give to
everyone in the conversation are tried under a table that gives them to the commander alone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from tests.conftest import write_policy
from tests.teams.test_declare import ALICE, FORM, THREAD

BOB = "aad-bob"
RESOLVED = {"summary": "Rolled back.", "customer_text": "Payments work again."}


async def declared(teams) -> None:
    await teams.invoke("task/submit", {"data": FORM}, user=ALICE, conversation=THREAD)
    await teams.settle()


async def incident(teams):
    return await teams.core.incidents.get(1)


def typed(text: str):
    async def attempt(teams, user: str) -> str:
        await teams.message(f"incident {text}", user=user, conversation=THREAD)
        return teams.connector.last(THREAD).texts()

    return attempt


def dialog(name: str, values: dict | None = None):
    async def attempt(teams, user: str) -> str:
        data = {"dialog": name, "value": "1", **(values or {})}
        reply = await teams.invoke("task/submit", {"data": data}, user=user, conversation=THREAD)
        await teams.settle()
        return str(reply.body)

    return attempt


async def resolved(teams) -> None:
    await dialog("incident_resolve", RESOLVED)(teams, ALICE)


async def nothing(teams) -> None:
    return None


@dataclass(frozen=True)
class Case:
    name: str
    attempt: Callable[..., Awaitable[str]]
    happened: Callable[..., Awaitable[bool]]
    before: Callable = nothing


async def _status(teams, value):
    return (await incident(teams)).status == value


async def _snoozed(teams):
    return (await incident(teams)).snoozed_until is not None


async def _paused(teams, value):
    return (await incident(teams)).reminders_paused is value


async def _commander(teams, user):
    return (await incident(teams)).commander_id == user


async def paused(teams):
    await typed("pause")(teams, ALICE)


def shown(text: str):
    async def happened(teams) -> bool:
        return text in teams.connector.last(THREAD).texts()

    return happened


CASES = [
    Case("resolve", dialog("incident_resolve", RESOLVED), lambda t: _status(t, "resolved")),
    Case("reopen", typed("reopen"), lambda t: _status(t, "investigating"), before=resolved),
    Case("snooze", typed("snooze 30m"), _snoozed),
    Case("pause", typed("pause"), lambda t: _paused(t, True)),
    Case("resume", typed("resume"), lambda t: _paused(t, False), before=paused),
    Case("hand_over", typed(f"handover commander {BOB}"), lambda t: _commander(t, f"msteams:{BOB}")),
]
FOR_MEMBERS = [
    Case("status", typed("status"), shown("Checkout errors in EU")),
    Case("roles", typed("roles"), shown("Comms owner")),
    Case("timeline", typed("timeline"), shown("INC-1 · timeline")),
]


async def refused_then_done(teams, case: Case) -> None:
    await declared(teams)
    await case.before(teams)

    answer = await case.attempt(teams, BOB)

    assert "Only " in answer and "can " in answer, answer
    assert not await case.happened(teams)
    await case.attempt(teams, ALICE)
    assert await case.happened(teams)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_a_teams_action_is_refused_to_someone_without_a_role_and_done_for_the_commander(teams, case):
    await refused_then_done(teams, case)


@pytest.fixture
def policy(request, tmp_path):
    case = getattr(request, "param", None)
    return write_policy(tmp_path, f'[permissions]\n{case.name} = ["commander"]\n' if case else "")


@pytest.mark.parametrize("policy", FOR_MEMBERS, ids=lambda c: c.name, indirect=True)
async def test_a_members_action_follows_the_table_on_teams(teams, policy, request):
    case = request.node.callspec.params["policy"]
    await refused_then_done(teams, case)
