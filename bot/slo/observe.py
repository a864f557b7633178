"""The comms SLO metrics, observed once, by the process that saw each thing happen.

The figures come from the same measures as status, digests and the report (`measure_one` over
the audit trail just committed), so `/metrics` and the report never disagree. A correction
(a published draft edited and published again) is not a new update and is not observed.
"""

from __future__ import annotations

import logging

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.metrics import Metrics
from bot.policy.model import Policy
from bot.slo.load import measure_one
from bot.slo.measures import CommsSlo
from storage.db import Database
from storage.maintenance_models import MaintenanceWindow
from storage.models import Draft, Incident

log = logging.getLogger(__name__)


class SloMetrics:
    def __init__(self, db: Database, policy: Policy, clock: Clock, metrics: Metrics) -> None:
        self.db, self.policy, self.clock, self.metrics = db, policy, clock, metrics

    async def published(self, draft_id: int, version: int) -> None:
        """A draft's version just became published: its first update and promise, if any."""
        slo = await self._measure(draft_id)
        if slo is None:
            return
        if slo.first_by == (draft_id, version) and slo.first_update is not None:
            self.metrics.first_update.labels(slo.severity).observe(slo.first_update.total_seconds())
        for update in slo.updates:
            if update.by == (draft_id, version):
                outcome = "on_time" if update.on_time else "late"
                self.metrics.updates.labels(slo.severity, outcome).inc()
                if not update.on_time:
                    self.metrics.update_lateness.labels(slo.severity).observe(update.lateness.total_seconds())

    async def approved(self, draft_id: int, version: int) -> None:
        """A draft's version just got its last approval needed."""
        slo = await self._measure(draft_id)
        for approval in slo.approvals if slo else ():
            if (approval.draft_id, approval.version) == (draft_id, version):
                self.metrics.approval_latency.labels(slo.severity).observe(approval.latency.total_seconds())

    async def _measure(self, draft_id: int) -> CommsSlo | None:
        try:
            async with self.db.read() as session:
                draft = await session.get(Draft, draft_id)
                incident = await session.get(Incident, draft.incident_id) if draft else None
                if incident is None or await _planned(session, incident.id):
                    return None
                return await measure_one(session, incident, self.policy, self.clock.now())
        except Exception:  # a metric is never worth failing a delivery for
            log.warning("could not measure the comms SLOs after draft %s", draft_id, exc_info=True)
            return None


async def _planned(session: AsyncSession, incident_id: int | None) -> bool:
    """A scheduled maintenance's host incident (bot/maintenance): planned work, never measured."""
    statement = select(MaintenanceWindow.id).where(MaintenanceWindow.incident_id == incident_id)
    return (await session.exec(statement.limit(1))).first() is not None
