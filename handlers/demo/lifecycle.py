"""The demo's second half: resolution, follow-ups, the post-incident message, timeline, export."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from bot.clock import ManualClock
from emulator.driver import SlackDriver
from emulator.slack import SlackEmulator
from handlers.demo.output import say as _say
from handlers.demo.output import show as _show

BOB, CAROL, DANA = "UBOB", "UCAROL", "UDANA"
APPROVALS, UPDATES = "CAPPROVALS", "CSTATUS"


class _Text(HTMLParser):
    """What a reader sees of a page: its text, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


async def play_resolution(
    bot: SlackDriver, slack: SlackEmulator, core, clock: ManualClock, *, quiet: bool
) -> None:
    show = (lambda _text: None) if quiet else _show
    channel = slack.channel_by_name("inc-1-checkout-errors-in-eu")
    clock.advance(timedelta(minutes=20))

    _say("@bob runs /incident resolve and fills in the form")
    await bot.command("resolve", user=BOB, channel=channel.id)
    show(slack.render_view(slack.opened_views[-1].view))
    await bot.submit(
        slack.opened_views[-1].view,
        {
            "summary": "Rolled back payment-gateway release 4.2; errors at baseline for 30 minutes.",
            "customer_text": "Card payments in the EU work normally again.",
        },
        user=BOB,
    )
    show(slack.render_message(next(m for m in slack.messages(channel.id) if "is resolved" in m.text)))
    _show(f"Channel topic: {slack.channel(channel.id).topic}")

    clock.advance(timedelta(minutes=6))
    _say("The resolution notice waits for approval; @dana approves and customers see it")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=DANA)
    _show(slack.render_message(slack.messages(UPDATES)[-1]))

    await _play_follow_ups(bot, slack, clock, channel, show)
    await _play_records(bot, slack, core, clock, channel, show)


async def _play_follow_ups(bot: SlackDriver, slack: SlackEmulator, clock: ManualClock, channel, show) -> None:
    _say("@bob lists the follow-up items with /incident followups")
    await bot.command("followups", user=BOB, channel=channel.id)
    show(slack.render_ephemeral(slack.ephemerals(user=BOB)[-1]))

    _say("Four business days later @bob completes the root-cause analysis")
    clock.advance(timedelta(days=4))
    await bot.click(slack.ephemerals(user=BOB)[-1], "follow_up_complete", user=BOB)
    await bot.submit(
        slack.opened_views[-1].view,
        {
            "root_cause": "A change in release 4.2 disabled retries to our EU payment provider.",
            "corrective_actions": "We rolled the release back and replayed the payments that had failed.",
            "preventive_measures": "Payment configuration changes now roll out to 1% of traffic first.",
        },
        user=BOB,
    )

    _say("That drafts the post-incident message; @dana approves; customers get the review")
    await bot.click(slack.messages(APPROVALS)[-1], "draft_approve", user=DANA)
    _show(slack.render_message(slack.messages(UPDATES)[-1]))


async def _play_report(core, clock: ManualClock) -> None:
    from bot.slo.report import build_report
    from bot.slo.report_text import as_markdown

    _say("@dana (CS lead) takes the month to her review: incident-comms report --since 30d")
    now = clock.now()
    report = await build_report(
        core.db, core.policy, core.cards.ref, since=now - timedelta(days=30), until=now, include_private=False
    )
    _show(as_markdown(report).strip())


async def _play_records(
    bot: SlackDriver, slack: SlackEmulator, core, clock: ManualClock, channel, show
) -> None:
    _say("@carol asks for /incident timeline")
    await bot.command("timeline", user=CAROL, channel=channel.id)
    show(slack.render_ephemeral(slack.ephemerals(user=CAROL)[-1]))

    _say("@carol runs /incident export: the communications plan is uploaded to the channel")
    await bot.command("export", user=CAROL, channel=channel.id)
    [document] = slack.files(channel.id)
    lines = document.content.decode().splitlines()
    _show("\n".join([f"{document.filename} ({len(lines)} lines):", *lines[:28], "…"]))
    start = lines.index("## How we communicated")
    _show("\n".join([*lines[start : start + 12], "…"]))
    await _play_report(core, clock)

    _say("A customer opens the public status page (approved customer messages only)")
    async with bot.session.get(bot.base_url + "/status") as response:
        _show("\n".join(visible_text(await response.text()).splitlines()[:24]) + "\n…")
