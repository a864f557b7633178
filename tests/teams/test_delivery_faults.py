"""An approved update reaches each Teams channel exactly once under connector faults (issue 17).

The real app over HTTP against the fake Bot Connector; each fault hits the customer-updates
channel only, after the message was stored. With Graph, a possibly delivered post is found
by its marker and never sent twice; without Graph it is sent again, one copy per attempt
that was stored but not answered (the window the README states); a 429 never stored anything.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.enums import OutboxStatus
from emulator.teams.connector import Fault, Posted
from handlers.teams.graph import GraphChannels
from storage.models import OutboxEntry
from tests.conftest import write_policy
from tests.teams.conftest import running_teams
from tests.teams.flows import declared
from tests.teams.test_approvals import BOB
from tests.teams.test_declare import THREAD

APPROVALS = "19:approvals0000000000000000000000@thread.tacv2"
STATUS = "19:customerstatus00000000000000000@thread.tacv2"
FAULTS = {
    "502 after storing": Fault("status", STATUS, status=502),
    "reset after storing": Fault("reset", STATUS),
    "timeout after storing": Fault("slow", STATUS, seconds=3.0),
}
CALL_TIMEOUT = 1.5  # seconds; the slow answer above comes later than this (and a loaded machine sooner)
POST_INTERVAL = 0.05  # seconds between posts to one channel (Slack's 1 s pacing makes each retry wait)


@pytest.fixture
def policy(tmp_path, request):
    targets = ", ".join(f'"msteams:{t}"' for t in getattr(request, "param", [STATUS]))
    return write_policy(
        tmp_path,
        f'[approvals]\napprovers = ["msteams:{BOB}"]\n'
        f'[channels]\napprovals = "msteams:{APPROVALS}"\ncustomer_updates = [{targets}]\n',
    )


@asynccontextmanager
async def faulty_app(slack, connector, database_url, clock, policy, *, graph: bool) -> AsyncIterator[Any]:
    """The app with short timeouts (the slow fault) and pacing (each retry would wait Slack's 1 s)."""
    connector.now = clock.now  # Graph stamps messages by the same clock as the app
    async with running_teams(slack, connector, database_url, clock, policy, graph=graph) as driver:
        driver.core.platform.for_id("msteams:x").call_timeout = CALL_TIMEOUT
        driver.core.publisher.pacer.interval = POST_INTERVAL
        driver.graph = graph
        yield driver


@pytest.fixture(params=[True, False], ids=["graph", "no-graph"])
async def app(request, slack, connector, database_url, clock, policy):
    async with faulty_app(slack, connector, database_url, clock, policy, graph=request.param) as driver:
        yield driver


@pytest.fixture
async def graph_app(slack, connector, database_url, clock, policy):
    async with faulty_app(slack, connector, database_url, clock, policy, graph=True) as driver:
        yield driver


async def approve_initial_notice(teams) -> None:
    [card] = teams.connector.messages(APPROVALS)
    approve = next(a for a in card.card["actions"] if a["title"] == "Approve")
    value = {"action": {"type": "Action.Execute", "verb": approve["verb"], "data": approve["data"]}}
    reply = await teams.invoke("adaptiveCard/action", value, user=BOB, conversation=APPROVALS)
    assert reply.status == 200
    await teams.settle()


async def entries(teams) -> list[OutboxEntry]:
    async with teams.core.db.read() as session:
        return list((await session.exec(select(OutboxEntry).order_by(OutboxEntry.id))).all())


async def deliver_until_settled(teams, clock, *, rounds: int = 5) -> None:
    """Delivery sweeps, each after every backoff has passed, until nothing is pending."""
    for _ in range(rounds):
        if all(e.status != OutboxStatus.PENDING for e in await entries(teams)):
            return
        clock.advance(timedelta(minutes=10))
        await teams.core.publisher.deliver_due()


def copies(connector, entry: OutboxEntry) -> list[Posted]:
    """Messages carrying the entry's marker (its card's first element id)."""
    marker = f"outbox:{entry.id}"
    return [p for p in connector.posted if any(_ids(card, marker) for card in p.cards)]


def _ids(card: dict[str, Any], marker: str) -> bool:
    return any(element.get("id") == marker for element in card.get("body") or [])


async def counts(teams) -> tuple[int, int, list[int]]:
    """(lost, duplicated, copies per entry) over every outbox entry of the run."""
    rows = await entries(teams)
    per_entry = [len(copies(teams.connector, row)) for row in rows]
    for row in rows:
        assert row.status == OutboxStatus.DELIVERED, (row.target, row.status, row.last_error)
        assert row.message_ts in {p.activity_id for p in copies(teams.connector, row)}
    return sum(n == 0 for n in per_entry), sum(max(n - 1, 0) for n in per_entry), per_entry


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_a_fault_after_storing_loses_nothing_and_only_graph_prevents_the_second_copy(
    app, connector, clock, fault
):
    await declared(app)
    connector.fail_after_store(fault)

    await approve_initial_notice(app)
    await deliver_until_settled(app, clock)

    lost, duplicated, per_entry = await counts(app)
    assert lost == 0 and len(per_entry) == 2  # the customer channel and the incident channel
    if app.graph:
        assert duplicated == 0
        assert any(STATUS in path for path in connector.graph_lookups), "looked up before re-sending"
    else:
        assert duplicated == 1, "no lookup possible: the stored, unanswered copy plus the resend"
    assert len(connector.messages(STATUS)) == 1 + duplicated


async def test_a_429_storm_is_waited_out_and_never_sends_twice(app, connector, clock):
    await declared(app)
    connector.rate_limit(10)  # more than the gateway's own retries, for every call in turn

    await approve_initial_notice(app)
    await deliver_until_settled(app, clock)

    assert connector.throttled == 10
    lost, duplicated, _ = await counts(app)
    assert (lost, duplicated) == (0, 0)
    assert connector.graph_lookups == [], "a 429 proves nothing was stored: no lookup needed"


async def test_a_failing_graph_lookup_is_retried_and_never_turns_into_a_blind_resend(
    graph_app, connector, clock
):
    app = graph_app
    await declared(app)
    connector.fail_after_store(FAULTS["502 after storing"])
    connector.graph_lookup_failures += [429, 503]

    await approve_initial_notice(app)
    await deliver_until_settled(app, clock)

    assert (await counts(app))[:2] == (0, 0)
    assert len(connector.graph_lookups) == 3  # 429, 503, then the copy is found
    [status] = [e for e in await entries(app) if e.target == f"msteams:{STATUS}"]
    assert status.attempts == 4


@pytest.mark.parametrize("policy", [[STATUS, THREAD]], indirect=True)
async def test_a_post_into_a_channel_thread_is_found_among_the_threads_replies(graph_app, connector, clock):
    app = graph_app
    await declared(app)
    connector.fail_after_store(Fault("status", THREAD, status=504))

    await approve_initial_notice(app)
    await deliver_until_settled(app, clock)

    lost, duplicated, per_entry = await counts(app)
    assert (lost, duplicated, len(per_entry)) == (0, 0, 3)
    assert connector.graph_lookups == [
        "/v1.0/teams/team-incidents/channels/19:ops@thread.tacv2/messages/1700000000001/replies"
    ]


def test_where_graph_lists_each_kind_of_conversation_and_that_personal_chats_cannot_be_searched():
    graph = GraphChannels("team-1", "https://graph.example/v1.0", token=lambda: None)  # type: ignore[arg-type]

    assert (
        graph.messages_path("19:abc@thread.tacv2", "channel")
        == "/teams/team-1/channels/19:abc@thread.tacv2/messages"
    )
    assert graph.messages_path("19:g@thread.v2", "groupChat") == "/chats/19:g@thread.v2/messages"
    assert graph.messages_path("a:1xyz", "personal") is None
