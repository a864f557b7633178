"""`incident-comms demo`: a whole incident played against the built-in Slack emulator.

Nothing to configure: SQLite in a temporary folder, the emulator on a loopback port, the
real app over real signed HTTP. It prints what each person would see in Slack.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.clock import ManualClock
from bot.config import Settings
from emulator.driver import SlackDriver
from emulator.slack import SlackEmulator
from handlers.app import CORE, create_app
from handlers.demo.lifecycle import play_resolution
from handlers.demo.maintenance import play_maintenance
from handlers.demo.output import say as _say
from handlers.demo.output import show as _show

SECRET = "demo-signing-secret"
ALICE, BOB, CAROL, DANA = "UALICE", "UBOB", "UCAROL", "UDANA"
GENERAL, APPROVALS, UPDATES, MANAGERS = "CGENERAL", "CAPPROVALS", "CSTATUS", "CMANAGERS"
DEMO_POLICY = f"""
[channels]
approvals = "{APPROVALS}"
customer_updates = ["{UPDATES}"]
[approvals]
approvers = ["{DANA}", "{BOB}"]
[roles]
cs_leads = ["{DANA}"]
[messages]
support_route = "Contact support@example.com or open a ticket at https://help.example.com."
[reminders]
repeat_every = "15m"
escalation = [
  {{ after = "15m", notify = ["commander"] }},
  {{ after = "45m", notify = ["channel:{MANAGERS}"] }},
]
"""


async def run_demo(*, quiet: bool = False, teams_only: bool = False) -> int:
    logging.basicConfig(level=logging.WARNING)
    slack = SlackEmulator()
    await slack.start()
    for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"), (DANA, "dana")):
        slack.add_user(user_id, name, real_name=name.title())
    people = [ALICE, BOB, CAROL, DANA]
    slack.add_channel("general", channel_id=GENERAL, members=people)
    slack.add_channel("incident-approvals", channel_id=APPROVALS, members=people)
    slack.add_channel("status-updates", channel_id=UPDATES, members=people)
    slack.add_channel("incident-managers", channel_id=MANAGERS, members=people)
    with tempfile.TemporaryDirectory() as folder:
        policy = Path(folder) / "policy.toml"
        policy.write_text(DEMO_POLICY)
        settings = Settings(
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_API_URL=slack.api_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}",
            INCIDENT_COMMS_CONFIG=policy,
            METRICS_PORT=0,  # any free port: the demo never collides with a running bot
        )
        clock = ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))
        app = create_app(settings, clock=clock, sweeps=False)  # the demo moves time itself
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        core = app[CORE]
        driver = SlackDriver(f"http://127.0.0.1:{port}", slack, secret=SECRET, settle=core.tracker.wait_idle)
        driver.core = core
        try:
            await _acts(driver, slack, settings, clock, quiet=quiet, teams_only=teams_only)
        finally:
            await driver.close()
            await runner.cleanup()
            await slack.stop()
    return 0


async def _acts(
    driver: SlackDriver,
    slack: SlackEmulator,
    settings: Settings,
    clock: ManualClock,
    *,
    quiet: bool,
    teams_only: bool,
) -> None:
    """Slack's acts around the Teams one; `teams_only`: the Teams act alone (the same bot, its own story)."""
    core = driver.core
    if not teams_only:
        await _play(driver, slack, clock.now() - timedelta(minutes=18), quiet=quiet)
        await _play_cadence(driver, slack, core, clock, quiet=quiet)
    from handlers.demo.teams import play_teams  # the Teams SDK is imported (~1.4 s) only here

    await play_teams(settings, clock, quiet=quiet)  # a Teams incident in the same database
    if not teams_only:
        await play_resolution(driver, slack, core, clock, quiet=quiet)
        await play_maintenance(driver, slack, core, clock, quiet=quiet)
        print(
            "\nDemo finished: declared, set up, updates approved and published, reminders, a digest,"
            " resolved, follow-ups tracked, the post-incident review published, the plan exported"
            " and a maintenance announced, started and completed. ✔"
        )
    else:
        print("\nTeams demo finished: declared, approved, published, digest, dashboard, resolved. ✔")


async def _play(bot: SlackDriver, slack: SlackEmulator, started: datetime, *, quiet: bool) -> None:
    show = (lambda _text: None) if quiet else _show
    await _play_declare(bot, slack, started, show)
    await _play_approvals(bot, slack, show)


async def _play_declare(bot: SlackDriver, slack: SlackEmulator, started: datetime, show) -> None:
    _say("@alice types in #general:  /incident Checkout errors in EU")
    await bot.command("Checkout errors in EU", user=ALICE, channel=GENERAL)
    view = slack.opened_views[-1].view
    show(slack.render_view(view))

    _say("@alice fills in the form (commander @bob, comms owner @carol) and presses Declare")
    await bot.submit(
        view,
        {
            "what_happened": "Card payments fail at checkout for customers in the EU region since "
            f"{started:%H:%M} UTC.",
            "customer_impact": "EU customers cannot complete purchases; about 30% of checkouts fail.",
            "severity": "SEV2",
            "segments": ["EU region", "Self-serve"],
            "named_accounts": "Acme Corp",
            "commander": BOB,
            "comms_owner": CAROL,
        },
        user=ALICE,
    )
    channel = slack.channel_by_name("inc-1-checkout-errors-in-eu")
    show("Only @alice sees:\n" + slack.render_ephemeral(slack.ephemerals(user=ALICE)[-1]))

    _say("@bob raises the severity with /incident edit in the incident channel")
    await bot.command("edit", user=BOB, channel=channel.id)
    await bot.submit(
        slack.opened_views[-1].view,
        {
            "severity": "SEV1",
            "status": "identified",
            "status_note": "Faulty payment-gateway deploy identified; rolling back.",
        },
        user=BOB,
    )

    _say(f"What #{channel.name} shows now")
    _show(slack.transcript(channel.id))

    _say("The initial customer notice was drafted at once; #incident-approvals shows it to approvers")
    show(slack.transcript(APPROVALS))


async def _play_approvals(bot: SlackDriver, slack: SlackEmulator, show) -> None:
    channel = slack.channel_by_name("inc-1-checkout-errors-in-eu")
    minutes = bot.core.clock.advance  # people take a few minutes to read and decide
    minutes(timedelta(minutes=7))
    _say("@dana (an approver) clicks Approve: it is published to #status-updates and copied to the incident")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=DANA)
    _show(slack.transcript(UPDATES))

    minutes(timedelta(minutes=12))
    _say("@carol drafts an update with /incident update; the checks flag a hedge")
    await bot.command("update", user=CAROL, channel=channel.id)
    await bot.submit(
        slack.opened_views[-1].view, {"what_happened": "We think the gateway vendor is at fault."}, user=CAROL
    )
    show(slack.render_message(slack.messages(APPROVALS)[-1]))

    minutes(timedelta(minutes=3))
    _say("@bob rejects it with a reason; @carol sees it in the incident channel")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_reject", user=BOB)
    await bot.submit(
        slack.opened_views[-1].view, {"reason": "No speculation about the vendor, please."}, user=BOB
    )
    show(slack.render_message(slack.messages(channel.id)[-1]))

    _say("@carol edits and resubmits (version 2); @dana approves")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_edit", user=CAROL)
    facts = {
        "what_happened": "We rolled back the payment-gateway deploy; checkout success is recovering.",
        "actions_taken": "Rolled back the deploy and added capacity to the payment service.",
    }
    await bot.submit(slack.opened_views[-1].view, facts, user=CAROL)
    minutes(timedelta(minutes=4))
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=DANA)
    show(slack.render_message(slack.messages(APPROVALS)[-1]))

    _say("The update as customers see it in #status-updates")
    _show(slack.render_message(slack.messages(UPDATES)[-1]))

    _say("@carol asks for /incident list")
    await bot.command("list", user=CAROL, channel=GENERAL)
    show(slack.render_ephemeral(slack.ephemerals(user=CAROL)[-1]))

    _say("@carol runs /incident status in the incident channel")
    await bot.command("status", user=CAROL, channel=channel.id)
    show(slack.render_ephemeral(slack.ephemerals(user=CAROL)[-1]))
    await _play_roles(bot, slack, channel, show)


async def _play_roles(bot: SlackDriver, slack: SlackEmulator, channel, show) -> None:
    _say("@carol runs /incident roles: who holds what on the incident")
    await bot.command("roles", user=CAROL, channel=channel.id)
    show(slack.render_ephemeral(slack.ephemerals(user=CAROL)[-1]))
    _say("@dana (an approver, no role on this incident) tries /incident pause: only she sees the answer")
    await bot.command("pause", user=DANA, channel=channel.id)
    show(slack.render_ephemeral(slack.ephemerals(user=DANA)[-1]))


async def _play_cadence(
    bot: SlackDriver, slack: SlackEmulator, core, clock: ManualClock, *, quiet: bool
) -> None:
    show = (lambda _text: None) if quiet else _show
    channel = slack.channel_by_name("inc-1-checkout-errors-in-eu")
    incident = await core.incidents.get(1)
    due = incident.next_update_due_at
    seen = len(slack.messages(channel.id))

    _say(
        f"Fast-forward to 10 minutes before the promised next update ({due:%H:%M} UTC): a heads-up for @carol"
    )
    clock.set(due - timedelta(minutes=10))
    await core.reminders.run()
    show(slack.render_message(slack.messages(channel.id)[-1]))

    _say("@carol clicks Snooze 15m; the channel is told")
    await bot.click(slack.messages(channel.id)[-1], "reminders_snooze:15m", user=CAROL)
    show(slack.render_message(slack.messages(channel.id)[-1]))

    _say("Fast-forward past the snooze: the update is overdue, so @bob (commander) gets the escalation")
    clock.set(due + timedelta(minutes=16))
    await core.reminders.run()
    show(slack.render_message(slack.messages(channel.id)[-1]))

    _say("Still no update 30 minutes after it was due: a repeat, threaded under the nag, and a DM to @carol")
    clock.set(due + timedelta(minutes=31))
    await core.reminders.run()
    show(slack.render_message(slack.messages(channel.id)[-1]))

    _say("45 minutes overdue: the ladder's second tier reaches #incident-managers")
    clock.set(due + timedelta(minutes=46))
    await core.reminders.run()
    show(slack.render_message(slack.messages(MANAGERS)[-1]))

    _say("@dana (CS lead) asks for /incident digest")
    await bot.command("digest", user=DANA, channel=GENERAL)
    show(slack.render_ephemeral(slack.ephemerals(user=DANA)[-1]))

    _say("@carol opens the bot's Home tab")
    await bot.event({"type": "app_home_opened", "user": CAROL, "tab": "home"})
    show(slack.render_view(slack.home_views[CAROL]))
    posted = len(slack.messages(channel.id)) - seen
    print(f"\n{posted} reminder posts in the incident channel so far, a digest and the Home dashboard.")
