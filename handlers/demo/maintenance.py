"""The demo's last act: a maintenance scheduled, approved, started and completed (issue 23)."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.clock import ManualClock
from bot.services.sweeps import cadence_sweep
from emulator.driver import SlackDriver
from emulator.slack import SlackEmulator
from handlers.demo.output import say as _say
from handlers.demo.output import show as _show

ALICE, DANA = "UALICE", "UDANA"
GENERAL, APPROVALS, UPDATES = "CGENERAL", "CAPPROVALS", "CSTATUS"
IMPACT = "The API is read-only for up to two hours; writes return 503 and can be retried afterwards."


async def play_maintenance(
    bot: SlackDriver, slack: SlackEmulator, core, clock: ManualClock, *, quiet: bool
) -> None:
    show = (lambda _text: None) if quiet else _show
    _say("@alice plans a database upgrade with /incident maintenance Database upgrade")
    await bot.command("maintenance Database upgrade", user=ALICE, channel=GENERAL)
    view = slack.opened_views[-1].view
    show(slack.render_view(view))
    start = (clock.now() + timedelta(hours=3)).replace(minute=0)
    window = {"starts_at": int(start.timestamp()), "ends_at": int((start + timedelta(hours=2)).timestamp())}
    await bot.submit(view, {**window, "expected_impact": IMPACT}, user=ALICE)

    _say("@dana approves the three customer texts together; the announcement goes out")
    card = [m for m in slack.messages(APPROVALS) if "maintenance MNT-" in m.text][-1]
    await bot.click(card, "maintenance_approve", user=DANA)
    _show(slack.render_message(slack.messages(UPDATES)[-1]))

    for label, moment in (("start", start), ("end", start + timedelta(hours=2))):
        clock.set(moment)
        await cadence_sweep(core)
        _say(f"At the {label} of the window the bot publishes the approved text by itself")
        _show(slack.render_message(slack.messages(UPDATES)[-1]))
    async with bot.session.get(bot.base_url + "/api/v2/scheduled-maintenances.json") as response:
        [shaped] = json.loads(await response.text())["scheduled_maintenances"]
    updates = len(shaped["incident_updates"])
    _show(f"scheduled-maintenances.json: {shaped['name']} · {shaped['status']} · {updates} updates")
