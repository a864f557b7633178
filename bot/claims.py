"""Claiming due rows with one atomic statement, safe with several workers and instances.

    UPDATE <table> SET <lease column> = <until>, <other columns …>
    WHERE id IN (SELECT id FROM <table> WHERE <due> ORDER BY <order_by> LIMIT :limit
                 FOR UPDATE SKIP LOCKED)
    RETURNING <the rows, or the columns asked for>

Every claim queue is this statement: the chat outbox, e-mail and webhook deliveries,
reminders (due and stale), follow-up nags and channel archiving. What differs is the
caller's: which rows are due (including when a lease counts as free: NULL, expired, or a
mark that never frees), their order, what else the claim changes, what it returns.

On PostgreSQL SKIP LOCKED lets concurrent claimers take different rows without waiting;
SQLAlchemy drops it on SQLite, where BEGIN IMMEDIATE makes writers take turns. `now` is the
app clock's (tests move it), never the database's now(). RETURNING gives no order: a caller
that needs the claim order sorts what comes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, select, update
from sqlmodel import SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession


def due_ids(
    table: type[SQLModel], due: Sequence[ColumnElement[bool]], order_by: Sequence[Any], limit: int
) -> Select:
    """The claim's inner SELECT: up to `limit` due ids, locked, skipping rows others hold."""
    return (
        select(col(table.id))  # type: ignore[attr-defined]  # every claim table has an integer id
        .where(*due)
        .order_by(*order_by)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def claim(
    session: AsyncSession,
    table: type[SQLModel],
    *,
    due: Sequence[ColumnElement[bool]],
    sets: Mapping[Any, Any],
    limit: int,
    order_by: Sequence[Any] = (),
    returning: tuple[Any, ...] = (),
) -> list[Any]:
    """Claim up to `limit` rows matching every `due` condition, `order_by` first.

    Each claimed row gets `sets`: its lease (the column that makes it not due for others
    until then) and whatever else the claim changes, e.g. attempts counted. Returns the
    claimed rows, or with `returning` those columns: one column gives its values, several
    give row tuples.
    """
    chosen = due_ids(table, due, order_by, limit)
    statement = (
        update(table)
        .where(col(table.id).in_(chosen.scalar_subquery()))  # type: ignore[attr-defined]
        .values(dict(sets))
        .returning(*(returning or (table,)))
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    if len(returning) > 1:
        return list(result.all())
    return list(result.scalars().all())
