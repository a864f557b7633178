"""A throw-away PostgreSQL database for a benchmark run, on $TEST_DATABASE_URL's server."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.database_url import normalise_database_url
from storage.db import Database
from storage.migrate import upgrade_schema

ADMIN_URL = normalise_database_url(
    os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
)


class ThrowAwayDatabase:
    def __init__(self) -> None:
        self.name = f"incident_comms_bench_{uuid.uuid4().hex[:8]}"
        self.url = ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}"

    async def _admin(self, sql: str) -> None:
        engine = create_async_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(sql))
        await engine.dispose()

    async def __aenter__(self) -> Database:
        await self._admin(f'CREATE DATABASE "{self.name}"')
        self.db = Database(self.url)
        await upgrade_schema(self.db)
        return self.db

    async def __aexit__(self, *exc: object) -> None:
        await self.db.dispose()
        await self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
