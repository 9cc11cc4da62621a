"""Test databases on the throw-away PostgreSQL server that tests/postgres_server.py starts.

Each test gets a database of its own, copied from a template migrated once per test process (so tests
stay independent under pytest -n 2), and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from claims.store.postgres import PostgresRepository

SERVER_VARIABLE = "CLAIMS_TEST_POSTGRES"


def server_url() -> str:
    """The test server's URL; skips the test without one, fails it under CI=true (where it must run)."""
    url = os.environ.get(SERVER_VARIABLE, "").strip()
    if url:
        return url
    problem = (
        f"no PostgreSQL server for the tests: {SERVER_VARIABLE} is not set (make test runs pytest through "
        "tests/postgres_server.py, which starts one)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(problem + "; under CI=true the PostgreSQL tests must run")
    pytest.skip(problem)


def database_url(server: str, name: str) -> str:
    """The URL of database `name` on the server of `server` (a postgresql:// URL)."""
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name))


class Databases:
    """Creates and drops the test databases of one test process."""

    def __init__(self, server: str) -> None:
        self.server = server
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.template = f"claims_template_{worker}"
        self._admin = psycopg.connect(server, autocommit=True)
        self.drop(self.template)
        self._admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.template)))
        PostgresRepository(database_url(server, self.template)).close()

    def create(self, *, migrated: bool = True) -> str:
        """A new database, migrated to the latest schema (or empty); returns its URL."""
        name = f"claims_test_{uuid.uuid4().hex[:12]}"
        template = self.template if migrated else "template0"
        self._admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        )
        return database_url(self.server, name)

    def drop(self, name_or_url: str) -> None:
        name = urlsplit(name_or_url).path.lstrip("/") if "://" in name_or_url else name_or_url
        self._admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def close(self) -> None:
        self.drop(self.template)
        self._admin.close()
