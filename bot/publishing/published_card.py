"""Cards the publisher posts: the published message itself, and a delivery failure report."""

from __future__ import annotations

from datetime import datetime

from bot.chat.cards import Card, channel_link
from storage.models import Draft, DraftVersion, Incident

STAGE_NAMES = {
    "initial": "Initial notice",
    "update": "Update",
    "resolved": "Resolved",
    "post_incident": "Post-incident summary",
}
SUMMARY_LIMIT = 150
GONE_COPY = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def published_card(
    reference: str,
    incident: Incident,
    draft: Draft,
    version: DraftVersion,
    *,
    corrected_at: datetime | None,
    published_at: datetime | None = None,
) -> Card:
    """The approved text as the audience sees it; no buttons (it may go to Slack Connect channels).

    `published_at` (default: when the version was written) is the time in the context line;
    a correction keeps the original time and adds when it was corrected.
    """
    stage = STAGE_NAMES.get(draft.stage, draft.stage.replace("_", " ").capitalize())
    when = published_at or version.created_at
    context = f"{reference} · {stage} · {when:%Y-%m-%d %H:%M} UTC"
    if corrected_at is not None:
        context += f" · ✏️ Corrected {corrected_at:%H:%M} UTC"
    return Card(summary=_summary(reference, stage, version.text), body=version.text, context=context)


def delivery_failed_card(
    reference: str, target: str, code: str, fix: str, *, attempts: int, correction: bool = False
) -> Card:
    """For the incident channel: which target did not get the message, why, and what to do."""
    tries = "attempt" if attempts == 1 else "attempts"
    what = (
        "the correction could not be applied to the copy in"
        if correction
        else "a message could not be delivered to"
    )
    summary = f"⚠️ {reference}: {what} {channel_link(target)}"
    if correction and code in GONE_COPY:
        fix = "The copy is gone (deleted?) or can no longer be edited; post the corrected text there by hand."
    body = (
        f"{summary} (`{code}` after {attempts} {tries}).\n"
        f"{fix or 'Check the channel and the bot’s access to it.'}\n"
        "The other targets are not affected."
    )
    return Card(summary=summary, body=body)


def _summary(reference: str, stage: str, text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    summary = f"{reference} · {stage}: {first}" if first else f"{reference} · {stage}"
    return summary if len(summary) <= SUMMARY_LIMIT else summary[: SUMMARY_LIMIT - 1] + "…"
