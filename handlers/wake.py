"""A worker woken at once: PostgreSQL `LISTEN` on the channel web processes `NOTIFY` after a
declaration (bot/services/intents.py::hand_off). Polling (bot/services/sweeps.py::SET_UP_POLL)
remains the fallback: a lost connection or a missed notification only costs that interval."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bot.services.intents import WAKE_CHANNEL

log = logging.getLogger(__name__)


class WakeListener:
    """Calls `on_wake` for each notification on WAKE_CHANNEL, on its own connection."""

    def __init__(self, database_url: str, on_wake: Callable[[], object]) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._on_wake = on_wake
        self._connection: Any = None

    async def start(self) -> None:
        try:
            self._connection = await asyncpg.connect(self._dsn)
            await self._connection.add_listener(WAKE_CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError):
            log.warning("cannot LISTEN for new work; polling only", exc_info=True)

    def _notified(self, _connection: object, _pid: int, _channel: str, _payload: str) -> None:
        self._on_wake()

    async def stop(self) -> None:
        if self._connection is not None:
            await self._connection.close(timeout=2)
            self._connection = None
