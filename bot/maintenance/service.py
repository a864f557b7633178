"""Scheduling, approving, cancelling and completing maintenance; every entry point asks
`Access.require` first, and decides under the maintenance's row lock.

Approval follows the drafts' check/do contract (`bot/drafts/service.py`): who may approve, the
blocking findings and the author are decided first (no network call inside a write transaction);
then, under the row lock, the version approved must still be the one checked. The announcement is
queued in the approval's transaction; the start and completion texts when their transition is
claimed (`transitions.py`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError

from bot.access.guard import Access
from bot.chat.ports import ChatPlatform
from bot.chat.templating import Templates
from bot.clock import Clock
from bot.drafts.approvers import refusal
from bot.enums import Action, Stage
from bot.errors import Conflict, NotAllowed, NotFound
from bot.maintenance import changes, records
from bot.maintenance.changes import ChangeKind
from bot.maintenance.forms import MaintenancePlan
from bot.maintenance.texts import PREFILL_REFERENCE, check_texts, final_texts, template_texts
from bot.maintenance.transitions import complete_now
from bot.policy.model import Policy
from storage.db import Database
from storage.maintenance_models import MaintenanceStatus as S
from storage.maintenance_models import MaintenanceWindow
from storage.models import Incident


class Parts(Protocol):
    """What the service works with (the app's `Core` has all of it)."""

    db: Database
    policy: Policy
    clock: Clock
    templates: Templates
    access: Access
    platform: ChatPlatform
    publisher: Any  # bot.publishing.publisher.Publisher: enqueue (in a transaction), deliver_draft


class MaintenanceService:
    def __init__(self, parts: Parts) -> None:
        self.db, self.policy, self.clock = parts.db, parts.policy, parts.clock
        self.templates, self.access, self.platform = parts.templates, parts.access, parts.platform
        self.publisher = parts.publisher

    # ---- the form -----------------------------------------------------------------------------
    async def may_schedule(self, user: str) -> None:
        await self.access.require(user, Action.SCHEDULE_MAINTENANCE)

    def prefill(self, plan: MaintenancePlan) -> dict[Stage, str]:
        """The texts the form shows for `plan` (the templates' wording)."""
        return template_texts(self.templates, self.policy, plan, PREFILL_REFERENCE, links=False)

    def default_window(self) -> tuple[Any, Any]:
        """Tomorrow, at the next full hour, for two hours."""
        now = self.clock.now().replace(minute=0, second=0, microsecond=0)
        start = now + timedelta(days=1, hours=1)
        return start, start + timedelta(hours=2)

    # ---- writing ------------------------------------------------------------------------------
    async def schedule(
        self, plan: MaintenancePlan, *, owner: str, source_key: str, opened: MaintenancePlan | None = None
    ) -> MaintenanceWindow:
        """A pending maintenance (one per `source_key`, whatever the retries), its texts checked."""
        await self.access.require(owner, Action.SCHEDULE_MAINTENANCE)
        now = self.clock.now()
        try:
            async with self.db.write() as session:
                if found := await records.by_source(session, source_key):
                    return found
                host = records.host_incident(plan.title, owner, self.policy.default_severity, source_key, now)
                session.add(host)
                await session.flush()
                rendered = template_texts(self.templates, self.policy, plan, self.access.reference(host))
                prefilled = self.prefill(opened) if opened else {}
                checked = check_texts(final_texts(plan, rendered, prefilled), self.policy)
                window = MaintenanceWindow(
                    incident_id=host.id,
                    source_key=source_key,
                    title=plan.title,
                    starts_at=plan.starts_at,
                    ends_at=plan.ends_at,
                    components=list(plan.components),
                    expected_impact=plan.expected_impact,
                    owner_id=owner,
                    status=S.PENDING.value,
                    texts=checked.texts,
                    checks=checked.checks,
                    blocking=checked.blocking,
                    created_at=now,
                    updated_at=now,
                )
                session.add(window)
                await session.flush()
                records.status_changed(session, window, owner, "", now)
        except IntegrityError:  # a concurrent retry of the same submission inserted it first
            async with self.db.read() as session:
                return await records.by_source(session, source_key)
        return window

    async def approve(self, maintenance_id: int, version: int, *, approver: str) -> MaintenanceWindow:
        """Approve the three texts together; the announcement is queued in the same transaction."""
        window, host = await self.get(maintenance_id)
        if window.change:  # an extension or cancellation waiting for approval
            return await changes.approve(self, window, host, version, approver=approver)
        person = await self.access.require(approver, Action.APPROVE_MAINTENANCE, host)
        why = await refusal(
            person, authors=frozenset({window.owner_id}), blocking=window.blocking, people=self.access.people
        )
        if why:
            raise NotAllowed(records.refusal_text(why))
        now = self.clock.now()
        async with self.db.write() as session:
            window, host = await records.locked(session, maintenance_id)
            _still_pending(window, version)
            if window.starts_at <= now:
                raise Conflict("This maintenance's window has started; schedule it again with a new window.")
            window.status, window.approved_by, window.updated_at = S.SCHEDULED.value, approver, now
            records.status_changed(session, window, approver, S.PENDING.value, now)
            draft = await records.published_text(
                session, window, host, Stage.MAINTENANCE_SCHEDULED, now, self.publisher.enqueue
            )
        await self.publisher.deliver_draft(draft.id)  # now, rather than at the outbox sweep's next look
        return window

    async def request_change(
        self, maintenance_id: int, kind: ChangeKind, *, actor: str, text: str = "", until=None, opened=None
    ) -> MaintenanceWindow:
        """An extension (in progress) or a cancellation (announced), approved before it applies;
        `opened`: the end the form was opened with (its prefilled text follows the end submitted)."""
        return await changes.request(
            self, maintenance_id, kind, actor=actor, text=text, until=until, opened=opened
        )

    def change_prefill(self, window: MaintenanceWindow, kind: ChangeKind, until=None) -> str:
        return changes.prefill(self, window, kind, until)

    async def cancel(self, maintenance_id: int, *, actor: str) -> MaintenanceWindow:
        """Before approval: nothing was announced, so it is cancelled at once (once announced, a
        cancellation has its own customer text: `request_change`)."""
        _, host = await self.get(maintenance_id)
        await self.access.require(actor, Action.CANCEL_MAINTENANCE, host)
        now = self.clock.now()
        async with self.db.write() as session:
            window, _ = await records.locked(session, maintenance_id)
            if window.status != S.PENDING:
                raise Conflict(
                    f"This maintenance is {window.status.replace('_', ' ')}; "
                    "once announced, a cancellation needs its own approved customer text."
                )
            old = window.status
            window.status, window.cancelled_at, window.updated_at = S.CANCELLED.value, now, now
            records.status_changed(session, window, actor, old, now)
        return window

    async def complete(self, maintenance_id: int, *, actor: str) -> MaintenanceWindow:
        """The owner ends work in progress (early, or after an overrun): the completion text goes out."""
        _, host = await self.get(maintenance_id)
        await self.access.require(actor, Action.EDIT_MAINTENANCE, host)
        window = await complete_now(self, maintenance_id, actor)
        if window is None:
            raise Conflict("Only a maintenance in progress can be completed.")
        return window

    async def record_card(self, maintenance_id: int, channel_id: str, ts: str) -> None:
        async with self.db.write() as session:
            window = await session.get(MaintenanceWindow, maintenance_id)
            window.approval_channel_id, window.approval_ts = channel_id, ts

    # ---- reading ------------------------------------------------------------------------------
    async def get(self, maintenance_id: int) -> tuple[MaintenanceWindow, Incident]:
        async with self.db.read() as session:
            window = await session.get(MaintenanceWindow, maintenance_id)
            if window is None:
                raise NotFound("That maintenance no longer exists.")
            return window, await session.get(Incident, window.incident_id)


def _still_pending(window: MaintenanceWindow, version: int) -> None:
    if window.version != version:
        raise Conflict(
            f"This card shows version {version}, but the maintenance is now at version {window.version}."
        )
    if window.status != S.PENDING:
        raise Conflict(f"This maintenance is already {window.status.replace('_', ' ')}.")
