"""Where claims are kept: the repository contract and its backends, opened by one function.

A store is named by a string: a file path (the embedded TinyDB store), ":memory:" (a throw-away store),
or a `postgresql://` URL (a PostgreSQL server that several app servers can share).
"""

from __future__ import annotations

import os
from pathlib import Path

from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.tinydb_store import DEFAULT_LOCATION, TinyDBRepository

__all__ = [
    "MemoryRepository",
    "Repository",
    "TinyDBRepository",
    "default_store_location",
    "is_server_url",
    "open_repository",
]

MEMORY = ":memory:"
_SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(location: str) -> bool:
    """True for a `postgresql://` (or `postgres://`) URL; anything else names a file or ":memory:"."""
    return location.strip().lower().startswith(_SERVER_SCHEMES)


def default_store_location() -> str:
    """$CLAIMS_DB if set (a path or a URL, as given), else data/claims.json under the current folder."""
    configured = os.environ.get("CLAIMS_DB", "").strip()
    return configured or str(Path.cwd() / DEFAULT_LOCATION)


def open_repository(location: str | os.PathLike[str] | None = None) -> Repository:
    """Open (creating if needed) the store at `location`; None means `default_store_location()`.

    ":memory:" gives a throw-away MemoryRepository; a `postgresql://` URL the PostgreSQL backend (its
    schema created or migrated on opening); anything else is the path of a TinyDB store's index file.
    """
    named = default_store_location() if location is None else os.fspath(location)
    if named == MEMORY:
        return MemoryRepository()
    if is_server_url(named):
        # Imported only for a server URL: a desk on files never loads psycopg.
        from claims.store.postgres import PostgresRepository

        server: Repository = PostgresRepository(named)
        return server
    return TinyDBRepository(Path(named).expanduser())
