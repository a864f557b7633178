"""`/incident export [md|html]`: the communications plan, uploaded to the incident channel as a file."""

from __future__ import annotations

from typing import Any

from bot.chat.cards import mention
from bot.errors import Invalid
from bot.export.service import CHAT_FORMATS, FORMAT_NAMES
from handlers.slack.after_ack import Slack


async def export(slack: Slack, body: dict[str, Any], rest: str) -> None:
    fmt = CHAT_FORMATS.get(rest.strip().lower())
    if fmt is None:
        raise Invalid(
            {"format": f"`{rest.strip()}` is not an export format; use `/incident export md` or `html`."}
        )
    incident = await slack.core.incidents.by_channel(body["channel_id"])
    exporter = slack.core.export
    document = await exporter.render(incident.id, fmt, viewer=body["user_id"])
    ref = slack.core.cards.ref(incident)
    comment = (
        f"📄 {ref} communications plan ({FORMAT_NAMES[fmt]}), exported by {mention(body['user_id'])}. "
        "Internal document: do not share outside the company."
    )
    await slack.gateway.upload_file(
        incident.channel_id or body["channel_id"],
        exporter.filename(incident, fmt),
        document,
        title=f"{ref} communications plan",
        comment=comment,
    )
