"""Memory stays bounded however many people and conversations write to the bot: the caches of
people, Teams members and conversation references forget the least recently used entries
(the database keeps the truth), and everyone is still answered."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.access import people
from handlers.teams import conversations, members
from tests.teams.conftest import running_teams

CAP = 25
SENDERS = 80


@pytest.fixture
async def capped(slack, connector, database_url, clock, policy, monkeypatch) -> AsyncIterator:
    monkeypatch.setattr(people, "PEOPLE_CACHED", CAP)
    monkeypatch.setattr(members, "MEMBERS_REMEMBERED", CAP)
    monkeypatch.setattr(conversations, "CONVERSATIONS_REMEMBERED", CAP)
    async with running_teams(slack, connector, database_url, clock, policy) as driver:
        yield driver


async def test_many_senders_keep_every_cache_within_its_cap_and_all_are_answered(capped, connector):
    for n in range(SENDERS):
        reply = await capped.chat("incident list", user=f"aad-visitor-{n}")
        assert reply.status == 200

    teams = capped.core.platform._by_prefix["msteams:"]
    sizes = {
        "people": len(capped.core.access.people._cache),
        "members": len(teams.members._next_lookup),
        "member locks": len(teams.members._locks),
        "conversations": len(teams.conversations._cache),
    }
    assert all(size <= CAP for size in sizes.values()), sizes
    assert max(sizes.values()) == CAP, f"the test did fill the caches: {sizes}"
    answered = {p.conversation_id for p in connector.messages() if "visitor" in p.conversation_id}
    assert len(answered) == SENDERS
