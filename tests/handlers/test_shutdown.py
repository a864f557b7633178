"""SIGTERM: stop taking work, let work in flight finish (SHUTDOWN_TIMEOUT), hand back leases, exit 0."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

from sqlmodel import select

from bot.enums import ReminderStatus
from bot.incidents.forms import parse_declare
from storage.db import Database
from storage.models import Incident, Reminder
from tests.conftest import ALICE, GENERAL, running_bot
from tests.serve_process import Serve
from tests.slack.flows import DEFAULT_FORM


def quiet(log: str) -> bool:
    return "ERROR" not in log and "Traceback" not in log and "CancelledError" not in log


async def test_an_idle_serve_exits_0_within_5_s_of_sigterm_logging_no_error(slack, tmp_path):
    serve = await Serve(tmp_path, slack, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}").start()
    try:
        await asyncio.sleep(2.5)  # the 2-second sweeps have run at least once
        code, took = await serve.stop(signal.SIGTERM)
    finally:
        serve.close()
    print(f"idle SIGTERM -> exit: {took:.2f} s")
    assert code == 0 and took < 5, serve.log()
    assert quiet(serve.log()), serve.log()
    assert "stopped" in serve.log()


async def test_set_up_in_flight_finishes_before_serve_exits_within_the_timeout(slack, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    serve = await Serve(tmp_path, slack, url, SHUTDOWN_TIMEOUT="8").start()
    try:
        bot = serve.driver()
        await bot.command("Slow Slack at shutdown", user=ALICE, channel=GENERAL)
        async with asyncio.timeout(20):
            while not slack.opened_views:
                await asyncio.sleep(0.02)
        slack.slow_answer("conversations.create", 2.0)  # Slack answers the channel's creation late
        await bot.submit(slack.opened_views[-1].view, DEFAULT_FORM, user=ALICE)
        async with asyncio.timeout(20):
            while not slack.calls_to("conversations.create"):
                await asyncio.sleep(0.02)
        code, took = await serve.stop(signal.SIGTERM)
        await bot.close()
    finally:
        serve.close()
    print(f"busy SIGTERM -> exit: {took:.2f} s")
    assert code == 0 and 1.5 < took < 8, serve.log()
    assert quiet(serve.log()), serve.log()
    db = Database(url)
    try:
        async with db.read() as session:
            incident = await session.get(Incident, 1)
    finally:
        await db.dispose()
    assert incident.setup_complete and incident.intro_ts and incident.initial_notice_due_at is None
    assert any("draft_approve" in str(c.args) for c in slack.calls_to("chat.postMessage"))


async def test_leases_still_held_at_shutdown_are_handed_back_only_ours(slack, database_url, clock, policy):
    async with running_bot(slack, database_url, clock, policy) as bot:
        core = bot.core
        form = parse_declare({**DEFAULT_FORM, "title": "Leases"}, core.policy, ALICE)
        await core.incidents.declare(form, reporter_id=ALICE, origin_channel_id=None, source_key="V-lease")
        other = Database(database_url)  # another instance on the same database
        try:
            for db, channel in ((core.db, "COURS"), (other, "CTHEIRS")):
                async with db.write() as session:
                    session.add(reminder(clock.now(), channel))
        finally:
            await other.dispose()
    db = Database(database_url)
    try:
        async with db.read() as session:
            rows = {r.channel_id: r for r in (await session.exec(select(Reminder))).all()}
    finally:
        await db.dispose()
    assert rows["COURS"].claimed_until == clock.now()  # free for the next sweep at once
    assert rows["CTHEIRS"].claimed_until == clock.now() + timedelta(minutes=5)
    assert rows["COURS"].status == ReminderStatus.SENDING  # looked up before any re-send


def reminder(now, channel: str) -> Reminder:
    return Reminder(
        incident_id=1,
        stage="due",
        due_at=now,
        channel_id=channel,
        incident_version=1,
        status=ReminderStatus.SENDING.value,
        claimed_until=now + timedelta(minutes=5),
        created_at=now,
    )
