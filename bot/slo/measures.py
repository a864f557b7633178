"""Comms SLOs of one incident, read back from its audit trail (pure; `bot/slo/load.py` reads the rows).

The measures (the README's "How well we communicated" has the same definitions):

- **first update**: declared → the first customer message published (any stage), against the
  severity's `first_update_within`;
- **promised updates**: every customer message published while an earlier one's "next update by"
  was standing is on time when it came by that time, else late by the difference. A promise
  still standing and already past counts as late (owed), by how long it has been owed so far;
  a message with no promise (a resolution notice) starts none; nothing is owed past the
  resolution (a first update never sent is overdue by the time of the resolution);
- **approval latency**: a version submitted (drafted) → the approval that made it approved
  (the second of two where two are needed); internal messages approved by the bot do not count;
- **rejections**: every reject;
- **resolution notice / review**: the latest resolution → the first resolution notice and the
  first post-incident review published after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.audit.trail import AuditAction
from bot.enums import AudienceKind, IncidentStatus, Stage
from storage.models import AuditEvent, Draft, Incident

READ_ACTIONS = (
    AuditAction.MESSAGE_DRAFTED,
    AuditAction.MESSAGE_APPROVED,
    AuditAction.MESSAGE_REJECTED,
    AuditAction.MESSAGE_PUBLISHED,
    AuditAction.RESOLVED,
    AuditAction.REOPENED,
)


@dataclass(frozen=True)
class PromisedUpdate:
    """One "next update by" promise and the customer message that kept (or broke) it."""

    promised_at: datetime
    published_at: datetime | None  # None: still owed
    lateness: timedelta  # zero when on time
    by: tuple[int, int] | None = None  # (draft, version) of the message that came

    @property
    def on_time(self) -> bool:
        return self.lateness <= timedelta()


@dataclass(frozen=True)
class ApprovalTime:
    draft_id: int
    version: int
    latency: timedelta  # submitted → approved


@dataclass(frozen=True)
class CommsSlo:
    incident_id: int
    severity: str
    declared_at: datetime
    first_update: timedelta | None  # None: no customer message yet
    first_update_target: timedelta | None
    first_update_overdue: timedelta | None  # none published and the target passed: by how much
    first_by: tuple[int, int] | None = None  # (draft, version) of the first customer message
    updates: tuple[PromisedUpdate, ...] = ()
    approvals: tuple[ApprovalTime, ...] = ()
    rejections: int = 0
    to_resolution_notice: timedelta | None = None
    to_review: timedelta | None = None
    resolved_at: datetime | None = None

    @property
    def first_update_met(self) -> bool | None:
        """True/False against the target; None without a target or before it is decided."""
        if self.first_update_target is None:
            return None
        if self.first_update is not None:
            return self.first_update <= self.first_update_target
        return False if self.first_update_overdue is not None else None

    @property
    def approval_latencies(self) -> list[timedelta]:
        return [a.latency for a in self.approvals]

    @property
    def on_time(self) -> int:
        return sum(1 for u in self.updates if u.on_time)

    @property
    def late(self) -> tuple[PromisedUpdate, ...]:
        return tuple(u for u in self.updates if not u.on_time)


@dataclass
class _Trail:
    """The events of one incident, indexed the way the measures read them."""

    drafts: dict[int, Draft]
    drafted: dict[tuple[int, int], datetime] = field(default_factory=dict)
    approvals: dict[tuple[int, int], list[tuple[datetime, int]]] = field(default_factory=dict)
    published: list[tuple[datetime, Draft, int]] = field(default_factory=list)  # first publications
    rejections: int = 0
    last_resolved: datetime | None = None

    def read(self, events: Iterable[AuditEvent]) -> _Trail:
        for event in sorted(events, key=lambda e: (e.at, e.id or 0)):
            self._read_one(event)
        return self

    def _read_one(self, event: AuditEvent) -> None:
        details = event.details
        key = (details.get("draft"), details.get("version"))
        if event.action == AuditAction.MESSAGE_DRAFTED:
            self.drafted.setdefault(key, event.at)
        elif event.action == AuditAction.MESSAGE_APPROVED and not details.get("automatic"):
            self.approvals.setdefault(key, []).append((event.at, int(details.get("needed") or 1)))
        elif event.action == AuditAction.MESSAGE_REJECTED:
            self.rejections += 1
        elif event.action == AuditAction.MESSAGE_PUBLISHED and (draft := self.drafts.get(key[0])):
            self.published.append((event.at, draft, int(details.get("version") or draft.version)))
        elif event.action == AuditAction.RESOLVED:
            self.last_resolved = event.at

    def customer_publishes(self) -> list[tuple[datetime, Draft, int]]:
        return [p for p in self.published if p[1].audience_kind == AudienceKind.CUSTOMER]


def measure(
    incident: Incident,
    drafts: Sequence[Draft],
    events: Iterable[AuditEvent],
    *,
    target: timedelta | None,
    now: datetime,
) -> CommsSlo:
    """The incident's comms SLOs at `now` from its drafts and audit events."""
    trail = _Trail({d.id: d for d in drafts if d.id is not None}).read(events)
    customer = trail.customer_publishes()
    first = customer[0][0] - incident.declared_at if customer else None
    resolved = trail.last_resolved if incident.status == IncidentStatus.RESOLVED else None
    end = min(now, resolved) if resolved else now  # nothing is owed past the resolution
    overdue = None
    if first is None and target is not None and end >= incident.declared_at + target:
        overdue = end - incident.declared_at - target
    return CommsSlo(
        incident_id=incident.id or 0,
        severity=incident.severity,
        declared_at=incident.declared_at,
        first_update=first,
        first_update_target=target,
        first_update_overdue=overdue,
        first_by=(customer[0][1].id or 0, customer[0][2]) if customer else None,
        updates=tuple(_promised_updates(customer, end)),
        approvals=tuple(_approval_times(trail)),
        rejections=trail.rejections,
        to_resolution_notice=_after(resolved, trail.published, Stage.RESOLVED),
        to_review=_after(resolved, trail.published, Stage.POST_INCIDENT),
        resolved_at=resolved,
    )


def _promised_updates(customer: list[tuple[datetime, Draft, int]], now: datetime) -> list[PromisedUpdate]:
    updates: list[PromisedUpdate] = []
    promise: datetime | None = None
    for at, draft, version in customer:
        if promise is not None:
            by = (draft.id or 0, version)
            updates.append(PromisedUpdate(promise, at, max(timedelta(), at - promise), by))
        promised = draft.next_update_at
        promise = promised if promised is not None and promised > at else None  # a past promise is none
    if promise is not None and promise < now:
        updates.append(PromisedUpdate(promise, None, now - promise))
    return updates


def _approval_times(trail: _Trail) -> list[ApprovalTime]:
    times = []
    for (draft_id, version), approvals in trail.approvals.items():
        needed = approvals[-1][1]
        submitted = trail.drafted.get((draft_id, version))
        if submitted is not None and len(approvals) >= needed:
            times.append(ApprovalTime(draft_id, version, approvals[needed - 1][0] - submitted))
    return times


def _after(
    resolved: datetime | None, published: list[tuple[datetime, Draft, int]], stage: Stage
) -> timedelta | None:
    if resolved is None:
        return None
    times = [at for at, draft, _ in published if draft.stage == stage and at >= resolved]
    return min(times) - resolved if times else None


def percentile(values: Sequence[timedelta], share: float) -> timedelta | None:
    """The nearest-rank percentile (`share` 0.5 = median); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share × n), at least 1
    return ordered[min(rank, len(ordered)) - 1]
