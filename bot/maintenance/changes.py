"""Changes after approval, each with its own customer text approved before it is published:
an extension while the work is in progress ("still in progress, now until 05:00") and a
cancellation of announced work before it starts.

A requested change waits on the maintenance (`change`) and bumps its version, so the approval
card's button names what the approver read; approving applies it and queues its text through
the outbox in one transaction, under the maintenance's row lock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.chat.cards import strip_markers
from bot.chat.links import own_links
from bot.comms.checks import check_draft
from bot.comms.drafting import Maintenance
from bot.drafts.approvers import refusal
from bot.enums import Action, Stage
from bot.errors import Conflict, Invalid, NotAllowed
from bot.maintenance import records
from bot.maintenance.forms import MaintenancePlan
from bot.maintenance.texts import PREFILL_REFERENCE, component_names, facts_of, template_texts
from storage.maintenance_models import MaintenanceStatus as S
from storage.maintenance_models import MaintenanceWindow

CANCELLED_TEMPLATE = "maintenance/cancelled.md.j2"


class ChangeKind(StrEnum):
    EXTEND = "extend"
    CANCEL = "cancel"


STAGES = {ChangeKind.EXTEND: Stage.MAINTENANCE_STARTED, ChangeKind.CANCEL: Stage.MAINTENANCE_SCHEDULED}
PERMISSIONS = {ChangeKind.EXTEND: Action.EDIT_MAINTENANCE, ChangeKind.CANCEL: Action.CANCEL_MAINTENANCE}
DONE = {ChangeKind.EXTEND: "extended", ChangeKind.CANCEL: "cancelled"}
NEEDS = {ChangeKind.EXTEND: S.IN_PROGRESS, ChangeKind.CANCEL: S.SCHEDULED}


def plan_of(window: MaintenanceWindow, until: datetime | None = None) -> MaintenancePlan:
    components = tuple(window.components)
    return MaintenancePlan(
        window.title, window.starts_at, until or window.ends_at, components, window.expected_impact, {}
    )


def change_text(
    service: Any, window: MaintenanceWindow, kind: ChangeKind, until, reference: str, links: bool
) -> str:
    """The template's wording of the change (an extension: the start text with the new end)."""
    plan = plan_of(window, until)
    if kind == ChangeKind.EXTEND:
        return template_texts(service.templates, service.policy, plan, reference, links=links)[STAGES[kind]]
    route = service.policy.messages.support_route
    return service.templates.render(
        CANCELLED_TEMPLATE,
        facts=facts_of(plan, service.policy),
        maintenance_window=Maintenance(plan.starts_at, plan.ends_at).window_text(),
        affected_services=list(component_names(plan, service.policy)),
        account=None,
        stage="maintenance_cancelled",
        support_route=own_links(route) if links else route,
        ref=reference,
    )


def prefill(service: Any, window: MaintenanceWindow, kind: ChangeKind, until: datetime | None) -> str:
    return change_text(service, window, kind, until, PREFILL_REFERENCE, False)


def refuse_until(window: MaintenanceWindow, until: datetime | None, now: datetime) -> None:
    if until is None or until <= max(now, window.ends_at):
        raise Invalid({"ends_at": "The new end must be later than the planned end and in the future."})


async def request(
    service: Any, maintenance_id: int, kind: ChangeKind, *, actor: str, text: str, until=None, opened=None
):
    """Record the change and its checked text; nothing is published until it is approved."""
    window, host = await service.get(maintenance_id)
    await service.access.require(actor, PERMISSIONS[kind], host)
    now = service.clock.now()
    if kind == ChangeKind.EXTEND:
        refuse_until(window, until, now)
    reference = service.access.reference(host)
    wording = change_text(service, window, kind, until, reference, True)
    shown = strip_markers(prefill(service, window, kind, opened or until)).strip()  # as the form showed it
    unchanged = not text.strip() or text.strip() == shown
    final = wording if unchanged else text.strip()
    report = check_draft(final, STAGES[kind], rules=service.policy.checks)
    async with service.db.write() as session:
        window, _ = await records.locked(session, maintenance_id)
        if window.status != NEEDS[kind]:
            raise Conflict(
                f"This maintenance is {window.status.replace('_', ' ')}; it cannot be {DONE[kind]} now."
            )
        window.version += 1
        window.change = {
            "kind": kind.value,
            "until": until.isoformat() if until else None,
            "text": final,
            "checks": report.to_json(),
            "blocking": report.blocking,
            "by": actor,
        }
        window.updated_at = now
        records.change_requested(session, window, actor, now)
    return window


async def approve(service: Any, window: MaintenanceWindow, host, version: int, *, approver: str):
    """Apply the waiting change and queue its text (four eyes: not whoever asked for it)."""
    change = window.change
    person = await service.access.require(approver, Action.APPROVE_MAINTENANCE, host)
    authors = frozenset({change["by"]})
    why = await refusal(person, authors=authors, blocking=change["blocking"], people=service.access.people)
    if why:
        raise NotAllowed(records.refusal_text(why, fix="ask for the change again"))
    now, kind = service.clock.now(), ChangeKind(change["kind"])
    async with service.db.write() as session:
        window, host = await records.locked(session, window.id)
        if window.version != version or window.change != change:
            raise Conflict("The maintenance changed meanwhile; look at its latest card.")
        if window.status != NEEDS[kind]:
            raise Conflict(
                f"This maintenance is now {window.status.replace('_', ' ')}; the change no longer applies."
            )
        key = f"{kind.value}-{window.version}"
        window.texts = {**window.texts, key: change["text"]}
        window.checks = {**window.checks, key: change["checks"]}
        old = window.status
        _apply(service, window, kind, change, host, now)
        window.change, window.updated_at = {}, now
        records.status_changed(session, window, approver, old, now)
        draft = await records.published_text(
            session, window, host, STAGES[kind], now, service.publisher.enqueue, key=key
        )
    await service.publisher.deliver_draft(draft.id)
    return window


def _apply(
    service: Any, window: MaintenanceWindow, kind: ChangeKind, change: dict, host, now: datetime
) -> None:
    if kind == ChangeKind.CANCEL:
        window.status, window.cancelled_at = S.CANCELLED.value, now
        return
    until = datetime.fromisoformat(change["until"])
    reference = service.access.reference(host)
    before = template_texts(service.templates, service.policy, plan_of(window), reference)
    completed = Stage.MAINTENANCE_COMPLETED.value
    if window.texts.get(completed) == before[Stage.MAINTENANCE_COMPLETED]:  # as worded: follow the new end
        after = template_texts(
            service.templates, service.policy, replace(plan_of(window), ends_at=until), reference
        )
        window.texts = {**window.texts, completed: after[Stage.MAINTENANCE_COMPLETED]}
    window.ends_at, window.next_nag_at = until, None
