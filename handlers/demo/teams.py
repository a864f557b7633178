"""The demo's Teams act: the same bot, over the same database, in Microsoft Teams.

A second app on the demo's SQLite file speaks Teams to a local fake Bot Connector (no
Microsoft sign-in; nothing leaves 127.0.0.1). The digest and the dashboard it shows are
read from the database both apps share, so they list the Slack incident and the Teams one.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import warnings
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.clock import ManualClock
from bot.config import Settings
from bot.policy.model import Policy, load_policy
from emulator.teams import FakeConnector
from emulator.teams.connector import Posted
from emulator.teams.driver import TeamsDriver, channel_thread, personal_chat
from handlers.app import CORE, create_app
from handlers.demo.output import say as _say
from handlers.demo.output import show as _show

ERIN, FRANK, DANA = "aad-erin", "aad-frank", "aad-dana"  # Entra object ids; names from the connector
OPS = channel_thread("ops", "1700000000001")  # the thread in #ops where @erin types
APPROVALS = "19:incident-approvals@thread.tacv2"
STATUS = "19:customer-status@thread.tacv2"
TEAMS_POLICY = f"""
[channels]
approvals = "msteams:{APPROVALS}"
customer_updates = ["msteams:{STATUS}"]
[approvals]
approvers = ["msteams:frank@contoso.com", "msteams:dana@contoso.com"]
[messages]
support_route = "Contact support@example.com or open a ticket at https://help.example.com."
"""
TITLE = "Password reset emails delayed"
FACTS = {
    "what_happened": "Password reset emails reach customers up to 40 minutes late.",
    "customer_impact": "Customers who reset their password wait up to 40 minutes for the email.",
    "severity": "SEV2",
    "segments": "All customers",
}
RESOLVED = {
    "summary": "Restarted the stuck mail relay; the queue drained in 6 minutes.",
    "customer_text": "We restarted the mail relay and cleared its queue. This issue is resolved and "
    "password reset emails arrive within a minute again.",
}
QUIET = ("microsoft_teams",)  # the SDK warns that a demo has no Entra tenant (TENANT_ID is not set …)
_AT = re.compile(r"<at>(.*?)</at>")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")

Show = Callable[[str], None]


# ---- what a Teams user reads on a card -------------------------------------------------------
def _plain(text: str) -> str:
    text = _LINK.sub(r"\1 (\2)", _AT.sub(r"@\1", text)).replace("**", "*")
    return html.unescape(text)


def _buttons(actions: list[dict[str, Any]]) -> str:
    return "  ".join(f"[ {a['title']} ]" for a in actions if a.get("title"))


def _lines(elements: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for element in elements:
        kind = element.get("type", "")
        if kind == "TextBlock":
            lines += [_plain(line) for line in element.get("text", "").splitlines() if line.strip()]
        elif kind == "FactSet":
            lines += [f"{f['title']}: {_plain(f['value'])}" for f in element.get("facts", [])]
        elif kind == "ActionSet":
            lines.append(_buttons(element.get("actions", [])))
        elif kind.startswith("Input."):
            lines.append(f"{element.get('label', element['id'])}: [{element.get('value') or '____'}]")
        else:  # containers and columns
            for key in ("items", "columns"):
                lines += _lines(element.get(key, []))
    return lines


def card_text(card: dict[str, Any], *, keep: int | None = None) -> str:
    """A card as text: its blocks, facts and inputs, then a row of its buttons (`keep`: first lines)."""
    lines = _lines(card.get("body", []))
    if keep is not None and len(lines) > keep:
        lines = [*lines[:keep], "…"]
    if card.get("actions"):
        lines.append(_buttons(card["actions"]))
    return "\n".join(lines)


def dialog_text(title: str, form: dict[str, Any], *, keep: int) -> str:
    inputs = [e for e in form["body"] if e.get("type", "").startswith("Input.")]
    lines = [f"│ {line}" for line in _lines(inputs[:keep])]
    more = ", ".join(e["label"] for e in inputs[keep:])
    return "\n".join([f"┌─ {title} " + "─" * 30, *lines, f"│ … {more}", "└─ " + _buttons(form["actions"])])


# ---- the act ---------------------------------------------------------------------------------
async def play_teams(settings: Settings, clock: ManualClock, *, quiet: bool) -> None:
    """Meanwhile, on Microsoft Teams: declare, approve, publish; then the shared digest and home."""
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HtmlWidgetSecurityPolicy is in preview")
        warnings.filterwarnings("ignore", message="The bot client is deprecated")
        from handlers.teams.adapter import TeamsOverrides  # the Teams SDK is imported for this act only

        connector = FakeConnector()
        await connector.start()
        _directory(connector)
        overrides = TeamsOverrides(service_url=connector.service_url, token=_token)
        app = create_app(
            settings, policy=_policy(settings), clock=clock, migrate=False, sweeps=False, teams=overrides
        )
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        core = app[CORE]
        url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        teams = TeamsDriver(url, connector, settle=lambda: core.tracker.wait_idle(timeout=20))
        try:
            await _play(teams, connector, (lambda _text: None) if quiet else _show)
        finally:
            await teams.close()
            await runner.cleanup()
            await connector.stop()


def _policy(settings: Settings) -> Policy:
    """The demo's policy with Teams channels and approvers, written next to the Slack one."""
    assert settings.policy_path is not None, "the demo writes its policy to a file"
    path = settings.policy_path.with_name("teams-policy.toml")
    path.write_text(TEAMS_POLICY)
    return load_policy(path)


def _directory(connector: FakeConnector) -> None:
    """The tenant's people as the Bot Connector describes them: names and UPNs."""
    for object_id in (ERIN, FRANK, DANA):
        name = object_id.removeprefix("aad-")
        connector.members[object_id] = {
            "id": f"29:{object_id}",
            "aadObjectId": object_id,
            "userPrincipalName": f"{name}@contoso.com",
            "name": name.title(),
        }


def _token(*_: Any) -> str:
    """What the SDK gets instead of an Entra sign-in: a JWT shape it can read, signed by no one."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {"aud": "https://api.botframework.com", "appid": "incident-comms", "exp": 4102444800}
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.demo"


async def _play(teams: TeamsDriver, connector: FakeConnector, show: Show) -> None:
    await _declare(teams, connector, show)
    await _approve(teams, connector, show)

    _say("@dana (CS lead) types `incident digest` in her chat with the bot: live incidents of both platforms")
    await teams.chat("incident digest", user=DANA)
    digest = "\n".join(card_text(p.card) for p in connector.messages(personal_chat(DANA)))
    _show("\n".join(line for line in digest.splitlines() if not line.startswith(("Segments", "Last"))))

    _say("…and `incident home`: her dashboard card")
    await teams.chat("incident home", user=DANA)
    home = card_text(connector.last(personal_chat(DANA)).card).splitlines()
    show("\n".join(line for i, line in enumerate(home) if i < 2 or line.startswith(("*INC-", "[ "))))

    _say("@erin resolves it with `incident resolve` (the same dialog); @frank approves the notice")
    await _resolve(teams, connector, show)


async def _declare(teams: TeamsDriver, connector: FakeConnector, show: Show) -> None:
    _say(f"Meanwhile, on Microsoft Teams… @erin in #ops:  @incident-comms incident {TITLE}")
    await teams.message(f"incident {TITLE}", user=ERIN, conversation=OPS)
    prompt = connector.last(OPS).card
    show(card_text(prompt))

    _say("@erin clicks the button: the dialog opens with her title filled in")
    task = await _open(teams, prompt, user=ERIN, conversation=OPS)
    show(dialog_text(task["title"], task["card"]["content"], keep=2))

    _say("She adds what happened, the impact, SEV2 and the segment, and submits; the thread in #ops shows")
    closed = await _submit(teams, task["card"]["content"], FACTS, user=ERIN, conversation=OPS)
    intro = next(p for p in connector.messages(OPS) if "Show status" in str(p.card))
    show(card_text(intro.card, keep=3) + f"\n(the dialog closed with “{closed}”)")


async def _approve(teams: TeamsDriver, connector: FakeConnector, show: Show) -> None:
    _say("The notice waits in the Teams channel #incident-approvals; @frank (not the author) approves")
    card = connector.last(APPROVALS)
    ok = await _click_approve(teams, card, user=FRANK)
    facts = [line for line in card_text(card.card).splitlines() if line.startswith(("Status", "Appr"))]
    show(f"The card, {'refreshed in place' if ok else 'NOT refreshed'}: " + " · ".join(facts))
    published = connector.messages(STATUS)
    _show(
        "#customer-status (Teams) now reads:\n"
        + (card_text(published[-1].card, keep=3) if published else "-")
    )


async def _resolve(teams: TeamsDriver, connector: FakeConnector, show: Show) -> None:
    """Resolved and the notice published, so the Slack act's status page is calm again."""
    await teams.message("incident resolve", user=ERIN, conversation=OPS)
    task = await _open(teams, connector.last(OPS).card, user=ERIN, conversation=OPS)
    await _submit(teams, task["card"]["content"], RESOLVED, user=ERIN, conversation=OPS)
    card = connector.last(APPROVALS)
    ok = await _click_approve(teams, card, user=FRANK)
    notice = card_text(connector.last(STATUS).card).splitlines()
    show(f"#customer-status (Teams): {notice[-1]}" if ok else "The resolution notice was NOT approved")


async def _open(teams: TeamsDriver, card: dict[str, Any], *, user: str, conversation: str) -> dict[str, Any]:
    """Click the button that opens a dialog (`task/fetch`); the dialog Teams shows."""
    [button] = card["actions"]
    reply = await teams.invoke("task/fetch", {"data": button["data"]}, user=user, conversation=conversation)
    return reply.body["task"]["value"]


async def _submit(
    teams: TeamsDriver, form: dict[str, Any], values: dict[str, str], *, user: str, conversation: str
) -> str:
    """What Teams sends for a filled-in dialog: every input as shown or typed, and the button's data."""
    inputs = {e["id"]: e.get("value", "") for e in form["body"] if e["type"].startswith("Input.")}
    [action] = form["actions"]
    data = {**inputs, **values, **action["data"]}
    reply = await teams.invoke("task/submit", {"data": data}, user=user, conversation=conversation)
    await teams.settle()
    return str(reply.body["task"]["value"])


async def _click_approve(teams: TeamsDriver, posted: Posted, *, user: str) -> bool:
    """An `Action.Execute` click on Approve; whether the card was refreshed in place."""
    approve = next(a for a in posted.card["actions"] if a["title"] == "Approve")
    action = {"type": "Action.Execute", "verb": approve["verb"], "data": approve["data"]}
    value = {"action": action, "trigger": "manual"}
    reply = await teams.invoke("adaptiveCard/action", value, user=user, conversation=posted.conversation_id)
    await teams.settle()
    return reply.status == 200 and bool(posted.edits) and "Published" in posted.texts()
