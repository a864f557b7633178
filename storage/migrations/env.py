"""Alembic environment. The app hands a connection in (config.attributes["connection"]);
the `alembic` CLI can also be used directly with DATABASE_URL set."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import storage.channel_models
import storage.maintenance_models
import storage.models  # noqa: F401

target_metadata = SQLModel.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    from storage.database_url import normalise_database_url

    engine = create_async_engine(normalise_database_url(os.environ["DATABASE_URL"]))
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_with_own_engine())
