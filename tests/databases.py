"""Test databases: a fresh SQLite file per test, and a fresh PostgreSQL database per run.

PostgreSQL comes from TEST_DATABASE_URL. When it is unreachable the PostgreSQL half is
skipped with the reason shown, unless REQUIRE_POSTGRES=1 (CI), which makes it a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import storage.channel_models
import storage.models
import storage.subscription_models  # noqa: F401
from storage.database_url import normalise_database_url
from storage.db import Database
from storage.migrate import upgrade_schema

# Every table the models define, children first (a new table can never be left out).
TABLES_IN_DELETE_ORDER = tuple(table.name for table in reversed(SQLModel.metadata.sorted_tables))


class SqliteTemplate:
    """Migrate once, then copy the file for each test (much faster than migrating each time)."""

    def __init__(self, folder: Path) -> None:
        self.template = folder / "template.db"
        self.folder = folder

    async def prepare(self) -> None:
        database = Database(f"sqlite+aiosqlite:///{self.template}")
        await upgrade_schema(database)
        await database.dispose()

    def fresh_url(self) -> str:
        target = self.folder / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, target)
        return f"sqlite+aiosqlite:///{target}"


class PostgresRun:
    """One throw-away database for the whole run, emptied before each test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = normalise_database_url(admin_url)
        self.name = f"incident_comms_test_{uuid.uuid4().hex[:10]}"
        self.url = self.admin_url.rsplit("/", 1)[0] + f"/{self.name}"

    async def create(self) -> None:
        engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        await engine.dispose()
        database = Database(self.url)
        await upgrade_schema(database)
        await database.dispose()

    async def empty(self) -> None:
        engine = create_async_engine(self.url)
        async with engine.begin() as connection:
            tables = ", ".join(TABLES_IN_DELETE_ORDER)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    async def drop(self) -> None:
        engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        await engine.dispose()


async def postgres_or_skip() -> PostgresRun:
    url = os.environ.get("TEST_DATABASE_URL")
    required = os.environ.get("REQUIRE_POSTGRES") == "1"
    if not url:
        if required:
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL half skipped: TEST_DATABASE_URL is not set")
    run = PostgresRun(url)
    try:
        await run.create()
    except Exception as error:  # unreachable server, auth, …
        if required:
            pytest.fail(f"REQUIRE_POSTGRES=1 but PostgreSQL is unusable: {error}")
        pytest.skip(f"PostgreSQL half skipped: {type(error).__name__}: {error}")
    return run
