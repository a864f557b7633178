"""The comms SLO report over a period: per severity, the worst offenders, and updates per day.

Private incidents are counted in every figure but named (reference and title) only when the
report is made for an admin who asked for them (`incident-comms report --include-private`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from bot.enums import Visibility
from bot.policy.model import Policy
from bot.slo.load import measure_incidents
from bot.slo.measures import CommsSlo, percentile
from storage.db import Database
from storage.maintenance_models import MaintenanceWindow
from storage.models import Incident

WORST = 10
PRIVATE = "a private incident"


@dataclass(frozen=True)
class Figures:
    """One row of the report: the measures over a set of incidents."""

    label: str  # a severity, or "All"
    incidents: int
    first_update_p50: timedelta | None
    first_update_met: int  # incidents whose first update met the target
    first_update_judged: int  # incidents with a target and a verdict
    updates: int
    on_time: int
    lateness_p50: timedelta | None  # of late updates
    lateness_max: timedelta | None
    approval_p50: timedelta | None
    approval_p95: timedelta | None
    rejections: int
    to_notice_p50: timedelta | None
    to_review_p50: timedelta | None


@dataclass(frozen=True)
class IncidentLine:
    ref: str  # PRIVATE when not named
    title: str  # "" when not named
    private: bool
    slo: CommsSlo

    @property
    def badness(self) -> timedelta:
        """How far customers were let down: lateness plus a first update past its target."""
        slo = self.slo
        first = timedelta()
        if slo.first_update_target is not None and slo.first_update is not None:
            first = max(timedelta(), slo.first_update - slo.first_update_target)
        return (
            first
            + (slo.first_update_overdue or timedelta())
            + sum((u.lateness for u in slo.updates), timedelta())
        )


@dataclass(frozen=True)
class Day:
    day: date
    due: int  # promised updates that came due that day
    on_time: int
    late: int


@dataclass(frozen=True)
class Report:
    since: datetime
    until: datetime
    figures: tuple[Figures, ...]  # each severity in policy order, then "All"
    worst: tuple[IncidentLine, ...]
    incidents: tuple[IncidentLine, ...]
    days: tuple[Day, ...]
    private_counted: int
    private_named: bool


def figures(label: str, slos: Sequence[CommsSlo]) -> Figures:
    updates = [u for s in slos for u in s.updates]
    late = [u.lateness for u in updates if not u.on_time]
    approvals = [a for s in slos for a in s.approval_latencies]
    judged = [s.first_update_met for s in slos if s.first_update_met is not None]
    return Figures(
        label=label,
        incidents=len(slos),
        first_update_p50=percentile([s.first_update for s in slos if s.first_update is not None], 0.5),
        first_update_met=sum(1 for met in judged if met),
        first_update_judged=len(judged),
        updates=len(updates),
        on_time=len(updates) - len(late),
        lateness_p50=percentile(late, 0.5),
        lateness_max=max(late, default=None),
        approval_p50=percentile(approvals, 0.5),
        approval_p95=percentile(approvals, 0.95),
        rejections=sum(s.rejections for s in slos),
        to_notice_p50=percentile(
            [s.to_resolution_notice for s in slos if s.to_resolution_notice is not None], 0.5
        ),
        to_review_p50=percentile([s.to_review for s in slos if s.to_review is not None], 0.5),
    )


def days(slos: Sequence[CommsSlo], since: datetime, until: datetime) -> list[Day]:
    """Promised updates by the day they came due (UTC), every day of the period listed."""
    due: Counter[date] = Counter()
    late: Counter[date] = Counter()
    for update in (u for s in slos for u in s.updates):
        due[update.promised_at.date()] += 1
        late[update.promised_at.date()] += 0 if update.on_time else 1
    first, last = since.date(), until.date()
    span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [Day(d, due[d], due[d] - late[d], late[d]) for d in span]


async def build_report(
    db: Database, policy: Policy, ref, *, since: datetime, until: datetime, include_private: bool
) -> Report:
    """Every incident declared in [since, until], measured at `until`."""
    statement = (
        select(Incident)
        .where(col(Incident.declared_at) >= since, col(Incident.declared_at) <= until)
        .where(col(Incident.id).not_in(select(MaintenanceWindow.incident_id)))  # planned work: no incident
        .order_by(col(Incident.declared_at), col(Incident.id))
    )
    async with db.read() as session:
        incidents = list((await session.exec(statement)).all())
        slos = await measure_incidents(session, incidents, policy, until)
    lines = [_line(i, slos[i.id or 0], ref, include_private) for i in incidents]
    measured = [line.slo for line in lines]
    by_severity = [
        figures(name, [s for s in measured if s.severity == name]) for name in policy.severity_names
    ]
    worst = sorted((line for line in lines if line.badness > timedelta()), key=lambda line: -line.badness)
    return Report(
        since=since,
        until=until,
        figures=(*by_severity, figures("All", measured)),
        worst=tuple(worst[:WORST]),
        incidents=tuple(lines),
        days=tuple(days(measured, since, until)),
        private_counted=sum(1 for line in lines if line.private),
        private_named=include_private,
    )


def _line(incident: Incident, slo: CommsSlo, ref, include_private: bool) -> IncidentLine:
    private = incident.visibility == Visibility.PRIVATE
    if private and not include_private:
        return IncidentLine(PRIVATE, "", True, slo)
    return IncidentLine(ref(incident), incident.title, private, slo)
