"""Atom feed entries: one per approved update, newest change first, ids stable across corrections.

Entry ids are RFC 4151 tag URIs (`tag:<authority>,2026:status:incident-<n>:update-<m>`) whose
authority is configured, never the request's Host, so they do not change with the host name a
reader uses, nor across restarts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.chat.public_text import to_html
from bot.status_page.data import PublicIncident
from bot.status_page.maintenance import PublicMaintenance

FEED_ENTRIES = 100
DEFAULT_AUTHORITY = "incident-comms.local"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")


def tag_authority(configured: str, base_host: str) -> str:
    """`status_page.tag_authority`, else the host of `status_page.base_url` (no port), else a fixed name."""
    if configured:
        return configured
    return base_host.lower() if _DNS_NAME.match(base_host) else DEFAULT_AUTHORITY


def atom_entries(
    incidents: list[PublicIncident], maintenances: Sequence[PublicMaintenance] = ()
) -> list[dict[str, Any]]:
    """`key` names what the entry is about in its id (`incident-<n>`, `maintenance-<n>`); `anchor`
    its place on the page."""
    entries = [
        _entry(f"incident-{incident.id}", f"inc-{incident.id}", incident.title, update)
        for incident in incidents
        for update in incident.updates
    ]
    entries += [
        _entry(f"maintenance-{m.id}", m.key, f"Maintenance: {m.title}", update)
        for m in maintenances
        for update in m.updates
    ]
    entries.sort(key=lambda e: (e["message"].updated_at, int(e["message"].id)), reverse=True)
    return entries[:FEED_ENTRIES]


def _entry(key: str, anchor: str, title: str, update: Any) -> dict[str, Any]:
    return {
        "key": key,
        "anchor": anchor,
        "title": title,
        "message": update,
        "html": str(to_html(update.text)),
    }
