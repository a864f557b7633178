"""Platform-neutral messages. The core builds these; each adapter renders them.

Text is neutral Markdown (`**bold**`, `_italic_`, `- ` lists) in which user text appears
verbatim: the adapter escapes it for its platform. Deliberate mentions are written with
`mention(user_id)` and the bot's own links with `links.link(url, label)`, markers no user can
type (input is stripped of them); a `[text](url)` anyone typed is never a live link (`links`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.chat.links import LINK_CLOSE, LINK_MIDDLE, LINK_OPEN
from bot.enums import Platform

MENTION_OPEN, MENTION_CLOSE = "\ue000", "\ue001"
# our markers, and the invisible characters that make typed text read other than it is: bidi
# overrides and isolates (U+202A-202E, U+2066-2069), marks (U+200E/F), zero-width space, word
# joiner and BOM. ZWNJ/ZWJ (U+200C/D) stay: scripts and emoji sequences need them.
_MARKERS = re.compile(
    f"[{MENTION_OPEN}{MENTION_CLOSE}{LINK_OPEN}{LINK_MIDDLE}{LINK_CLOSE}"
    "\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
MENTION_PATTERN = re.compile(f"{MENTION_OPEN}(#?)([A-Za-z0-9._:@-]+){MENTION_CLOSE}")


def mention(user_id: str) -> str:
    return f"{MENTION_OPEN}{user_id}{MENTION_CLOSE}"


def channel_link(channel_id: str) -> str:
    """A link to a channel, rendered by each platform in its own way."""
    return f"{MENTION_OPEN}#{channel_id}{MENTION_CLOSE}"


def command_for(platform: str) -> str:
    """How users of the incident's platform start a subcommand: `/incident` on Slack, `incident`
    (after @mentioning the bot, or alone in a personal chat) on Teams."""
    return "incident" if platform == Platform.TEAMS else "/incident"


def strip_markers(text: str) -> str:
    """Remove markers from user input so typed text can never mention anyone or add a live link,
    and invisible characters so it reads as what it is (a URL cannot hide its real host)."""
    return _MARKERS.sub("", text)


class CardAction(StrEnum):
    """Buttons the core puts on cards; adapters use these as their action ids."""

    EDIT_INCIDENT = "incident_edit"
    SHOW_STATUS = "incident_status"
    DRAFT_UPDATE = "draft_update"  # value: incident id
    APPROVE_DRAFT = "draft_approve"  # value: "<draft id>:<version>"
    EDIT_DRAFT = "draft_edit"
    REJECT_DRAFT = "draft_reject"
    REDACT_DRAFT = "draft_redact"
    CORRECT_MESSAGE = "message_correct"  # value: draft id
    RESOLVE_INCIDENT = "incident_resolve"  # value: incident id
    COMPLETE_FOLLOW_UP = "follow_up_complete"  # value: follow-up id
    CHANGE_FOLLOW_UP = "follow_up_change"  # value: follow-up id (owner and due date)
    OPEN_CHANNEL = "open_channel"  # a link button; Slack still reports the click, which we only ack
    SNOOZE_REMINDERS = "reminders_snooze"  # value: "<incident id>:<seconds>"; one variant per length
    REFRESH_HOME = "home_refresh"  # the dashboard card shown again for whoever looks (Teams)
    HAND_OVER = "incident_handover"  # value: incident id
    APPROVE_MAINTENANCE = "maintenance_approve"  # value: "<maintenance id>:<version>"
    CANCEL_MAINTENANCE = "maintenance_cancel"  # value: maintenance id
    COMPLETE_MAINTENANCE = "maintenance_complete"  # value: maintenance id


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    action: CardAction
    label: str
    value: str
    style: ButtonStyle = ButtonStyle.DEFAULT
    variant: str = ""  # tells apart several buttons of one action on a card (e.g. snooze 15m / 1h)
    url: str = ""  # a link button (opens the URL; the action is still reported)


@dataclass(frozen=True)
class CardField:
    label: str
    value: str  # neutral Markdown


@dataclass(frozen=True)
class CardItem:
    """One item of a list inside a card, with its own buttons (e.g. a follow-up)."""

    text: str  # neutral Markdown
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Card:
    summary: str  # one line for notifications and fallbacks (neutral Markdown)
    title: str | None = None  # plain text heading
    body: str = ""  # neutral Markdown
    fields: tuple[CardField, ...] = ()
    items: tuple[CardItem, ...] = ()
    buttons: tuple[Button, ...] = ()
    context: str = ""  # small print under the card (neutral Markdown)
    extra: dict[str, str] = field(default_factory=dict)  # adapter hints, e.g. metadata
