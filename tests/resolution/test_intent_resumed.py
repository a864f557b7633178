"""Work owed by a change (the initial notice, follow-ups of a resolve by edit) survives a crash, once."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

from sqlmodel import func, select

from bot.enums import IncidentStatus, Stage
from bot.incidents.forms import parse_edit
from bot.services.intents import sweep_owed
from emulator.slack.failures import Hold
from emulator.slack.server import ApiResult
from storage.models import Draft, FollowUp, Incident
from tests.conftest import ALICE, GENERAL, running_bot
from tests.serve_process import Serve, database_at
from tests.slack.flows import DEFAULT_FORM, declare


def hold_dm(slack, user: str) -> Hold:
    """The bot's next DM to `user` is carried out, and its answer waits (the set-up report)."""
    hold, plan = Hold(), slack._server.holds
    original = plan.take

    def take(method: str) -> Hold | None:
        last = slack.calls[-1]  # the call being answered: appended just before, with no await between
        if method == "chat.postMessage" and last.args.get("channel") == user and not hold.arrived.is_set():
            return hold
        return original(method)

    plan.take = take
    return hold


async def counts(database_url: str) -> tuple[int, int, bool, bool]:
    """(initial drafts, follow-ups, set-up complete, notice still owed) of incident 1."""
    db = database_at(database_url)
    try:
        async with db.read() as session:
            drafts = await session.exec(select(func.count()).where(Draft.stage == Stage.INITIAL.value))
            items = await session.exec(select(func.count()).select_from(FollowUp))
            incident = await session.get(Incident, 1)
            owed = incident is not None and incident.initial_notice_due_at is not None
            return drafts.one(), items.one(), bool(incident and incident.setup_complete), owed
    finally:
        await db.dispose()


async def backdate(database_url: str, by: timedelta) -> None:
    """Incident 1 declared (and its notice owed) `by` earlier: the restart came that much later."""
    db = database_at(database_url)
    try:
        async with db.write() as session:
            incident = await session.get(Incident, 1)
            incident.declared_at -= by
            incident.initial_notice_due_at -= by
    finally:
        await db.dispose()


async def until(condition, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def approval_cards(slack) -> int:
    return sum(1 for c in slack.calls_to("chat.postMessage") if c.ok and "draft_approve" in str(c.args))


def refuse_first_card(slack) -> list[bool]:
    """The first approval card is refused before Slack stores it (the notice's draft is stored,
    its card never got out); returns a flag set once that happened."""
    server, refused = slack._server, []
    original = server.process

    def process(method, args, token):
        if method == "chat.postMessage" and "draft_approve" in str(args) and not refused:
            refused.append(True)
            return ApiResult(200, {"ok": False, "error": "channel_not_found"})
        return original(method, args, token)

    server.process = process
    return refused


async def test_serve_killed_between_set_up_and_notice_drafts_it_once_on_restart(
    slack, database_url, tmp_path
):
    """The notice is drafted alongside the set-up steps (bot/incidents/setup.py): killed once the
    set-up is committed while the notice is still owed (its card did not get out), the restart
    shows it once."""
    first = await Serve(tmp_path, slack, database_url).start()
    try:
        bot = first.driver()
        await bot.command("Killed after set-up", user=ALICE, channel=GENERAL)
        await until(lambda: slack.opened_views)
        view = slack.opened_views[-1].view
        slack.workspace.response_urls.clear()  # the set-up report falls back to a DM, which we hold
        dm, refused = hold_dm(slack, ALICE), refuse_first_card(slack)
        await bot.submit(view, DEFAULT_FORM, user=ALICE)
        await asyncio.wait_for(dm.arrived.wait(), 20)
        await until(lambda: refused)
        await asyncio.sleep(0.2)  # the failed notice keeps its intent (nothing clears it)
        assert await counts(database_url) == (1, 0, True, True)  # set-up committed, notice still owed
        await first.stop(signal.SIGKILL)
        dm.release()
        await bot.close()
    finally:
        first.close()
    assert approval_cards(slack) == 0
    await backdate(database_url, timedelta(minutes=5))  # the restart comes after the lease and RESUME_AFTER

    for restart in range(2):  # the second restart finds nothing owed
        again = await Serve(tmp_path, slack, database_url).start()
        try:
            await until(lambda: approval_cards(slack))
            async with asyncio.timeout(20):
                while (await counts(database_url))[3]:  # the notice is owed until it is cleared
                    await asyncio.sleep(0.02)
            await asyncio.sleep(0.3 * restart)
        finally:
            await again.stop(signal.SIGKILL)
            again.close()
        assert await counts(database_url) == (1, 0, True, False)
        assert approval_cards(slack) == 1
    assert len(slack.calls_to("conversations.create")) == 1


async def test_follow_ups_owed_by_an_edit_are_created_once_after_a_crash(slack, database_url, clock, policy):
    async with running_bot(slack, database_url, clock, policy) as bot:
        await declare(bot, "Resolved by edit, then crashed")
        await bot.settle()
        incident = await bot.core.incidents.get(1)
        form = {**DEFAULT_FORM, "title": incident.title, "status": IncidentStatus.RESOLVED.value}
        # the edit's transaction commits; the app stops before the follow-ups are created
        await bot.core.incidents.edit(1, parse_edit(form, policy), actor=ALICE)
        assert (await counts(database_url))[1] == 0
    clock.advance(timedelta(minutes=1))
    for _ in range(2):  # start-up creates them; the next start-up finds nothing owed
        async with running_bot(slack, database_url, clock, policy) as bot:
            await bot.settle()
            assert await sweep_owed(bot.core) == 0
        assert (await counts(database_url))[1] == 1  # the default policy owes one RCA
    resolved = [c for c in slack.calls_to("chat.postMessage") if "resolved" in str(c.args).lower()]
    assert resolved, "the channel was told once the follow-ups were created"


async def test_a_notice_whose_draft_was_stored_before_the_crash_is_not_drafted_again(bot, database_url):
    await declare(bot, "Drafted, then crashed")
    await bot.settle()
    owed = bot.core.clock.now() - timedelta(minutes=3)
    await bot.core.incidents.update_fields(1, initial_notice_due_at=owed)  # as if never cleared
    cards = approval_cards(bot.slack)

    assert await sweep_owed(bot.core) == 1
    assert await sweep_owed(bot.core) == 0
    assert await counts(database_url) == (1, 0, True, False)
    assert approval_cards(bot.slack) == cards  # its card was shown already: not posted again
