"""`kill -9` of a real `serve` at each step of an incident, then a restart: nothing lost, nothing twice.

The process is killed while Slack (the emulator) has carried out the step's call but not yet
answered it — the worst moment: the effect exists, the app never learnt of it. The restart
comes after the dead process's leases would have run out (they are moved back in the
database, as if that much time had passed; nothing else is touched). Each run counts, for
every outbox entry, reminder and channel: lost 0, duplicated 0.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.enums import OutboxAction, OutboxStatus
from emulator.slack.failures import Hold
from storage.models import FollowUp, Incident, OutboxEntry, Reminder
from tests.conftest import ALICE, BOB, CAROL, GENERAL
from tests.policies import APPROVALS, SUPPORT_ROUTE, policy_file
from tests.serve_process import Serve, database_at
from tests.slack.flows import DEFAULT_FORM

UPDATES = "CUPDATES"
LATER = timedelta(minutes=3)  # longer than every lease and resume delay


@pytest.fixture
def crash_run(slack, sqlite_template, tmp_path):
    """A fresh embedded database, the channels the policy names, and the policy file."""
    for name, channel_id in (("approvals", APPROVALS), ("customer-updates", UPDATES)):
        slack.add_channel(name, channel_id=channel_id, members=[ALICE, BOB, CAROL])
    policy = policy_file(
        tmp_path,
        channels={"customer_updates": [UPDATES]},
        approvals={"approvers": [BOB, CAROL]},
        messages={"support_route": SUPPORT_ROUTE},
    )
    return sqlite_template.fresh_url(), {"INCIDENT_COMMS_CONFIG": str(policy), "LOG_LEVEL": "WARNING"}


def hold_where(slack, method: str, wanted: Callable[[dict], bool]) -> Hold:
    """The first `method` call whose arguments are `wanted` is carried out; its answer waits."""
    hold, plan = Hold(), slack._server.holds
    original = plan.take

    def take(name: str) -> Hold | None:
        if name == method and not hold.arrived.is_set() and wanted(slack.calls[-1].args):
            return hold
        return original(name)

    plan.take = take
    return hold


async def killed_when(serve: Serve, hold: Hold) -> None:
    await asyncio.wait_for(hold.arrived.wait(), 30)
    await serve.stop(signal.SIGKILL)
    hold.release()
    serve.close()


async def time_passes(database_url: str) -> None:
    """The restart comes LATER: leases and resume delays of the dead process have run out."""
    db = database_at(database_url)
    past = datetime.now(UTC) - LATER
    try:
        async with db.write() as session:
            for model in (OutboxEntry, Reminder):
                stmt = update(model).where(col(model.claimed_until).is_not(None)).values(claimed_until=past)
                await session.exec(stmt)
            incidents = (await session.exec(select(Incident))).all()
            for incident in incidents:
                incident.declared_at -= LATER
                if incident.initial_notice_due_at is not None:
                    incident.initial_notice_due_at -= LATER
                if incident.reminder_lease_until is not None:
                    incident.reminder_lease_until = past
    finally:
        await db.dispose()


async def settled(database_url: str, done: Callable[[list[OutboxEntry], list[FollowUp]], bool]) -> None:
    async with asyncio.timeout(40):
        while True:
            db = database_at(database_url)
            try:
                async with db.read() as session:
                    entries = list((await session.exec(select(OutboxEntry))).all())
                    items = list((await session.exec(select(FollowUp))).all())
            finally:
                await db.dispose()
            if done(entries, items) and all(e.status == OutboxStatus.DELIVERED for e in entries):
                return
            await asyncio.sleep(0.2)


def copies(slack) -> Counter[str]:
    """How many copies of each outbox entry (by its marker) the workspace's channels hold."""
    found: Counter[str] = Counter()
    for channel_id in slack.workspace.channels:
        for message in slack.messages(channel_id):
            marker = ((message.metadata or {}).get("event_payload") or {}).get("marker")
            if marker:
                found[marker] += 1
    return found


async def assert_once_each(slack, database_url: str) -> None:
    db = database_at(database_url)
    try:
        async with db.read() as session:
            entries = list((await session.exec(select(OutboxEntry))).all())
    finally:
        await db.dispose()
    markers = copies(slack)
    lost = [e.id for e in entries if markers[f"outbox:{e.id}"] == 0 and e.action == OutboxAction.POST]
    doubled = {m: n for m, n in markers.items() if n > 1}
    channels = [c.name for c in slack.workspace.channels.values() if c.name.startswith("inc-")]
    states = [(e.id, e.target, e.status, e.message_ts, e.last_error) for e in entries]
    assert (lost, doubled) == ([], {}), f"lost {lost}, duplicated {doubled}; entries {states}"
    assert len(channels) == 1, f"incident channels: {channels}"


def approval_cards(slack, stage: str = "") -> list:
    """Cards waiting for approval (with an Approve button) in the approvals channel."""
    return [
        m for m in slack.messages(APPROVALS) if "draft_approve" in str(m.blocks) and stage in str(m.blocks)
    ]


def incident_channel(slack) -> str:
    [channel] = [c.id for c in slack.workspace.channels.values() if c.name.startswith("inc-")]
    return channel


async def until(condition: Callable[[], object], timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


async def declared(serve: Serve) -> None:
    """/incident, the form filled in and submitted, the initial notice waiting for approval."""
    bot = serve.driver()
    await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
    await until(lambda: serve.slack.opened_views)
    await bot.submit(serve.slack.opened_views[-1].view, DEFAULT_FORM, user=ALICE)
    await until(lambda: approval_cards(serve.slack))
    await bot.close()


async def restarted(tmp_path, slack, url: str, env: dict, done) -> None:
    await time_passes(url)
    again = await Serve(tmp_path, slack, url, **env).start()
    try:
        await settled(url, done)
        await asyncio.sleep(1.5)  # a few more sweeps: anything sent twice would show now
    finally:
        await again.stop(signal.SIGKILL)
        again.close()


async def test_killed_while_its_channel_is_created(slack, crash_run, tmp_path):
    url, env = crash_run
    first = await Serve(tmp_path, slack, url, **env).start()
    bot = first.driver()
    await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
    await until(lambda: slack.opened_views)
    creating = hold_where(slack, "conversations.create", lambda _args: True)
    await bot.submit(slack.opened_views[-1].view, DEFAULT_FORM, user=ALICE)
    await killed_when(first, creating)
    await bot.close()

    await restarted(tmp_path, slack, url, env, lambda _entries, _items: approval_cards(slack))

    assert len(approval_cards(slack, "Initial notice")) == 1
    await assert_once_each(slack, url)


async def test_killed_while_an_approved_update_is_posted(slack, crash_run, tmp_path):
    url, env = crash_run
    first = await Serve(tmp_path, slack, url, **env).start()
    await declared(first)
    posting = hold_where(slack, "chat.postMessage", lambda args: args.get("channel") == UPDATES)
    await first.driver().click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    await killed_when(first, posting)

    await restarted(tmp_path, slack, url, env, lambda entries, _items: entries)

    assert len(slack.messages(UPDATES)) == 1
    await assert_once_each(slack, url)


async def test_killed_while_resolving(slack, crash_run, tmp_path):
    url, env = crash_run
    first = await Serve(tmp_path, slack, url, **env).start()
    announcing = await resolved(first, hold=True)
    await killed_when(first, announcing)

    await restarted(tmp_path, slack, url, env, lambda _entries, items: items)

    assert len(approval_cards(slack, "Resolution notice")) == 1
    db = database_at(url)
    try:
        async with db.read() as session:
            kinds = [item.kind for item in (await session.exec(select(FollowUp))).all()]
    finally:
        await db.dispose()
    assert kinds == ["rca"], "follow-ups created once"
    await assert_once_each(slack, url)


async def test_killed_while_the_rca_is_completed(slack, crash_run, tmp_path):
    url, env = crash_run
    first = await Serve(tmp_path, slack, url, **env).start()
    await resolved(first)
    bot, channel = first.driver(), incident_channel(slack)
    await bot.command("followups", user=ALICE, channel=channel)
    listed = lambda: [e for e in slack.ephemerals(user=ALICE) if "follow_up_complete" in str(e.blocks)]  # noqa: E731
    await until(listed)
    views = len(slack.opened_views)
    await bot.click(listed()[-1], "follow_up_complete", user=ALICE)
    await until(lambda: len(slack.opened_views) > views)
    reviewing = hold_where(slack, "chat.postMessage", lambda args: "draft_approve" in str(args))
    await bot.submit(slack.opened_views[-1].view, RCA, user=ALICE)
    await killed_when(first, reviewing)

    await restarted(tmp_path, slack, url, env, lambda _entries, items: items)

    reviews = [c for c in approval_cards(slack) if "A configuration change disabled retries" in str(c.blocks)]
    assert len(reviews) == 1, "the post-incident review is drafted once"
    assert slack.transcript(channel).count("completed *Root-cause analysis*") == 1
    await assert_once_each(slack, url)


RCA = {
    "root_cause": "A configuration change disabled retries to the payment provider.",
    "corrective_actions": "We restored the configuration and replayed failed payments.",
    "preventive_measures": "Configuration changes now need a canary and a second reviewer.",
}


async def resolved(serve: Serve, *, hold: bool = False) -> Hold | None:
    """Declared, the initial notice approved and published, then resolved (its notice waiting);
    `hold`: the resolution notice's card is carried out but not answered (the Hold returned)."""
    slack = serve.slack
    await declared(serve)
    bot = serve.driver()
    await bot.click(approval_cards(slack)[-1], "draft_approve", user=BOB)
    await until(lambda: slack.messages(UPDATES))
    await bot.command("resolve", user=ALICE, channel=incident_channel(slack))
    await until(lambda: len(slack.opened_views) == 2)
    card = hold_where(slack, "chat.postMessage", lambda args: "draft_approve" in str(args)) if hold else None
    fields = {"summary": "Rolled back the gateway deploy.", "customer_text": "Payments work normally again."}
    await bot.submit(slack.opened_views[-1].view, fields, user=ALICE)
    if card is None:
        await until(lambda: approval_cards(slack, "Resolution notice"))
    await bot.close()
    return card


async def test_killed_while_the_approval_is_shown_on_the_card(slack, crash_run, tmp_path):
    url, env = crash_run
    first = await Serve(tmp_path, slack, url, **env).start()
    await declared(first)
    card = approval_cards(slack)[-1]
    showing = hold_where(slack, "chat.update", lambda args: args.get("channel") == APPROVALS)
    await first.driver().click(card, "draft_approve", user=BOB)
    await killed_when(first, showing)

    await restarted(tmp_path, slack, url, env, lambda entries, _items: entries)

    assert len(slack.messages(UPDATES)) == 1, "the approval committed before the crash is published once"
    await assert_once_each(slack, url)
