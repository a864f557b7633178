"""The public status page, its JSON API and Atom feed, rendered from approved messages only.

Every change the page could show writes an audit event with its incident's id, so the newest
audit event id versions the page's data. A request costs one indexed `max()` query; when the
version moved, only the incidents changed since are read again, and only their parts of the
page and of the JSON are rendered again (each incident's HTML and JSON are cached by its
signature). Nothing rendered depends on the request: links are relative unless
`status_page.base_url` is set, so any Host header is served from the same cache. ETags are
digests of the bytes (`rendered.py`), so readers get `304` until a public byte changes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import urlsplit

from markupsafe import Markup

from bot.chat.links import own_links
from bot.chat.public_text import to_html
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.policy.model import Policy
from bot.status_page.components import DAY_LABELS, STRIP_DAYS, PublicComponent, groups, public_components
from bot.status_page.data import (
    PublicIncident,
    changed_since,
    data_version,
    last_public_change,
    public_incidents,
)
from bot.status_page.feed import atom_entries, tag_authority
from bot.status_page.maintenance import (
    PublicMaintenance,
    public_maintenances,
    shaped,
    under_maintenance,
)
from bot.status_page.rendered import Rendered, Stamps
from bot.status_page.statuspage_json import FLOOR, INCIDENTS, MAINTENANCE_DOCUMENTS, StatuspageJson, iso
from storage.db import Database

STATUS_LABELS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "postmortem": "Post-incident review",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "completed": "Completed",
}
DEFAULT_ACCENT = "#0b57d0"
DOCUMENTS = (
    "status.json",
    "summary.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    *MAINTENANCE_DOCUMENTS,
)


class StatusPage:
    def __init__(self, db: Database, policy: Policy, clock: Clock, templates: Templates) -> None:
        self.db, self.policy, self.clock = db, policy, clock
        self.base = policy.status_page.base_url.rstrip("/")  # "" = relative links
        self.json = StatuspageJson(policy, self.base + policy.status_page.path)
        self.env = templates.markup_environment(
            public_html=to_html,
            iso=iso,
            status_label=lambda status: STATUS_LABELS.get(status, status.title()),
            impact_label=lambda incident: self.json.impact(incident).title(),
            day_label=lambda status: DAY_LABELS.get(status, status),
        )
        self._key: tuple[int, date] | None = None
        self._public = None  # the newest public change (shown or not)
        self._incidents: dict[int, PublicIncident] = {}
        self._parts: dict[tuple, str] = {}  # (kind, incident signature, components) -> rendered part
        self._rendered: dict[str, Rendered] = {}
        self._stamps = Stamps()
        self._strips: dict[tuple, str] = {}
        self._spans: dict[tuple, list] = {}  # incident signature -> its component spans
        self.maintenances: list[PublicMaintenance] = []  # listed scheduled maintenance, soonest first

    async def render(self, kind: str) -> Rendered | None:
        """`kind`: "page", "feed", a name in DOCUMENTS or "incidents/<id>.json" (None: no such incident)."""
        await self._refresh()
        if kind not in self._rendered:
            built = self._build(kind)
            if built is None:
                return None
            body, content_type = built
            public = self._shown_public()
            self._rendered[kind] = self._stamps.rendered(kind, body, content_type, public, self.clock.now())
        return self._rendered[kind]

    async def _refresh(self) -> None:
        now = self.clock.now()
        page = self.policy.status_page
        history = timedelta(days=max(page.history_days, STRIP_DAYS))
        async with self.db.read() as session:
            version, _ = await data_version(session)
            key = (version, now.date())
            if key == self._key:
                return
            full = self._key is None or self._key[1] != key[1]  # a new day moves the history window
            only = None if full else await changed_since(session, self._key[0])
            fresh = await public_incidents(session, now, history, page.public_segments, only=only)
            self._public = await last_public_change(session)
            self.maintenances = await public_maintenances(session, now, history)
        if full:
            self._incidents, self._parts = {}, {}
        for incident_id in only or ():
            self._incidents.pop(incident_id, None)
        self._incidents.update({i.id: i for i in fresh})
        self._key, self._rendered = key, {}
        current = {i.signature for i in self._incidents.values()}
        self._spans = {k: v for k, v in self._spans.items() if k in current}
        components = public_components(page.components, self.incidents, now.date(), self._spans)
        self.json.components = under_maintenance(components, self.maintenances)
        self._forget_stale_parts()
        if len(self._strips) > 4 * len(page.components):
            self._strips = {}

    def _forget_stale_parts(self) -> None:
        current = {i.signature for i in self._incidents.values()}
        self._parts = {k: v for k, v in self._parts.items() if k[1] in current}

    @property
    def incidents(self) -> list[PublicIncident]:
        """Newest first (by their newest update); the strip's 90 days may reach past the listed history."""
        return sorted(self._incidents.values(), key=lambda i: (i.updates[0].published_at, i.id), reverse=True)

    @property
    def listed(self) -> list[PublicIncident]:
        """Live ones and those resolved within `status_page.history_days`."""
        since = self.clock.now() - timedelta(days=self.policy.status_page.history_days)
        return [i for i in self.incidents if i.live or (i.resolved_at and i.resolved_at >= since)]

    def _component(self, component: PublicComponent) -> Markup:
        """Each component's entry (its 90-cell strip) is rendered again only when its days change."""
        key = (component.id, component.status, tuple(s for _, s in component.days), component.days[0][0])
        if key not in self._strips:
            template = self.env.get_template("status/_component.html.j2")
            self._strips[key] = template.render(c=component, strip_days=STRIP_DAYS)
        return Markup(self._strips[key])

    def _shown_public(self):
        shown = [i.updated_at for i in self.listed]
        return max(shown, default=self._public)

    def _part(self, kind: str, incident: PublicIncident, make) -> str:
        state = tuple((c.id, c.status, c.updated_at) for c in self.json.components)
        key = (kind, incident.signature, state if kind == "json" else ())
        if key not in self._parts:
            self._parts[key] = make(incident)
        return self._parts[key]

    def _build(self, kind: str) -> tuple[bytes, str] | None:
        if kind == "page":
            return self._page().encode(), "text/html; charset=utf-8"
        if kind == "feed" or kind.startswith("feed:"):  # "feed:<component id>": one component's (issue 24)
            feed = self._feed(kind.removeprefix("feed").removeprefix(":"))
            return None if feed is None else (feed.encode(), "application/atom+xml; charset=utf-8")
        if kind in DOCUMENTS:
            return self._document(kind).encode(), "application/json"
        return self._one(kind)

    def _shaped(self, incident: PublicIncident) -> str:
        compact = (",", ":")
        return self._part("json", incident, lambda i: json.dumps(self.json.incident(i), separators=compact))

    def _document(self, kind: str) -> str:
        """JSON assembled from each incident's cached serialisation (each one valid JSON itself)."""
        incidents = self.listed
        live = [i for i in incidents if i.live]
        chosen = {"incidents.json": incidents[:50]}.get(kind, live)
        skeleton = self.json.skeleton(kind, live, self._shown_public())
        if "scheduled_maintenances" in skeleton:
            skeleton["scheduled_maintenances"] = self._maintenance_documents(kind)
        listed = "[" + ",".join(self._shaped(i) for i in chosen) + "]"
        return json.dumps(skeleton, separators=(",", ":")).replace(json.dumps(INCIDENTS), listed)

    def _maintenance_documents(self, kind: str) -> list[dict]:
        """upcoming: scheduled; active: in progress; summary: both; the full list: newest first."""
        wanted = {
            "scheduled-maintenances/upcoming.json": ("scheduled",),
            "scheduled-maintenances/active.json": ("in_progress",),
            "summary.json": ("scheduled", "in_progress"),
        }.get(kind)
        chosen = [m for m in self.maintenances if wanted is None or m.status in wanted]
        if wanted is None:
            chosen = sorted(chosen, key=lambda m: (m.scheduled_for, m.id), reverse=True)[:50]
        return [shaped(self.json, m) for m in chosen]

    def _one(self, kind: str) -> tuple[bytes, str] | None:
        """`incidents/inc-<n>.json` (or `<n>.json`): one listed incident, as Statuspage answers it."""
        name = kind.removeprefix("incidents/").removesuffix(".json").removeprefix("inc-")
        incident = self._incidents.get(int(name)) if name.isdigit() and len(name) < 12 else None
        if incident is None or incident.id not in {i.id for i in self.listed}:
            return None
        page = json.dumps(self.json.page(self._shown_public()), separators=(",", ":"))
        return f'{{"page":{page},"incident":{self._shaped(incident)}}}'.encode(), "application/json"

    def _context(self) -> dict:
        page = self.policy.status_page
        updated = self._shown_public()
        return {
            "name": page.name,
            "page_url": self.base + page.path,
            "feed_url": self.base + page.path.rstrip("/") + "/feed.atom",
            "json_url": self.base + "/api/v2/summary.json",
            "subscribe_url": self.base + page.path.rstrip("/") + "/subscribe"
            if self.policy.subscriptions.enabled
            else "",  # issue 24
            "updated_iso": iso(updated),
            "updated_text": updated.strftime("%Y-%m-%d %H:%M UTC") if updated else "",
        }

    def _page(self) -> str:
        page = self.policy.status_page
        article = self.env.get_template("status/_incident.html.j2")

        def html(incident: PublicIncident) -> str:
            return article.render(incident=incident)

        incidents = self.listed
        live = [i for i in incidents if i.live]
        return self.env.get_template("status/page.html.j2").render(
            **self._context(),
            status=self.json.indicator(live),
            component_groups=[(g, [self._component(c) for c in m]) for g, m in groups(self.json.components)],
            live=[Markup(self._part("html", i, html)) for i in live],
            maintenance=[m for m in self.maintenances if m.status != "completed"],
            history=[Markup(self._part("html", i, html)) for i in incidents if not i.live],
            history_days=page.history_days,
            logo_url=page.logo_url,
            accent=readable_accent(page.accent_colour),
            support_route=to_html(own_links(self.policy.messages.support_route)),
        )

    def _feed(self, component: str = "") -> str | None:
        page = self.policy.status_page
        authority = tag_authority(page.tag_authority, urlsplit(self.base).hostname or "")
        context = {**self._context(), "updated_iso": iso(self._shown_public() or FLOOR)}
        incidents, maintenances, feed_id = self.listed, self.maintenances, f"tag:{authority},2026:status"
        if component:  # only what announced this component; None for one the policy does not list
            if component not in page.components:
                return None
            incidents = [i for i in incidents if any(component in (u.components or {}) for u in i.updates)]
            maintenances = [m for m in maintenances if component in m.components]
            feed_id += f":component-{component}"
            context["name"] = f"{page.name}: {page.components[component].name}"
            context["feed_url"] = f"{self.base}{page.path.rstrip('/')}/components/{component}/feed.atom"
        return self.env.get_template("status/feed.atom.j2").render(
            **context, feed_id=feed_id, entries=atom_entries(incidents, maintenances)
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
