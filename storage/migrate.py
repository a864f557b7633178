"""Bring the schema up to date. Safe when several instances start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import Database

# Any constant works; it only has to be the same in every instance of this app.
_MIGRATION_LOCK_KEY = 7_314_159_265


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade_schema(database: Database) -> None:
    """`alembic upgrade head`, serialised across instances by a PostgreSQL advisory lock.

    SQLite needs no lock: BEGIN IMMEDIATE already admits one writer at a time.
    """
    await database.enable_wal()
    async with database.engine.connect() as connection:
        if database.dialect == "postgresql":
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            await connection.commit()
        try:
            await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
            await connection.commit()
        finally:
            if database.dialect == "postgresql":
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
                await connection.commit()
