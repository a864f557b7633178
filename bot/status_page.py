"""The public status page, its JSON API and Atom feed, rendered from approved messages only.

Rendering is cached per data version: every change the page could show writes an audit
event, so the newest audit event id (plus the day, for the history window) names the page's
content. Repeat requests cost one indexed `max()` query, and answer `304` when the reader
already has this version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.policy import Policy
from bot.public_text import to_html
from bot.status_data import PublicIncident, data_version, public_incidents
from bot.statuspage_json import StatuspageJson, iso
from bot.templating import Templates
from storage.db import Database

STATUS_LABELS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "postmortem": "Post-incident review",
}
FEED_ENTRIES = 100
DEFAULT_ACCENT = "#0b57d0"


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    etag: str
    last_modified: datetime | None


@dataclass(frozen=True)
class Snapshot:
    key: tuple[int, date, str]
    incidents: list[PublicIncident]
    last_modified: datetime | None


class StatusPage:
    def __init__(self, db: Database, policy: Policy, clock: Clock, templates: Templates) -> None:
        self.db, self.policy, self.clock = db, policy, clock
        self.json = StatuspageJson(policy, "")
        self.env = templates.markup_environment(
            public_html=to_html,
            iso=iso,
            status_label=lambda status: STATUS_LABELS.get(status, status.title()),
            impact_label=lambda incident: self.json.impact(incident).title(),
        )
        self._snapshot: Snapshot | None = None
        self._rendered: dict[str, Rendered] = {}
        self._documents: dict[str, dict] | None = None

    async def render(self, kind: str, base_url: str) -> Rendered:
        """`kind`: "page", "feed" or an API document name such as "summary.json"."""
        snapshot = await self._current(base_url)
        if kind not in self._rendered:
            body, content_type = self._build(kind, snapshot, base_url)
            etag = f'"{snapshot.key[0]}-{snapshot.key[1].isoformat()}-{kind}"'
            self._rendered[kind] = Rendered(body, content_type, etag, snapshot.last_modified)
        return self._rendered[kind]

    async def _current(self, base_url: str) -> Snapshot:
        now = self.clock.now()
        async with self.db.read() as session:
            version, last_modified = await data_version(session)
            key = (version, now.date(), base_url)
            if self._snapshot is None or self._snapshot.key != key:
                history = timedelta(days=self.policy.status_page.history_days)
                segments = self.policy.status_page.public_segments
                incidents = await public_incidents(session, now, history, segments)
                self._snapshot, self._rendered = Snapshot(key, incidents, last_modified), {}
                self._documents = None
        return self._snapshot

    def _build(self, kind: str, snapshot: Snapshot, base_url: str) -> tuple[bytes, str]:
        self.json.page_url = base_url + self.policy.status_page.path
        if kind == "page":
            return self._page(snapshot, base_url).encode(), "text/html; charset=utf-8"
        if kind == "feed":
            return self._feed(snapshot, base_url).encode(), "application/atom+xml; charset=utf-8"
        if self._documents is None:  # all four API documents share their incident objects
            self._documents = self.json.documents(snapshot.incidents, snapshot.last_modified)
        return json.dumps(self._documents[kind], separators=(",", ":")).encode(), "application/json"

    def _context(self, snapshot: Snapshot, base_url: str) -> dict:
        page = self.policy.status_page
        updated = snapshot.last_modified or self.clock.now()
        return {
            "name": page.name,
            "page_url": base_url + page.path,
            "feed_url": base_url + page.path.rstrip("/") + "/feed.atom",
            "json_url": base_url + "/api/v2/summary.json",
            "updated_iso": iso(updated),
            "updated_text": updated.strftime("%Y-%m-%d %H:%M UTC"),
        }

    def _page(self, snapshot: Snapshot, base_url: str) -> str:
        page = self.policy.status_page
        live = [i for i in snapshot.incidents if i.live]
        return self.env.get_template("status/page.html.j2").render(
            **self._context(snapshot, base_url),
            status=self.json.indicator(live),
            live=live,
            history=[i for i in snapshot.incidents if not i.live],
            history_days=page.history_days,
            logo_url=page.logo_url,
            accent=readable_accent(page.accent_colour),
            support_route=self.policy.messages.support_route,
        )

    def _feed(self, snapshot: Snapshot, base_url: str) -> str:
        entries = [
            {"incident": incident, "message": update, "html": str(to_html(update.text))}
            for incident in snapshot.incidents
            for update in incident.updates
        ]
        entries.sort(key=lambda e: e["message"].updated_at, reverse=True)
        host = (self.policy.status_page.base_url or base_url).split("//")[-1].split("/")[
            0
        ] or "incident-comms"
        return self.env.get_template("status/feed.atom.j2").render(
            **self._context(snapshot, base_url),
            feed_id=f"tag:{host},2026:status",
            entries=entries[:FEED_ENTRIES],
        )


def readable_accent(colour: str) -> str:
    """The policy's accent, unless links in it would be too faint on white (WCAG AA, 4.5:1)."""
    return colour if contrast_with_white(colour) >= 4.5 else DEFAULT_ACCENT


def contrast_with_white(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)
