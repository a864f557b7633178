"""The public status page, its JSON API and Atom feed, rendered from approved messages only.

Every change the page could show writes an audit event with its incident's id, so the newest
audit event id versions the page. A request costs one indexed `max()` query; when the
version moved, only the incidents changed since are read again, and only their parts of the
page and of the JSON are rendered again (each incident's HTML and JSON are cached by its
signature). Readers who already have this version get `304`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from markupsafe import Markup

from bot.chat.links import own_links
from bot.chat.public_text import to_html
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.policy.model import Policy
from bot.status_page.data import PublicIncident, changed_since, data_version, public_incidents
from bot.status_page.feed import atom_entries
from bot.status_page.statuspage_json import INCIDENTS, StatuspageJson, iso
from storage.db import Database

STATUS_LABELS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "postmortem": "Post-incident review",
}
DEFAULT_ACCENT = "#0b57d0"


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    etag: str
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
        self._key: tuple[int, date, str] | None = None
        self._last_modified: datetime | None = None
        self._incidents: dict[int, PublicIncident] = {}
        self._parts: dict[tuple[str, tuple], str] = {}  # (kind, incident signature) -> rendered part
        self._rendered: dict[str, Rendered] = {}

    async def render(self, kind: str, base_url: str) -> Rendered:
        """`kind`: "page", "feed" or an API document name such as "summary.json"."""
        await self._refresh(base_url)
        if kind not in self._rendered:
            body, content_type = self._build(kind, base_url)
            assert self._key is not None
            etag = f'"{self._key[0]}-{self._key[1].isoformat()}-{kind}"'
            self._rendered[kind] = Rendered(body, content_type, etag, self._last_modified)
        return self._rendered[kind]

    async def _refresh(self, base_url: str) -> None:
        now = self.clock.now()
        page = self.policy.status_page
        async with self.db.read() as session:
            version, last_modified = await data_version(session)
            key = (version, now.date(), base_url)
            if key == self._key:
                return
            full = self._key is None or self._key[1:] != key[1:]  # a new day moves the history window
            only = None if full else await changed_since(session, self._key[0])
            fresh = await public_incidents(
                session, now, timedelta(days=page.history_days), page.public_segments, only=only
            )
        if full:
            self._incidents, self._parts = {}, {}
        for incident_id in only or ():
            self._incidents.pop(incident_id, None)
        self._incidents.update({i.id: i for i in fresh})
        self._key, self._last_modified, self._rendered = key, last_modified, {}
        self._forget_stale_parts()

    def _forget_stale_parts(self) -> None:
        current = {i.signature for i in self._incidents.values()}
        self._parts = {k: v for k, v in self._parts.items() if k[1] in current}

    @property
    def incidents(self) -> list[PublicIncident]:
        """Newest first (by their newest update)."""
        return sorted(self._incidents.values(), key=lambda i: (i.updates[0].published_at, i.id), reverse=True)

    def _part(self, kind: str, incident: PublicIncident, make) -> str:
        key = (kind, incident.signature)
        if key not in self._parts:
            self._parts[key] = make(incident)
        return self._parts[key]

    def _build(self, kind: str, base_url: str) -> tuple[bytes, str]:
        self.json.page_url = base_url + self.policy.status_page.path
        if kind == "page":
            return self._page(base_url).encode(), "text/html; charset=utf-8"
        if kind == "feed":
            return self._feed(base_url).encode(), "application/atom+xml; charset=utf-8"
        return self._document(kind).encode(), "application/json"

    def _document(self, kind: str) -> str:
        """JSON assembled from each incident's cached serialisation (each one valid JSON itself)."""
        incidents = self.incidents
        shaped = {
            i.id: self._part(
                "json", i, lambda inc: json.dumps(self.json.incident(inc), separators=(",", ":"))
            )
            for i in incidents
        }
        live = [i for i in incidents if i.live]
        chosen = {"incidents.json": incidents[:50]}.get(kind, live)
        skeleton = self.json.skeleton(kind, live, self._last_modified)
        listed = "[" + ",".join(shaped[i.id] for i in chosen) + "]"
        return json.dumps(skeleton, separators=(",", ":")).replace(json.dumps(INCIDENTS), listed)

    def _context(self, base_url: str) -> dict:
        page = self.policy.status_page
        updated = self._last_modified or self.clock.now()
        return {
            "name": page.name,
            "page_url": base_url + page.path,
            "feed_url": base_url + page.path.rstrip("/") + "/feed.atom",
            "json_url": base_url + "/api/v2/summary.json",
            "updated_iso": iso(updated),
            "updated_text": updated.strftime("%Y-%m-%d %H:%M UTC"),
        }

    def _page(self, base_url: str) -> str:
        page = self.policy.status_page
        article = self.env.get_template("status/_incident.html.j2")

        def html(incident: PublicIncident) -> str:
            return article.render(incident=incident)

        incidents = self.incidents
        live = [i for i in incidents if i.live]
        return self.env.get_template("status/page.html.j2").render(
            **self._context(base_url),
            status=self.json.indicator(live),
            live=[Markup(self._part("html", i, html)) for i in live],
            history=[Markup(self._part("html", i, html)) for i in incidents if not i.live],
            history_days=page.history_days,
            logo_url=page.logo_url,
            accent=readable_accent(page.accent_colour),
            support_route=to_html(own_links(self.policy.messages.support_route)),
        )

    def _feed(self, base_url: str) -> str:
        host = (self.policy.status_page.base_url or base_url).split("//")[-1].split("/")[
            0
        ] or "incident-comms"
        return self.env.get_template("status/feed.atom.j2").render(
            **self._context(base_url), feed_id=f"tag:{host},2026:status", entries=atom_entries(self.incidents)
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
