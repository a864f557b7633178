"""The one spelling of a database URL the engine accepts, whoever wrote it."""

from __future__ import annotations


def normalise_database_url(url: str) -> str:
    """Accept the common `postgres://` / `postgresql://` forms and pick the async drivers."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url
