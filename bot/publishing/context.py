"""What a sender needs to build the card for an outbox entry, loaded once per draft version."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from bot.chat.cards import Card
from bot.enums import OutboxAction
from bot.errors import NotFound
from bot.publishing.published_card import published_card
from storage.db import Database
from storage.models import Draft, DraftVersion, Incident, OutboxEntry


@dataclass(frozen=True)
class DeliveryContext:
    reference: str
    incident: Incident
    draft: Draft
    version: DraftVersion
    first_posted_at: datetime | None  # when the draft was first published (a correction keeps it)

    def card(self, entry: OutboxEntry) -> Card:
        if entry.action == OutboxAction.UPDATE:
            return published_card(
                self.reference,
                self.incident,
                self.draft,
                self.version,
                corrected_at=entry.created_at,
                published_at=self.first_posted_at,
            )
        return published_card(
            self.reference,
            self.incident,
            self.draft,
            self.version,
            corrected_at=None,
            published_at=entry.created_at,
        )


class Contexts:
    """A small cache for one delivery run (a run lasts seconds; drafts do not change under it)."""

    def __init__(self, db: Database, reference: Callable[[Incident], str]) -> None:
        self.db = db
        self.reference = reference
        self._loading: dict[tuple[int, int], asyncio.Task[DeliveryContext]] = {}

    async def get(self, entry: OutboxEntry) -> DeliveryContext:
        """Senders of the same version share one load (they usually start together)."""
        key = (entry.draft_id, entry.version)
        task = self._loading.get(key)
        if task is None or (task.done() and task.exception() is not None):
            task = self._loading[key] = asyncio.ensure_future(self._load(*key))
        return await asyncio.shield(task)

    async def _load(self, draft_id: int, number: int) -> DeliveryContext:
        async with self.db.read() as session:
            draft = await session.get(Draft, draft_id)
            version = (
                await session.exec(
                    select(DraftVersion).where(
                        DraftVersion.draft_id == draft_id, DraftVersion.number == number
                    )
                )
            ).first()
            incident = await session.get(Incident, draft.incident_id) if draft else None
            first = select(func.min(OutboxEntry.created_at)).where(
                OutboxEntry.draft_id == draft_id, col(OutboxEntry.action) == OutboxAction.POST
            )
            first_posted_at = (await session.exec(first)).one()
        if draft is None or version is None or incident is None:
            raise NotFound(f"draft {draft_id} version {number} is gone")
        return DeliveryContext(self.reference(incident), incident, draft, version, first_posted_at)
