"""The database schema: numbered SQL files in migrations/, applied in order at start-up and recorded.

Every app server opening a database runs `migrate`: under an advisory lock (so servers starting at once
apply each file once), every file newer than the database's schema runs in its own transaction with its
row in schema_migrations, so a failed migration leaves the schema as it was. A database whose schema is
newer than this code is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import psycopg
from pydantic import TypeAdapter

from claims.errors import StoreError
from claims.models import Article, Claim
from claims.store.postgres.rows import (
    STATUS_RANK,
    article_search_key,
    casefolded,
    search_row,
    title_key,
    workflow_values,
)

# Any constant the app servers of one database agree on: the key of the advisory lock held while migrating.
MIGRATION_LOCK = 0x636C61696D73  # "claims"
_FILE_NAME = re.compile(r"(\d{4})_(\w+)\.sql")
_BATCH = 5_000


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def known_migrations() -> list[Migration]:
    """The migration files shipped with this code, in order; their numbers run 1, 2, 3, ... without gaps."""
    found = []
    for entry in resources.files("claims.store.postgres").joinpath("migrations").iterdir():
        matched = _FILE_NAME.fullmatch(entry.name)
        if matched:
            found.append(Migration(int(matched[1]), matched[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    if [migration.version for migration in found] != list(range(1, len(found) + 1)):
        raise AssertionError(f"migration files are not numbered 1..n: {[m.version for m in found]}")
    return found


LATEST = len(known_migrations())


def schema_version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """The newest migration recorded in the database; 0 for a database this code never opened."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row and isinstance(row[0], int) else 0


def migrate(conn: psycopg.Connection[tuple[object, ...]], where: str, upto: int | None = None) -> int:
    """Bring the database to schema `upto` (default: the latest this code knows); returns the version it
    is at. `conn` must be in autocommit mode; `where` names the database in messages."""
    target = LATEST if upto is None else upto
    # A database already at the target is opened with reads only: no lock, no DDL, so a read-only
    # server (a hot standby) can be opened too.
    if (current := schema_version(conn)) >= target:
        _refuse_newer(current, where)
        return current
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        current = schema_version(conn)
        _refuse_newer(current, where)
        for migration in known_migrations()[current:target]:
            with conn.transaction():
                conn.execute(migration.sql.encode("utf-8"))
                if backfill := BACKFILLS.get(migration.version):
                    backfill(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            current = migration.version
        return current
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


def _refuse_newer(current: int, where: str) -> None:
    if current > LATEST:
        raise StoreError(
            f"{where}: its schema is version {current}, newer than this claim annotator knows "
            f"({LATEST}); upgrade the claim annotator to open it"
        )


_CLAIMS = TypeAdapter(list[Claim])
_ARTICLES = TypeAdapter(list[Article])


def _fill_query_columns(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Schema 2's derived columns for the claims and articles already stored, computed as rows.py does."""
    with conn.cursor(name="claims_to_fill") as rows:
        rows.execute("SELECT record::text FROM claims")
        while batch := rows.fetchmany(_BATCH):
            claims = _CLAIMS.validate_json("[" + ",".join(str(row[0]) for row in batch) + "]")
            with conn.cursor() as writer:
                writer.executemany(
                    "UPDATE claims SET assignee = %s, status_rank = %s, claimant_key = %s"
                    " WHERE article_id = %s AND id = %s",
                    [
                        (claim.assignee, STATUS_RANK[claim.status.value], casefolded(claim.claimant),
                         claim.article_id, claim.id)
                        for claim in claims
                    ],
                )  # fmt: skip
    with conn.cursor(name="articles_to_fill") as rows:
        rows.execute("SELECT record::text FROM articles")
        while batch := rows.fetchmany(_BATCH):
            articles = _ARTICLES.validate_json("[" + ",".join(str(row[0]) for row in batch) + "]")
            with conn.cursor() as writer:
                writer.executemany(
                    "UPDATE articles SET title_key = %s, search = %s WHERE id = %s",
                    [(title_key(a.title), article_search_key(a), a.id) for a in articles],
                )


def _fill_claim_search(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Schema 3's search keys for the claims already stored."""
    with conn.cursor(name="claims_to_index") as rows:
        rows.execute("SELECT record::text FROM claims")
        while batch := rows.fetchmany(_BATCH):
            claims = _CLAIMS.validate_json("[" + ",".join(str(row[0]) for row in batch) + "]")
            with (
                conn.cursor() as writer,
                writer.copy("COPY claim_search (article_id, id, search) FROM STDIN") as copy,
            ):
                for claim in claims:
                    copy.write_row(search_row(claim))


def _fill_workflow_columns(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Schema 4's workflow columns for the claims already stored, as rows.py computes them."""
    with conn.cursor(name="claims_to_stamp") as rows:
        rows.execute("SELECT record::text FROM claims")
        while batch := rows.fetchmany(_BATCH):
            claims = _CLAIMS.validate_json("[" + ",".join(str(row[0]) for row in batch) + "]")
            with conn.cursor() as writer:
                writer.executemany(
                    "UPDATE claims SET (rated_by, rated_at, approved_at, published_at, status_since,"
                    " mentions) = (%s, %s, %s, %s, %s, %s) WHERE article_id = %s AND id = %s",
                    [(*workflow_values(claim), claim.article_id, claim.id) for claim in claims],
                )


# Python steps run right after a migration's SQL, in its transaction.
BACKFILLS: dict[int, Callable[[psycopg.Connection[tuple[object, ...]]], None]] = {
    2: _fill_query_columns,
    3: _fill_claim_search,
    4: _fill_workflow_columns,
}
