"""Every Teams dialog by its id: what opens it (`task/fetch`) and what takes its submission
(`task/submit`). The one table the adapter routes dialogs through, as Slack's `ROUTES` does
for subcommands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.chat.cards import CardAction
from handlers.teams import card_actions, editing, home_card, lifecycle, maintenance
from handlers.teams.declare_dialog import open_declare, submit_declare
from handlers.teams.dialogs import DECLARE, REJECT, REJECT_TITLE, close_with, continue_with, reject_form
from handlers.teams.turns import Teams, Turn

DialogHandler = Callable[[Teams, Turn, dict[str, Any]], Awaitable[dict[str, Any]]]
UNAVAILABLE = "That dialog is not available."


async def _open_reject(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    return continue_with(reject_form(data), REJECT_TITLE)


OPEN: dict[str, DialogHandler] = {
    DECLARE: open_declare,
    REJECT: _open_reject,
    maintenance.DIALOG: maintenance.open_dialog,
    CardAction.SHOW_STATUS: home_card.status_dialog,
    **dict.fromkeys(lifecycle.DIALOGS, lifecycle.open_dialog),
    **dict.fromkeys(editing.DIALOGS, editing.open_dialog),
}
SUBMIT: dict[str, DialogHandler] = {
    DECLARE: submit_declare,
    REJECT: card_actions.reject,
    maintenance.DIALOG: maintenance.submit_dialog,
    **dict.fromkeys(lifecycle.DIALOGS, lifecycle.submit_dialog),
    **dict.fromkeys(editing.DIALOGS, editing.submit_dialog),
}


async def route(
    table: dict[str, DialogHandler], teams: Teams, turn: Turn, data: dict[str, Any]
) -> dict[str, Any]:
    handler = table.get(str(data.get("dialog")))
    return await handler(teams, turn, data) if handler else close_with(UNAVAILABLE)
