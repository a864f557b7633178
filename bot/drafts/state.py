"""Reading drafts: the state a card shows, and the row-level helpers of a decision."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.access.people import Person
from bot.comms.drafting import DraftFacts
from bot.enums import DraftStatus
from bot.errors import Conflict, NotFound
from storage.db import Database
from storage.models import Approval, Draft, DraftVersion, Incident

APPROVED, REJECTED = "approved", "rejected"


@dataclass(frozen=True)
class DraftState:
    """Everything a card about a draft shows."""

    draft: Draft
    version: DraftVersion
    incident: Incident
    approvals: list[Approval] = field(default_factory=list)

    @property
    def approvers(self) -> list[str]:
        return [
            a.approver_id
            for a in self.approvals
            if a.decision == APPROVED and a.version == self.draft.version
        ]

    @property
    def rejection(self) -> Approval | None:
        return next(
            (a for a in self.approvals if a.decision == REJECTED and a.version == self.draft.version), None
        )


@dataclass(frozen=True)
class Outcome:
    state: DraftState
    published: bool = False  # this decision completed the quorum: deliver now


async def latest_published_facts(db: Database, incident_id: int, audience_key: str) -> DraftFacts | None:
    """The facts of the last published message to this audience (to prefill the next one)."""
    statement = (
        select(DraftVersion)
        .join(Draft, col(Draft.id) == col(DraftVersion.draft_id))
        .where(
            Draft.incident_id == incident_id,
            Draft.audience_key == audience_key,
            col(Draft.published_version).is_not(None),
            DraftVersion.number == Draft.published_version,
        )
        .order_by(col(Draft.updated_at).desc(), col(Draft.id).desc())
        .limit(1)
    )
    async with db.read() as session:
        version = (await session.exec(statement)).first()
    return DraftFacts.from_json(version.facts) if version else None


async def load_state(db: Database, draft_id: int) -> DraftState:
    """Everything a card about a draft shows, read without taking the write lock."""
    async with db.read() as session:
        draft = await session.get(Draft, draft_id)
        if draft is None:
            raise NotFound("That draft no longer exists.")
        version = (
            await session.exec(
                select(DraftVersion).where(
                    DraftVersion.draft_id == draft_id, DraftVersion.number == draft.version
                )
            )
        ).one()
        approvals = (
            await session.exec(
                select(Approval).where(Approval.draft_id == draft_id).order_by(col(Approval.id))
            )
        ).all()
        incident = await session.get(Incident, draft.incident_id)
    return DraftState(draft, version, incident, list(approvals))


async def incident_of(session: AsyncSession, incident_id: int) -> Incident:
    incident = await session.get(Incident, incident_id)
    if incident is None:
        raise NotFound("That incident no longer exists.")
    return incident


async def locked(session: AsyncSession, draft_id: int) -> tuple[Draft, Incident]:
    """The draft row, locked until commit (FOR UPDATE on PostgreSQL; SQLite has one writer)."""
    draft = (await session.exec(select(Draft).where(Draft.id == draft_id).with_for_update())).first()
    if draft is None:
        raise NotFound("That draft no longer exists.")
    return draft, await incident_of(session, draft.incident_id)


@dataclass(frozen=True)
class Authorship:
    """What the approval rules read of one version: everyone who wrote it or any earlier
    version (a one-click redaction keeps its version's author), and its blocking findings."""

    authors: frozenset[str]
    blocking: bool


async def authorship(session: AsyncSession, draft_id: int, version: int) -> Authorship:
    rows = (
        await session.exec(
            select(DraftVersion.number, DraftVersion.author_id, DraftVersion.blocking).where(
                DraftVersion.draft_id == draft_id, DraftVersion.number <= version
            )
        )
    ).all()
    target = [blocking for number, _, blocking in rows if number == version]
    if not target:
        raise Conflict("That version of the draft does not exist; look at its latest version.")
    return Authorship(frozenset(author for _, author, _ in rows), target[0])


def stale_draft(opened: int, now: int) -> str:
    return (
        f"This form edits version {opened}, but the draft is now at version {now}: "
        "open Edit again to start from the latest version."
    )


def still_open(draft: Draft, version: int) -> None:
    if draft.version != version:
        raise Conflict(f"This card shows version {version}, but the draft is now at version {draft.version}.")
    if draft.status != DraftStatus.PENDING.value:
        raise Conflict(f"This draft is already {draft.status}.")


def _same(row: tuple[str, str], person: Person) -> bool:
    """A decision by this person: recorded under their key then, or under one of their ids now
    (a key can change when identities are linked later, so both are compared)."""
    approver_id, key = row
    return key == person.key or person.has(approver_id)


async def _decisions(session: AsyncSession, draft_id: int, version: int, *only: str) -> list[tuple[str, str]]:
    statement = select(Approval.approver_id, Approval.person).where(
        Approval.draft_id == draft_id, Approval.version == version
    )
    if only:
        statement = statement.where(col(Approval.decision).in_(only))
    return list((await session.exec(statement)).all())


async def decided_by(session: AsyncSession, draft_id: int, version: int, person: Person) -> bool:
    """Whether this person (under any of their ids) already decided on this version."""
    return any(_same(row, person) for row in await _decisions(session, draft_id, version))


async def count_approvals(session: AsyncSession, draft_id: int, version: int, latest: Person) -> int:
    """Approvals of this version, one per person; `latest` (who just approved) counts once
    whatever id or key their earlier approvals were recorded under."""
    rows = await _decisions(session, draft_id, version, APPROVED)
    return len({latest.key if _same(row, latest) else row[1] for row in rows})
