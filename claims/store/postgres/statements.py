"""The statements the PostgreSQL repository's transactions run, one function each; every function takes
the transaction's connection and leaves committing to its caller."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from pydantic import TypeAdapter

from claims.errors import NotFound, StoreError
from claims.models import AppliedEdit, Claim, Deletion, SuggestionDecision
from claims.store.postgres.rows import (
    CLAIM_COLUMNS,
    CLAIM_UPDATED,
    DELETION_COLUMNS,
    claim_row,
    claim_search_key,
    deletion_row,
)

Connection = psycopg.Connection[tuple[Any, ...]]

CLAIMS = TypeAdapter(list[Claim])
DECISIONS = TypeAdapter(list[SuggestionDecision])

INSERT_CLAIM = sql.SQL("INSERT INTO claims ({}) VALUES ({})").format(
    sql.SQL(", ").join(map(sql.Identifier, CLAIM_COLUMNS)),
    sql.SQL(", ").join(sql.Placeholder() * len(CLAIM_COLUMNS)),
)
UPDATE_CLAIM = sql.SQL(
    "UPDATE claims SET ({}) = ({}) WHERE article_id = %s AND id = %s AND version = %s"
).format(
    sql.SQL(", ").join(map(sql.Identifier, CLAIM_UPDATED)),
    sql.SQL(", ").join(sql.Placeholder() * len(CLAIM_UPDATED)),
)

# More updates than this go through COPY and one UPDATE rather than one statement per claim.
FEW_UPDATES = 100
INCOMING_COLUMNS = (*CLAIM_UPDATED, "article_id", "id", "expected")
CREATE_INCOMING = sql.SQL(
    "CREATE TEMPORARY TABLE incoming_claims ON COMMIT DROP AS SELECT {}, article_id, id, version AS expected"
    " FROM claims WITH NO DATA"
).format(sql.SQL(", ").join(map(sql.Identifier, CLAIM_UPDATED)))
UPDATE_FROM_INCOMING = sql.SQL(
    "UPDATE claims c SET ({}) = ({}) FROM incoming_claims i"
    " WHERE c.article_id = i.article_id AND c.id = i.id AND c.version = i.expected"
).format(
    sql.SQL(", ").join(map(sql.Identifier, CLAIM_UPDATED)),
    sql.SQL(", ").join(sql.Identifier("i", name) for name in CLAIM_UPDATED),
)


def copy_statement(table: str, columns: Sequence[str]) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def one(
    conn: Connection, query: LiteralString | sql.Composed, params: Sequence[Any]
) -> tuple[Any, ...] | None:
    return conn.execute(query, params).fetchone()


def json_list(rows: Sequence[tuple[Any, ...]]) -> str:
    """Rows whose first column is a record's JSON text, as one JSON list (validated in one call)."""
    return "[" + ",".join(row[0] for row in rows) + "]"


def require_article(conn: Connection, article_id: str) -> None:
    if one(conn, "SELECT 1 FROM articles WHERE id = %s", (article_id,)) is None:
        raise NotFound("article", article_id)


def locked_claim(conn: Connection, article_id: str, claim_id: str) -> Claim:
    row = one(conn, "SELECT record::text FROM claims WHERE article_id = %s AND id = %s FOR UPDATE",
               (article_id, claim_id))  # fmt: skip
    if row is None:
        require_article(conn, article_id)
        raise NotFound("claim", claim_id)
    return Claim.model_validate_json(row[0])


def next_orders(conn: Connection, sequence: str, count: int) -> list[int]:
    """`count` new listing places, ascending (writes are serialised, so they follow every earlier one)."""
    if count == 0:
        return []
    rows = conn.execute(
        sql.SQL("SELECT nextval({}) FROM generate_series(1, %s)").format(sql.Literal(sequence)), (count,)
    ).fetchall()
    return sorted(int(row[0]) for row in rows)


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows with COPY: one round trip however many there are."""
    with conn.cursor() as cursor, cursor.copy(copy_statement(table, columns)) as copy:
        for row in rows:
            copy.write_row(row)


def write_updates(conn: Connection, edits: Sequence[AppliedEdit]) -> None:
    """Replace each claim `before` by `after`: a few with one UPDATE each (in one round trip), many with
    COPY into a temporary table and one UPDATE joining it.

    Optimistic concurrency as on every backend: an edit refuses a stale version itself, and the version
    condition keeps any other writer's change from being overwritten all the same.
    """
    if not edits:
        return
    rows = []
    for edited in edits:
        row = claim_row(edited.after, 0, 0)
        values = [value for name, value in zip(CLAIM_COLUMNS, row, strict=True) if name in CLAIM_UPDATED]
        rows.append([*values, edited.before.article_id, edited.before.id, edited.before.version])
    with conn.cursor() as cursor:
        if len(rows) <= FEW_UPDATES:
            cursor.executemany(UPDATE_CLAIM, rows)
        else:
            cursor.execute(CREATE_INCOMING)
            with cursor.copy(copy_statement("incoming_claims", INCOMING_COLUMNS)) as copy:
                for values in rows:
                    copy.write_row(values)
            cursor.execute(UPDATE_FROM_INCOMING)
        changed = cursor.rowcount  # executemany sums it over every row
        if changed != len(edits):
            raise StoreError("a claim changed while it was being saved; nothing was saved, save it again")
        # Only edits of a claim's text touch its search key (and the trigram index over it).
        searched = [
            (key, edited.before.article_id, edited.before.id)
            for edited in edits
            if (key := claim_search_key(edited.after)) != claim_search_key(edited.before)
        ]
        cursor.executemany("UPDATE claim_search SET search = %s WHERE article_id = %s AND id = %s", searched)


def add_deletions(conn: Connection, deletions: Sequence[Deletion]) -> None:
    copy_rows(conn, "deletions", DELETION_COLUMNS, map(deletion_row, deletions))


def stored_claims(conn: Connection, claims: Sequence[Claim]) -> dict[str, Claim]:
    """The stored copies of these claims (by article and id) that exist, by claim id."""
    if not claims:
        return {}
    rows = conn.execute(
        "SELECT c.record::text FROM claims c JOIN unnest(%s::text[], %s::text[]) AS k (article_id, id)"
        " ON c.article_id = k.article_id AND c.id = k.id",
        ([claim.article_id for claim in claims], [claim.id for claim in claims]),
    ).fetchall()
    return {claim.id: claim for claim in CLAIMS.validate_json(json_list(rows))}


def stored_decisions(conn: Connection, article_ids: Sequence[str]) -> dict[str, list[SuggestionDecision]]:
    if not article_ids:
        return {}
    rows = conn.execute(
        "SELECT record::text FROM decisions WHERE article_id = ANY(%s) ORDER BY seq", (list(article_ids),)
    ).fetchall()
    found: dict[str, list[SuggestionDecision]] = {}
    for decision in DECISIONS.validate_json(json_list(rows)):
        found.setdefault(decision.article_id, []).append(decision)
    return found


def refresh_article_counts(conn: Connection, article_ids: Sequence[str]) -> None:
    """Recompute the claim count and latest claim change of these articles from their claims."""
    if not article_ids:
        return
    conn.execute(
        "UPDATE articles AS a SET claim_count = coalesce(s.claims, 0), last_updated_at = s.updated_at,"
        " last_updated_by = s.updated_by"
        " FROM unnest(%s::text[]) AS k (id) LEFT JOIN ("
        "   SELECT DISTINCT ON (article_id) article_id, count(*) OVER (PARTITION BY article_id) AS claims,"
        "     updated_at, updated_by"
        "   FROM claims WHERE article_id = ANY(%s)"
        "   ORDER BY article_id, updated_at DESC, seq"
        " ) AS s ON s.article_id = k.id"
        " WHERE a.id = k.id",
        (list(article_ids), list(article_ids)),
    )
