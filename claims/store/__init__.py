"""Where claims are kept: the repository contract and its backends, opened by one function."""

from __future__ import annotations

import os
from pathlib import Path

from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.tinydb_store import DEFAULT_LOCATION, TinyDBRepository

__all__ = ["MemoryRepository", "Repository", "TinyDBRepository", "default_store_path", "open_repository"]


def default_store_path() -> Path:
    """$CLAIMS_DB if set, else data/claims.json under the current folder."""
    configured = os.environ.get("CLAIMS_DB", "").strip()
    return Path(configured).expanduser() if configured else Path.cwd() / DEFAULT_LOCATION


def open_repository(location: str | os.PathLike[str] | None = None) -> Repository:
    """Open (creating if needed) the store at `location`; None means `default_store_path()`.

    ":memory:" gives a throw-away MemoryRepository.
    """
    if location is not None and os.fspath(location) == ":memory:":
        return MemoryRepository()
    return TinyDBRepository(default_store_path() if location is None else Path(location))
