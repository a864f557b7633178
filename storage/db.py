"""Engine and sessions. SQLite by default (no set-up), PostgreSQL for production.

SQLite needs WAL + busy_timeout + BEGIN IMMEDIATE, or concurrent read-then-write
transactions silently lose updates (docs/pitfalls.md, SQLite). Reads use a second engine whose
transactions start deferred, so dashboards never queue behind the write lock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SQLITE_BUSY_TIMEOUT_MS = 10_000


class Database:
    """The two session factories the app uses: `write()` and `read()`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url, begin="BEGIN IMMEDIATE")
        self._read_engine = _make_engine(url, begin="BEGIN") if self.is_sqlite else self.engine
        self._write = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self._read = async_sessionmaker(self._read_engine, class_=AsyncSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one write transaction: committed on success, rolled back on error."""
        async with self._write() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session:
            yield session

    async def enable_wal(self) -> None:
        """Switch a SQLite file to WAL once (the mode persists in the file).

        Done before anything else touches the file: changing the journal mode does not
        wait for the busy timeout, so it must not race with other connections.
        """
        if self.is_sqlite:
            async with self.engine.connect() as connection:
                raw = await connection.get_raw_connection()  # outside our BEGIN IMMEDIATE hook
                await raw.driver_connection.execute("PRAGMA journal_mode=WAL")

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._read_engine is not self.engine:
            await self._read_engine.dispose()


def _make_engine(url: str, *, begin: str) -> AsyncEngine:
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_pre_ping=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql(begin)

    return engine
