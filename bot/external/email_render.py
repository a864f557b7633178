"""E-mails from approved messages: plain text and HTML from `message_templates/email/`.

One e-mail per recipient, each with its own Message-ID (stable across resends, see
`external_enqueue.message_id`) and List-Unsubscribe. The HTML part is rendered with
autoescape: user text is escaped first, and only our small Markdown subset (`**bold**`,
`_italic_`, `- ` lists, paragraphs) becomes markup afterwards, so no typed tag survives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from jinja2 import Environment, StrictUndefined

from bot.chat.cards import strip_markers
from bot.chat.public_text import to_html, to_plain
from bot.chat.templating import Templates
from bot.external.context import EventContext
from bot.external.enqueue import CORRECTED
from bot.policy.external import EmailPolicy
from storage.channel_models import ExternalDelivery

SUBJECT_LABELS = {
    "initial": "Incident",
    "update": "Update",
    "resolved": "Resolved",
    "post_incident": "Incident review",
}


class EmailRenderer:
    def __init__(
        self, templates: Templates, policy: EmailPolicy, links: Callable[[str], str | None] | None = None
    ) -> None:
        self.policy = policy
        self.links = links  # a subscriber's own signed unsubscribe URL (bot/subscriptions/recipients.py)
        self.env = Environment(
            loader=templates.env.loader,
            undefined=StrictUndefined,
            autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(templates.env.filters)

    def render(
        self, row: ExternalDelivery, context: EventContext, now: datetime, *, text: str | None = None
    ) -> EmailMessage:
        """The e-mail of a message or correction for `row.recipient`; `text`: the message with
        people named (internal messages), else the version's text as published."""
        assert context.draft is not None and context.version is not None
        correction = row.event == CORRECTED
        label = "Correction" if correction else SUBJECT_LABELS.get(context.draft.stage, "Update")
        own = self.links(row.recipient) if self.links is not None else None
        unsubscribe = (
            [own]
            if own
            else [uri.replace("{address}", quote(row.recipient)) for uri in self.policy.unsubscribe_uris()]
        )
        values = {
            "subject": _one_line(f"{self.policy.subject_prefix} {label}: {context.headline}"),
            "headline": context.headline,
            "label": label,
            "ref": context.reference,
            "correction": correction,
            "first_sent_at": context.first_sent_at,
            "text": to_plain(context.version.text if text is None else text),
            "body_html": to_html(context.version.text if text is None else text),
            "unsubscribe": unsubscribe[0],
        }
        message = EmailMessage()
        message["Subject"] = values["subject"]
        message["From"] = self.policy.from_address
        message["To"] = row.recipient
        if self.policy.reply_to:
            message["Reply-To"] = self.policy.reply_to
        message["Date"] = format_datetime(now)
        message["Message-ID"] = row.message_id or ""
        if correction and context.first_message_id:
            message["In-Reply-To"] = context.first_message_id
            message["References"] = context.first_message_id
        message["List-Unsubscribe"] = ", ".join(f"<{uri}>" for uri in unsubscribe)
        if any(uri.startswith("https://") for uri in unsubscribe):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
        message.set_content(self.env.get_template("email/message.txt.j2").render(**values).strip() + "\n")
        message.add_alternative(
            self.env.get_template("email/message.html.j2").render(**values), subtype="html"
        )
        return message


def _one_line(text: str) -> str:
    return " ".join(strip_markers(text).split())
