"""Public component statuses and their 90-day history, from approved customer messages only.

A component's status is what the newest approved broad-customer message of a live public
incident announced for it (the worst across incidents); the approved resolution notice
returns it to operational. `PublicIncident`s carry only such messages (`data.py`), so a
private incident or a named account's message can never move a public component.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.enums import Stage
from bot.policy.status_components import COMPONENT_STATUSES, ComponentPolicy, ordered, worst
from bot.status_page.data import PublicIncident

STRIP_DAYS = 90
DAY_LABELS = {
    "operational": "No incidents",
    "under_maintenance": "Under maintenance",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}


@dataclass(frozen=True)
class Span:
    component: str
    status: str
    start: datetime
    end: datetime | None  # None: still in effect


@dataclass(frozen=True)
class PublicComponent:
    id: str
    policy: ComponentPolicy
    status: str
    updated_at: datetime | None  # the newest approved message that changed it
    days: list[tuple[date, str]]  # oldest first, one per day of the strip

    @property
    def shown(self) -> bool:
        return not self.policy.only_show_if_degraded or self.status != "operational"

    @property
    def degraded_days(self) -> int:
        return sum(1 for _, status in self.days if status != "operational")


def spans(incident: PublicIncident, known: set[str]) -> list[Span]:
    """Each status an incident's approved messages gave a component, from when to when."""
    found: list[Span] = []
    state: dict[str, tuple[str, datetime]] = {}
    for update in sorted(incident.updates, key=lambda u: (u.published_at, int(u.id))):
        closing = update.stage in (Stage.RESOLVED, Stage.POST_INCIDENT)
        said = {} if closing else update.components
        if said is None:
            continue  # an older message that named no components keeps what was said before
        said = {k: v for k, v in said.items() if k in known and v in COMPONENT_STATUSES}
        for component, (status, since) in list(state.items()):
            if said.get(component) != status:
                found.append(Span(component, status, since, update.published_at))
                del state[component]
        for component, status in said.items():
            if component not in state and status != "operational":
                state[component] = (status, update.published_at)
    found.extend(Span(c, status, since, None) for c, (status, since) in state.items())
    return found


def public_components(
    policies: dict[str, ComponentPolicy],
    incidents: list[PublicIncident],
    today: date,
    memo: dict | None = None,
) -> list[PublicComponent]:
    """`memo`: spans by incident signature, kept by the caller across refreshes."""
    known = set(policies)
    by_component: dict[str, list[Span]] = {c: [] for c in known}
    memo = {} if memo is None else memo
    for incident in incidents:
        if incident.signature not in memo:
            memo[incident.signature] = spans(incident, known)
        for span in memo[incident.signature]:
            by_component[span.component].append(span)
    first = today - timedelta(days=STRIP_DAYS - 1)
    days = [first + timedelta(days=n) for n in range(STRIP_DAYS)]
    found = []
    for component_id, policy in ordered(policies):
        mine = by_component[component_id]
        live = [s.status for s in mine if s.end is None]
        moments = [m for s in mine for m in (s.start, s.end) if m is not None]
        found.append(
            PublicComponent(
                id=component_id,
                policy=policy,
                status=worst(live),
                updated_at=max(moments, default=None),
                days=list(zip(days, _worst_per_day(mine, first, today), strict=True)),
            )
        )
    return found


def _worst_per_day(mine: list[Span], first: date, today: date) -> list[str]:
    """The worst status of each day from `first` to `today`: a span counts on every day it overlaps
    (one ending at midnight does not count on the day it ends)."""
    rank = [0] * STRIP_DAYS
    for span in mine:
        start = (span.start.date() - first).days
        end = today if span.end is None else (span.end - timedelta(microseconds=1)).date()
        level = COMPONENT_STATUSES.index(span.status)
        for day in range(max(start, 0), min((end - first).days, STRIP_DAYS - 1) + 1):
            rank[day] = max(rank[day], level)
    return [COMPONENT_STATUSES[r] for r in rank]


def groups(components: list[PublicComponent]) -> list[tuple[str, list[PublicComponent]]]:
    """Shown components under their group names ("" = no group), in the order of their first member."""
    listed: dict[str, list[PublicComponent]] = {}
    for component in components:
        if component.shown:
            listed.setdefault(component.policy.group, []).append(component)
    return list(listed.items())
