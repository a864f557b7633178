"""Approval cards on Teams: `Action.Execute` buttons, answered with the card refreshed in place.

The click is decided on the server by the same core rules as on Slack (approvers from the
policy, authors cannot approve their own draft, quorum, blocking findings). A refusal is
answered to the clicking user alone (an invoke message response); an approval returns
the refreshed card, and the posted copy is edited in place as well. Reject asks for a
reason first: its button opens a dialog (`Action.Execute` itself cannot open one). A reminder
card's Snooze buttons are `Action.Execute` too, answered with what was done (`lifecycle.py`).
"""

from __future__ import annotations

from typing import Any

from bot.chat.cards import Card, CardAction
from bot.drafts.forms import parse_reason
from bot.errors import DomainError, Invalid
from handlers.teams import home_card, lifecycle, maintenance
from handlers.teams.cards import ADAPTIVE_CARD, OPENS_DIALOG
from handlers.teams.dialogs import REJECT_TITLE, button_numbers, close_with, continue_with, reject_form
from handlers.teams.lifecycle import later
from handlers.teams.text import to_plain
from handlers.teams.turns import Teams, Turn, reply, start

# every button Teams answers: those that open a dialog, and these answered in place
HANDLED = OPENS_DIALOG | {
    CardAction.APPROVE_DRAFT,
    CardAction.SNOOZE_REMINDERS,
    CardAction.REDACT_DRAFT,
    CardAction.REFRESH_HOME,
} | maintenance.HANDLED


def _draft_and_version(data: dict[str, Any]) -> tuple[int, int]:
    return button_numbers(data, "a draft")


async def reject(teams: Teams, turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    """The reject dialog's submission: the reason is checked as on Slack, errors stay in the dialog."""
    try:
        reason = parse_reason({"reason": data.get("reason") if isinstance(data.get("reason"), str) else ""})
    except Invalid as invalid:
        return continue_with(reject_form(data, invalid.fields), REJECT_TITLE)
    try:
        draft_id, version = _draft_and_version(data)
        await teams.core.messages.reject(draft_id, version, approver=turn.user, reason=reason)
    except DomainError as refusal:
        return close_with(to_plain(refusal.message))
    return close_with("Rejected; the author sees your reason in the incident's conversation.")


async def submitted_fallback(teams: Teams, turn: Turn, data: dict[str, Any]) -> None:
    """`Action.Submit` (the fallback) arrives as a message: the card is edited in place by the
    core; a refusal is said in the conversation (a message has no private answer)."""
    answer = await card_action(teams, turn, str(data.get("action") or ""), data)
    if answer["type"] != ADAPTIVE_CARD:
        await reply(teams, turn, answer["value"])


def message_response(text: str, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A private answer to the clicking user (plain text: mentions as names when known)."""
    value = to_plain(text, names)
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": value}


async def _approve(teams: Teams, turn: Turn, data: dict[str, Any]) -> Card:
    """Decided inside the invoke (Teams shows the answer on the clicker's card at once); the
    posted copy's edit for everyone and publishing run once Teams has its answer."""
    draft_id, version = _draft_and_version(data)
    messages = teams.core.messages
    state = await messages.approve(draft_id, version, approver=turn.user, settle_now=False)
    start(teams, later(lambda: messages.settle(draft_id), "settle_approval"), turn)
    return messages.approval_card(state)


async def card_action(teams: Teams, turn: Turn, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        if verb == CardAction.SNOOZE_REMINDERS.value:
            changed = await lifecycle.snooze_clicked(teams, turn, data)
            return message_response(to_plain(changed.note.summary))
        if verb == CardAction.REFRESH_HOME.value:
            return await home_card.refreshed_home(teams, turn)
        if verb == CardAction.REDACT_DRAFT.value:
            shown = await home_card.redact(teams, turn, data)
        elif verb == CardAction.APPROVE_DRAFT.value:
            shown = await _approve(teams, turn, data)
        elif verb in maintenance.HANDLED:
            shown = await maintenance.clicked(teams, turn, verb, data)
        else:
            return message_response("That button is not available on Teams yet.")
    except DomainError as refusal:
        names = await teams.gateway.names(Card(summary=refusal.message))
        return message_response(refusal.message, names)
    card = await teams.gateway.adaptive(shown)
    return {"statusCode": 200, "type": ADAPTIVE_CARD, "value": card}
