"""The audit rows every new version writes: who drafted it, and what its checks found."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import trail as audit
from bot.audit.trail import AuditAction
from storage.models import Draft, DraftVersion


def record_drafted(
    session: AsyncSession, draft: Draft, version: DraftVersion, author: str, now: datetime, **extra: object
) -> None:
    audit.record(
        session,
        incident_id=draft.incident_id,
        actor=author,
        action=AuditAction.MESSAGE_DRAFTED,
        at=now,
        draft=draft.id,
        version=version.number,
        stage=draft.stage,
        audience=draft.audience_key,
        **extra,
    )
    audit.record(
        session,
        incident_id=draft.incident_id,
        actor="bot",
        action=AuditAction.MESSAGE_CHECKED,
        at=now,
        draft=draft.id,
        version=version.number,
        blocking=version.blocking,
        missing=[k for k, ok in version.checks.get("required", {}).items() if not ok],
        findings=[f["kind"] for f in version.checks.get("findings", [])],
    )
