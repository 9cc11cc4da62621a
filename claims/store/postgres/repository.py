"""The PostgreSQL backend: a store several app servers share, each change one transaction.

Every writing transaction first locks the one row of store_state (so writes are serialised across every
app server, as the TinyDB lock serialises them across processes; reads never wait) and bumps its revision
when it changed something. Each record is stored as the JSON its model dumps, beside the columns queries
filter and sort on (rows.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout
from pydantic import TypeAdapter

from claims.errors import InvalidClaim, NotFound, StoreError
from claims.models import (
    Article,
    ArticleSummary,
    Claim,
    Deletion,
    DeletionKind,
    MergeReport,
    SuggestionDecision,
    utc_now,
)
from claims.store.contract import (
    ClaimEdit,
    DuplicateClaim,
    StoreDocuments,
    check_merge,
    claim_winners,
    count_claims,
    new_records,
)
from claims.store.postgres.rows import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_UPDATED,
    DECISION_COLUMNS,
    DELETION_COLUMNS,
    article_row,
    claim_row,
    decision_row,
    deletion_digest,
    deletion_row,
)
from claims.store.postgres.schema import migrate

Connection = psycopg.Connection[tuple[Any, ...]]

CONNECT_TIMEOUT_SECONDS = 10
# How long an operation waits for a free connection before it reports the server as unavailable.
POOL_TIMEOUT_SECONDS = 30.0

_CLAIMS = TypeAdapter(list[Claim])
_ARTICLES = TypeAdapter(list[Article])
_SUMMARIES = TypeAdapter(list[ArticleSummary])
_DECISIONS = TypeAdapter(list[SuggestionDecision])
_DELETIONS = TypeAdapter(list[Deletion])

_INSERT_CLAIM = sql.SQL("INSERT INTO claims ({}) VALUES ({})").format(
    sql.SQL(", ").join(map(sql.Identifier, CLAIM_COLUMNS)),
    sql.SQL(", ").join(sql.Placeholder() * len(CLAIM_COLUMNS)),
)
_UPDATE_CLAIM = sql.SQL(
    "UPDATE claims SET ({}) = ({}) WHERE article_id = %s AND id = %s AND version = %s"
).format(
    sql.SQL(", ").join(map(sql.Identifier, CLAIM_UPDATED)),
    sql.SQL(", ").join(sql.Placeholder() * len(CLAIM_UPDATED)),
)


def _copy_statement(table: str, columns: Sequence[str]) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def describe_server(url: str) -> tuple[str, str]:
    """(where, location) for a connection URL: `where` names database, user and server for messages,
    `location` is the URL without its password. Neither ever holds the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise StoreError("the PostgreSQL address is not a valid postgresql:// URL") from None
    host = str(parts.get("host") or "localhost")
    port = str(parts.get("port") or "5432")
    user = str(parts.get("user") or "")
    dbname = str(parts.get("dbname") or user)
    server = f"{host}:{port}" if not host.startswith("/") else f"{host} (port {port})"
    where = f"PostgreSQL database {dbname!r} on {server}" + (f" as {user!r}" if user else "")
    credentials = f"{quote(user, safe='')}@" if user else ""
    if host.startswith("/"):
        location = f"postgresql://{credentials}/{quote(dbname, safe='')}?host={quote(host)}&port={port}"
    else:
        location = f"postgresql://{credentials}{host}:{port}/{quote(dbname, safe='')}"
    return where, location


def _reason(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class PostgresRepository:
    """A store in a PostgreSQL database (created empty, or migrated to the latest schema, on opening);
    safe to share between threads: each operation borrows a connection from a pool."""

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        self._where, self.location = describe_server(url)
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS) as conn:
                migrate(conn, self._where)
        except psycopg.Error as error:
            raise StoreError(f"cannot open the {self._where}: {_reason(error)}") from None
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
            check=ConnectionPool.check_connection,
            timeout=POOL_TIMEOUT_SECONDS,
            open=False,
            name="claims",
        )
        self._pool.open()

    def close(self) -> None:
        """Close every connection of the pool (the repository cannot be used after)."""
        self._pool.close()

    # -- connections and transactions

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A pooled connection; a failure of the server or of SQL becomes a StoreError naming the server."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except PoolTimeout:
            raise StoreError(
                f"the {self._where} did not answer within {POOL_TIMEOUT_SECONDS:.0f} s"
            ) from None
        except psycopg.Error as error:
            raise StoreError(f"the {self._where} failed: {_reason(error)}") from None

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """One consistent snapshot for several statements."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[_Write]:
        """A transaction holding the store's write lock; the revision is bumped at its end when the block
        marked a change. An exception rolls everything back, revision included."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT revision FROM store_state FOR UPDATE")
            write = _Write(conn)
            yield write
            if write.changed:
                conn.execute("UPDATE store_state SET revision = revision + 1")

    # -- articles

    def add_article(self, article: Article) -> bool:
        with self._writing() as write:
            if _one(write.conn, "SELECT 1 FROM articles WHERE id = %s", (article.id,)) is not None:
                return False
            [seq] = _next_orders(write.conn, "article_order", 1)
            _copy(write.conn, "articles", ARTICLE_COLUMNS, [article_row(article, seq)])
            write.changed = True
            return True

    def get_article(self, article_id: str) -> Article:
        with self._connection() as conn:
            row = _one(conn, "SELECT record::text FROM articles WHERE id = %s", (article_id,))
        if row is None:
            raise NotFound("article", article_id)
        return Article.model_validate_json(row[0])

    def list_articles(self) -> list[ArticleSummary]:
        with self._connection() as conn:
            rows = conn.execute("SELECT summary::text FROM articles ORDER BY seq").fetchall()
        return _SUMMARIES.validate_json(_json_list(rows))

    def delete_article(self, article_id: str, *, by: str) -> int:
        with self._writing() as write:
            deletion = Deletion(
                kind=DeletionKind.ARTICLE, id=article_id, article_id=article_id, by=by, at=utc_now()
            )
            counted = _one(write.conn, "SELECT count(*) FROM claims WHERE article_id = %s", (article_id,))
            removed = write.conn.execute("DELETE FROM articles WHERE id = %s", (article_id,)).rowcount
            if removed == 0:
                raise NotFound("article", article_id)
            _add_deletions(write.conn, [deletion])
            write.changed = True
            return int(counted[0]) if counted else 0

    # -- claims

    def add_claim(self, claim: Claim) -> None:
        with self._writing() as write:
            article = _one(write.conn, "SELECT seq FROM articles WHERE id = %s", (claim.article_id,))
            if article is None:
                raise NotFound("article", claim.article_id)
            if _one(write.conn, "SELECT 1 FROM claims WHERE article_id = %s AND id = %s",
                    (claim.article_id, claim.id)) is not None:  # fmt: skip
                raise DuplicateClaim(claim.id)
            [seq] = _next_orders(write.conn, "claim_order", 1)
            write.conn.execute(_INSERT_CLAIM, claim_row(claim, seq, article[0]))
            _refresh_article_counts(write.conn, [claim.article_id])
            write.changed = True

    def get_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._connection() as conn:
            row = _one(conn, "SELECT record::text FROM claims WHERE article_id = %s AND id = %s",
                       (article_id, claim_id))  # fmt: skip
            if row is None:
                _require_article(conn, article_id)
                raise NotFound("claim", claim_id)
        return Claim.model_validate_json(row[0])

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        with self._writing() as write:
            current = _locked_claim(write.conn, article_id, claim_id)
            updated = edit(current)
            row = claim_row(updated, 0, 0)
            values = [value for name, value in zip(CLAIM_COLUMNS, row, strict=True) if name in CLAIM_UPDATED]
            # Optimistic concurrency as on every backend: `edit` refused a stale version already; the
            # version condition keeps any other writer's change from being overwritten all the same.
            cursor = write.conn.execute(_UPDATE_CLAIM, [*values, article_id, claim_id, current.version])
            if cursor.rowcount != 1:
                raise StoreError(f"claim {claim_id} changed while it was being saved; save it again")
            _refresh_article_counts(write.conn, [article_id])
            write.changed = True
            return updated

    def delete_claim(self, article_id: str, claim_id: str, *, by: str) -> Claim:
        with self._writing() as write:
            claim = _locked_claim(write.conn, article_id, claim_id)
            write.conn.execute("DELETE FROM claims WHERE article_id = %s AND id = %s", (article_id, claim_id))
            deletion = Deletion(
                kind=DeletionKind.CLAIM, id=claim_id, article_id=article_id, by=by, at=utc_now(), claim=claim
            )
            _add_deletions(write.conn, [deletion])
            _refresh_article_counts(write.conn, [article_id])
            write.changed = True
            return claim

    def list_claims(self, article_id: str | None = None) -> list[Claim]:
        with self._connection() as conn:
            if article_id is None:
                rows = conn.execute("SELECT record::text FROM claims ORDER BY article_seq, seq").fetchall()
            else:
                rows = conn.execute(
                    "SELECT record::text FROM claims WHERE article_id = %s ORDER BY seq", (article_id,)
                ).fetchall()
                if not rows:
                    _require_article(conn, article_id)
        return _CLAIMS.validate_json(_json_list(rows))

    def list_deletions(self) -> list[Deletion]:
        with self._connection() as conn:
            rows = conn.execute("SELECT record::text FROM deletions ORDER BY at, kind, id, seq").fetchall()
        return _DELETIONS.validate_json(_json_list(rows))

    def documents(self) -> StoreDocuments:
        with self._reading() as conn:
            # Each record's JSON as the code wrote it, parsed once here (no model round trip).
            articles = conn.execute("SELECT record::text FROM articles ORDER BY seq").fetchall()
            claims = conn.execute("SELECT record::text FROM claims ORDER BY article_seq, seq").fetchall()
            decisions = conn.execute(
                "SELECT d.record::text FROM decisions d JOIN articles a ON a.id = d.article_id"
                " ORDER BY a.seq, d.seq"
            ).fetchall()
            deletions = conn.execute(
                "SELECT record::text FROM deletions ORDER BY at, kind, id, seq"
            ).fetchall()
        return StoreDocuments(
            articles=json.loads(_json_list(articles)),
            claims=json.loads(_json_list(claims)),
            decisions=json.loads(_json_list(decisions)),
            deletions=json.loads(_json_list(deletions)),
        )

    def merge(
        self,
        articles: Iterable[Article],
        claims: Iterable[Claim],
        decisions: Iterable[SuggestionDecision] = (),
        deletions: Iterable[Deletion] = (),
    ) -> MergeReport:
        articles, claims = list(articles), list(claims)
        decisions, deletions = list(decisions), list(deletions)
        report = MergeReport()
        winners = claim_winners(claims)
        with self._writing() as write:
            conn = write.conn
            # Every check, and every decision, against the store as it is now, before anything is written.
            wanted = (
                {a.id for a in articles} | {c.article_id for c in claims} | {d.article_id for d in decisions}
            )
            stored_articles = {
                row[0]: (row[1], row[2])
                for row in conn.execute(
                    "SELECT id, seq, record->>'text' FROM articles WHERE id = ANY(%s)", (list(wanted),)
                )
            }
            new = check_merge(
                articles, lambda article_id: stored_articles.get(article_id, (0, None))[1], claims, decisions
            )
            report.articles.added = len(new)
            report.articles.skipped = len(articles) - len(new)
            stored = _stored_claims(
                conn, [claim for claim in winners.values() if claim.article_id not in new]
            )
            written = count_claims(report, claims, {claim.id: stored.get(claim.id) for claim in claims})
            by_article: dict[str, list[SuggestionDecision]] = {}
            for decision in decisions:
                by_article.setdefault(decision.article_id, []).append(decision)
            existing = _stored_decisions(
                conn, [article_id for article_id in by_article if article_id not in new]
            )
            fresh = [
                added
                for article_id, incoming in by_article.items()
                for added in new_records(incoming, existing.get(article_id, []), report.decisions)
            ]
            digests = [deletion_digest(deletion) for deletion in deletions]
            known = conn.execute(
                "SELECT record::text FROM deletions WHERE digest = ANY(%s)", (digests,)
            ).fetchall()
            gone = new_records(deletions, _DELETIONS.validate_json(_json_list(known)), report.deletions)
            if not (new or written or fresh or gone):
                return report

            article_orders = _next_orders(conn, "article_order", len(new))
            _copy(conn, "articles", ARTICLE_COLUMNS, map(article_row, new.values(), article_orders))
            article_seq = {article_id: seq for article_id, (seq, _) in stored_articles.items()}
            article_seq.update(zip(new, article_orders, strict=True))
            added = [claim_id for claim_id in written if claim_id not in stored]
            claim_orders = _next_orders(conn, "claim_order", len(added))
            _copy(
                conn,
                "claims",
                CLAIM_COLUMNS,
                (
                    claim_row(winners[claim_id], seq, article_seq[winners[claim_id].article_id])
                    for claim_id, seq in zip(added, claim_orders, strict=True)
                ),
            )
            for claim_id in written:
                if claim_id in stored:  # an update keeps the claim's place in its article
                    claim = winners[claim_id]
                    row = claim_row(claim, 0, 0)
                    values = [v for name, v in zip(CLAIM_COLUMNS, row, strict=True) if name in CLAIM_UPDATED]
                    conn.execute(
                        _UPDATE_CLAIM, [*values, claim.article_id, claim_id, stored[claim_id].version]
                    )
            _copy(conn, "decisions", DECISION_COLUMNS, map(decision_row, fresh))
            _add_deletions(conn, gone)
            _refresh_article_counts(conn, sorted({winners[claim_id].article_id for claim_id in written}))
            write.changed = True
        return report

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        decisions = list(decisions)
        for decision in decisions:
            if decision.article_id != article_id:
                raise InvalidClaim("article_id", decision.article_id, f"recorded under article {article_id}")
        with self._writing() as write:
            _require_article(write.conn, article_id)
            _copy(write.conn, "decisions", DECISION_COLUMNS, map(decision_row, decisions))
            write.changed = True

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]:
        with self._connection() as conn:
            if article_id is None:
                rows = conn.execute(
                    "SELECT d.record::text FROM decisions d JOIN articles a ON a.id = d.article_id"
                    " ORDER BY a.seq, d.seq"
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT record::text FROM decisions WHERE article_id = %s ORDER BY seq", (article_id,)
                ).fetchall()
                if not rows:
                    _require_article(conn, article_id)
        return _DECISIONS.validate_json(_json_list(rows))

    # -- changes

    def revision(self) -> str:
        with self._connection() as conn:
            row = _one(conn, "SELECT revision FROM store_state", ())
        return str(row[0]) if row else ""

    def storage_problems(self) -> list[str]:
        return []  # the server keeps its own files; a failed transaction leaves nothing behind


class _Write:
    """The connection of a writing transaction, and whether the transaction changed anything."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.changed = False


def _one(conn: Connection, query: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    return conn.execute(query.encode("utf-8"), params).fetchone()


def _json_list(rows: Sequence[tuple[Any, ...]]) -> str:
    """Rows whose first column is a record's JSON text, as one JSON list (validated in one call)."""
    return "[" + ",".join(row[0] for row in rows) + "]"


def _require_article(conn: Connection, article_id: str) -> None:
    if _one(conn, "SELECT 1 FROM articles WHERE id = %s", (article_id,)) is None:
        raise NotFound("article", article_id)


def _locked_claim(conn: Connection, article_id: str, claim_id: str) -> Claim:
    row = _one(conn, "SELECT record::text FROM claims WHERE article_id = %s AND id = %s FOR UPDATE",
               (article_id, claim_id))  # fmt: skip
    if row is None:
        _require_article(conn, article_id)
        raise NotFound("claim", claim_id)
    return Claim.model_validate_json(row[0])


def _next_orders(conn: Connection, sequence: str, count: int) -> list[int]:
    """`count` new listing places, ascending (writes are serialised, so they follow every earlier one)."""
    if count == 0:
        return []
    rows = conn.execute(
        sql.SQL("SELECT nextval({}) FROM generate_series(1, %s)").format(sql.Literal(sequence)), (count,)
    ).fetchall()
    return sorted(int(row[0]) for row in rows)


def _copy(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows with COPY: one round trip however many there are."""
    with conn.cursor() as cursor, cursor.copy(_copy_statement(table, columns)) as copy:
        for row in rows:
            copy.write_row(row)


def _add_deletions(conn: Connection, deletions: Sequence[Deletion]) -> None:
    _copy(conn, "deletions", DELETION_COLUMNS, map(deletion_row, deletions))


def _stored_claims(conn: Connection, claims: Sequence[Claim]) -> dict[str, Claim]:
    """The stored copies of these claims (by article and id) that exist, by claim id."""
    if not claims:
        return {}
    rows = conn.execute(
        "SELECT c.record::text FROM claims c JOIN unnest(%s::text[], %s::text[]) AS k (article_id, id)"
        " ON c.article_id = k.article_id AND c.id = k.id",
        ([claim.article_id for claim in claims], [claim.id for claim in claims]),
    ).fetchall()
    return {claim.id: claim for claim in _CLAIMS.validate_json(_json_list(rows))}


def _stored_decisions(conn: Connection, article_ids: Sequence[str]) -> dict[str, list[SuggestionDecision]]:
    if not article_ids:
        return {}
    rows = conn.execute(
        "SELECT record::text FROM decisions WHERE article_id = ANY(%s) ORDER BY seq", (list(article_ids),)
    ).fetchall()
    found: dict[str, list[SuggestionDecision]] = {}
    for decision in _DECISIONS.validate_json(_json_list(rows)):
        found.setdefault(decision.article_id, []).append(decision)
    return found


def _refresh_article_counts(conn: Connection, article_ids: Sequence[str]) -> None:
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
        "   ORDER BY article_id, updated_at DESC, id"
        " ) AS s ON s.article_id = k.id"
        " WHERE a.id = k.id",
        (list(article_ids), list(article_ids)),
    )
