"""The PostgreSQL backend: a store several app servers share, each change one transaction.

Every writing transaction first locks the one row of store_state (so writes are serialised across every
app server, as the TinyDB lock serialises them across processes; reads never wait) and bumps its revision
when it changed something. Each record is stored as the JSON its model dumps, beside the columns queries
filter and sort on (rows.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout
from pydantic import TypeAdapter

from claims.errors import DuplicateClaim, InvalidClaim, NotFound, StoreError
from claims.models import (
    AppliedEdit,
    Article,
    ArticlePage,
    ArticleQuery,
    ArticleRow,
    ArticleSummary,
    ChangeOutcome,
    Claim,
    ClaimFilter,
    ClaimGroup,
    ClaimPage,
    ClaimQuery,
    ClaimSort,
    Deletion,
    DeletionKind,
    FactCheckCounts,
    FactCheckGroup,
    FactCheckPage,
    FactCheckQuery,
    KnownFactCheck,
    MergeReport,
    SuggestionDecision,
    utc_now,
)
from claims.store.contract import (
    ClaimEdit,
    StoreDocuments,
    check_merge,
    claim_winners,
    combined,
    count_claims,
    edit_each,
    factcheck_changes,
    new_records,
)
from claims.store.postgres.queries import (
    ARTICLE_ORDER,
    CLAIM_ORDER,
    article_filter,
    claim_filter,
    contains,
    group_column,
)
from claims.store.postgres.rows import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    DECISION_COLUMNS,
    FACTCHECK_COLUMNS,
    SEARCH_COLUMNS,
    article_row,
    claim_row,
    decision_row,
    deletion_digest,
    factcheck_row,
    search_row,
    utc,
)
from claims.store.postgres.schema import migrate
from claims.store.postgres.statements import (
    CLAIMS,
    DECISIONS,
    INSERT_CLAIM,
    Connection,
    add_deletions,
    copy_rows,
    json_list,
    locked_claim,
    next_orders,
    one,
    refresh_article_counts,
    require_article,
    stored_claims,
    stored_decisions,
    write_updates,
)

CONNECT_TIMEOUT_SECONDS = 10
# How long an operation waits for a free connection before it reports the server as unavailable.
POOL_TIMEOUT_SECONDS = 30.0

_ARTICLES = TypeAdapter(list[Article])
_SUMMARIES = TypeAdapter(list[ArticleSummary])
_DELETIONS = TypeAdapter(list[Deletion])
_FACTCHECKS = TypeAdapter(list[KnownFactCheck])
# What count_factchecks_by groups on: a column of rows.FACTCHECK_COLUMNS for each group.
_FACTCHECK_GROUPS = {
    FactCheckGroup.PUBLISHER: "publisher",
    FactCheckGroup.SOURCE_FILE: "source_file",
    FactCheckGroup.RATING: "rating",
}
_FACTCHECK_ORDER = "(date IS NULL), date DESC, id"


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
            if one(write.conn, "SELECT 1 FROM articles WHERE id = %s", (article.id,)) is not None:
                return False
            [seq] = next_orders(write.conn, "article_order", 1)
            copy_rows(write.conn, "articles", ARTICLE_COLUMNS, [article_row(article, seq)])
            write.changed = True
            return True

    def get_article(self, article_id: str) -> Article:
        with self._connection() as conn:
            row = one(conn, "SELECT record::text FROM articles WHERE id = %s", (article_id,))
        if row is None:
            raise NotFound("article", article_id)
        return Article.model_validate_json(row[0])

    def list_articles(self) -> list[ArticleSummary]:
        with self._connection() as conn:
            rows = conn.execute("SELECT summary::text FROM articles ORDER BY seq").fetchall()
        return _SUMMARIES.validate_json(json_list(rows))

    def delete_article(self, article_id: str, *, by: str) -> int:
        with self._writing() as write:
            deletion = Deletion(
                kind=DeletionKind.ARTICLE, id=article_id, article_id=article_id, by=by, at=utc_now()
            )
            counted = one(write.conn, "SELECT count(*) FROM claims WHERE article_id = %s", (article_id,))
            removed = write.conn.execute("DELETE FROM articles WHERE id = %s", (article_id,)).rowcount
            if removed == 0:
                raise NotFound("article", article_id)
            add_deletions(write.conn, [deletion])
            write.changed = True
            return int(counted[0]) if counted else 0

    # -- claims

    def add_claim(self, claim: Claim) -> None:
        with self._writing() as write:
            article = one(write.conn, "SELECT seq FROM articles WHERE id = %s", (claim.article_id,))
            if article is None:
                raise NotFound("article", claim.article_id)
            if one(write.conn, "SELECT 1 FROM claims WHERE article_id = %s AND id = %s",
                    (claim.article_id, claim.id)) is not None:  # fmt: skip
                raise DuplicateClaim(claim.id)
            [seq] = next_orders(write.conn, "claim_order", 1)
            write.conn.execute(INSERT_CLAIM, claim_row(claim, seq, article[0]))
            copy_rows(write.conn, "claim_search", SEARCH_COLUMNS, [search_row(claim)])
            refresh_article_counts(write.conn, [claim.article_id])
            write.changed = True

    def get_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._connection() as conn:
            row = one(conn, "SELECT record::text FROM claims WHERE article_id = %s AND id = %s",
                       (article_id, claim_id))  # fmt: skip
            if row is None:
                require_article(conn, article_id)
                raise NotFound("claim", claim_id)
        return Claim.model_validate_json(row[0])

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        with self._writing() as write:
            current = locked_claim(write.conn, article_id, claim_id)
            updated = edit(current)
            write_updates(write.conn, [AppliedEdit(before=current, after=updated)])
            refresh_article_counts(write.conn, [article_id])
            write.changed = True
            return updated

    def delete_claim(self, article_id: str, claim_id: str, *, by: str) -> Claim:
        with self._writing() as write:
            claim = locked_claim(write.conn, article_id, claim_id)
            write.conn.execute("DELETE FROM claims WHERE article_id = %s AND id = %s", (article_id, claim_id))
            deletion = Deletion(
                kind=DeletionKind.CLAIM, id=claim_id, article_id=article_id, by=by, at=utc_now(), claim=claim
            )
            add_deletions(write.conn, [deletion])
            refresh_article_counts(write.conn, [article_id])
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
                    require_article(conn, article_id)
        return CLAIMS.validate_json(json_list(rows))

    # -- queries (see queries.py)

    def query_claims(self, query: ClaimQuery) -> ClaimPage:
        source, params = claim_filter(query.filter)
        with self._reading() as conn:
            counted = one(conn, sql.SQL("SELECT count(*) {}").format(source), params)
            # The page's keys first, its records after: a sort no index serves ("My claims" longest
            # waiting first) then orders narrow rows, and only the page's records are read (a record
            # with its history is compressed; reading every matching one cost 3x the query at 10,000).
            rows = conn.execute(
                sql.SQL(
                    "WITH page AS (SELECT c.article_id, c.id {} ORDER BY {} LIMIT %s OFFSET %s)"
                    " SELECT c.record::text FROM page JOIN claims c USING (article_id, id) ORDER BY {}"
                ).format(source, CLAIM_ORDER[query.sort], CLAIM_ORDER[query.sort]),
                [*params, query.limit, query.offset],
            ).fetchall()
        return ClaimPage(
            claims=CLAIMS.validate_json(json_list(rows)), total=int(counted[0]) if counted else 0
        )

    def count_claims_by(self, group: ClaimGroup, chosen: ClaimFilter | None = None) -> dict[str, int]:
        source, params = claim_filter(chosen)
        column = group_column(group)
        with self._connection() as conn:
            rows = conn.execute(
                sql.SQL("SELECT coalesce({}, ''), count(*) {} GROUP BY 1").format(column, source), params
            ).fetchall()
        return {str(value): int(count) for value, count in rows}

    def query_articles(self, query: ArticleQuery) -> ArticlePage:
        where, params = article_filter(query)
        with self._reading() as conn:
            totals = conn.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(sum(sentence_count), 0), coalesce(sum(claim_count), 0)"
                    " FROM articles {}"
                ).format(where),
                params,
            ).fetchone()
            rows = conn.execute(
                sql.SQL(
                    "SELECT id, summary::text, claim_count, last_updated_by, last_updated_at FROM articles {}"
                    " ORDER BY {} LIMIT %s OFFSET %s"
                ).format(where, ARTICLE_ORDER[query.sort]),
                [*params, query.limit, query.offset],
            ).fetchall()
            by_status: dict[str, dict[str, int]] = {}
            for article_id, status, count in conn.execute(
                "SELECT article_id, status, count(*) FROM claims WHERE article_id = ANY(%s) GROUP BY 1, 2",
                ([row[0] for row in rows],),
            ):
                by_status.setdefault(article_id, {})[status] = int(count)
        summaries = _SUMMARIES.validate_json(json_list([row[1:] for row in rows]))
        page_rows = [
            ArticleRow(
                article=summary,
                claims=row[2],
                by_status=by_status.get(row[0], {}),
                last_updated_by=row[3],
                last_updated_at=utc(row[4]),
            )
            for summary, row in zip(summaries, rows, strict=True)
        ]
        total, sentences, claims = totals if totals else (0, 0, 0)
        return ArticlePage(rows=page_rows, total=total, sentences=sentences, claims=claims)

    def count_decisions(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        with self._connection() as conn:
            for claim_type, decision, count in conn.execute(
                "SELECT claim_type, decision, count(*) FROM decisions GROUP BY 1, 2"
            ):
                counts.setdefault(claim_type, {"accepted": 0, "rejected": 0})[decision] = int(count)
        return counts

    def update_claims(self, chosen: ClaimFilter, edit: ClaimEdit) -> ChangeOutcome:
        source, params = claim_filter(chosen)
        with self._writing() as write:
            # No row locks: the store's write lock keeps every other writer out until this commits (a
            # lock on each of many rows would write each of them once more), and the version condition
            # of every UPDATE still holds.
            rows = write.conn.execute(
                sql.SQL("SELECT c.record::text {} ORDER BY {}").format(
                    source, CLAIM_ORDER[ClaimSort.ARTICLE]
                ),
                params,
            ).fetchall()
            outcome = edit_each(CLAIMS.validate_json(json_list(rows)), edit)
            if outcome.applied:
                write_updates(write.conn, outcome.applied)
                refresh_article_counts(
                    write.conn, sorted({edited.before.article_id for edited in outcome.applied})
                )
                write.changed = True
        return outcome

    def list_deletions(self) -> list[Deletion]:
        with self._connection() as conn:
            rows = conn.execute("SELECT record::text FROM deletions ORDER BY at, kind, id, seq").fetchall()
        return _DELETIONS.validate_json(json_list(rows))

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
            factchecks = conn.execute("SELECT record::text FROM factchecks ORDER BY id").fetchall()
        return StoreDocuments(
            articles=json.loads(json_list(articles)),
            claims=json.loads(json_list(claims)),
            decisions=json.loads(json_list(decisions)),
            deletions=json.loads(json_list(deletions)),
            factchecks=json.loads(json_list(factchecks)),
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
            stored = stored_claims(conn, [claim for claim in winners.values() if claim.article_id not in new])
            written = count_claims(report, claims, {claim.id: stored.get(claim.id) for claim in claims})
            by_article: dict[str, list[SuggestionDecision]] = {}
            for decision in decisions:
                by_article.setdefault(decision.article_id, []).append(decision)
            existing = stored_decisions(
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
            gone = new_records(deletions, _DELETIONS.validate_json(json_list(known)), report.deletions)
            if not (new or written or fresh or gone):
                return report

            article_orders = next_orders(conn, "article_order", len(new))
            copy_rows(conn, "articles", ARTICLE_COLUMNS, map(article_row, new.values(), article_orders))
            article_seq = {article_id: seq for article_id, (seq, _) in stored_articles.items()}
            article_seq.update(zip(new, article_orders, strict=True))
            added = [claim_id for claim_id in written if claim_id not in stored]
            claim_orders = next_orders(conn, "claim_order", len(added))
            copy_rows(
                conn,
                "claims",
                CLAIM_COLUMNS,
                (
                    claim_row(winners[claim_id], seq, article_seq[winners[claim_id].article_id])
                    for claim_id, seq in zip(added, claim_orders, strict=True)
                ),
            )
            copy_rows(
                conn, "claim_search", SEARCH_COLUMNS, (search_row(winners[claim_id]) for claim_id in added)
            )
            # An update keeps the claim's place in its article, and the stored copy's history and comments.
            write_updates(
                conn,
                [
                    AppliedEdit(before=stored[c], after=combined(winners[c], stored[c]))
                    for c in written
                    if c in stored
                ],
            )
            copy_rows(conn, "decisions", DECISION_COLUMNS, map(decision_row, fresh))
            add_deletions(conn, gone)
            refresh_article_counts(conn, sorted({winners[claim_id].article_id for claim_id in written}))
            write.changed = True
        return report

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        decisions = list(decisions)
        for decision in decisions:
            if decision.article_id != article_id:
                raise InvalidClaim("article_id", decision.article_id, f"recorded under article {article_id}")
        with self._writing() as write:
            require_article(write.conn, article_id)
            copy_rows(write.conn, "decisions", DECISION_COLUMNS, map(decision_row, decisions))
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
                    require_article(conn, article_id)
        return DECISIONS.validate_json(json_list(rows))

    # -- known fact-checks (migration 0005)

    def add_factchecks(self, checks: Iterable[KnownFactCheck]) -> FactCheckCounts:
        checks = list(checks)
        with self._writing() as write:
            conn = write.conn
            ids = sorted({check.id for check in checks})
            rows = conn.execute("SELECT record::text FROM factchecks WHERE id = ANY(%s)", (ids,)).fetchall()
            stored = {check.id: check for check in _FACTCHECKS.validate_json(json_list(rows))}
            written, counts = factcheck_changes(checks, stored.get)
            if not written:
                return counts
            replaced = [check_id for check_id in written if check_id in stored]
            if replaced:
                conn.execute("DELETE FROM factchecks WHERE id = ANY(%s)", (replaced,))
            copy_rows(conn, "factchecks", FACTCHECK_COLUMNS, map(factcheck_row, written.values()))
            conn.execute("UPDATE store_state SET factcheck_revision = factcheck_revision + 1")
            write.changed = True
            return counts

    def list_factchecks(self) -> list[KnownFactCheck]:
        with self._connection() as conn:
            rows = conn.execute("SELECT record::text FROM factchecks ORDER BY id").fetchall()
        return _FACTCHECKS.validate_json(json_list(rows))

    def query_factchecks(self, query: FactCheckQuery) -> FactCheckPage:
        conditions: list[sql.Composable] = []
        params: list[object] = []
        if query.publisher is not None:
            conditions.append(sql.SQL("publisher = %s"))
            params.append(query.publisher)
        if needle := query.text.strip():
            conditions.append(sql.SQL("search LIKE %s"))
            params.append(contains(needle))
        where = sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
        with self._reading() as conn:
            counted = one(conn, sql.SQL("SELECT count(*) FROM factchecks {}").format(where), params)
            rows = conn.execute(
                sql.SQL("SELECT record::text FROM factchecks {} ORDER BY {} LIMIT %s OFFSET %s").format(
                    where, sql.SQL(_FACTCHECK_ORDER)
                ),
                [*params, query.limit, query.offset],
            ).fetchall()
        return FactCheckPage(
            rows=_FACTCHECKS.validate_json(json_list(rows)),
            total=int(counted[0]) if counted else 0,
            offset=query.offset,
        )

    def count_factchecks_by(self, group: FactCheckGroup) -> dict[str, int]:
        column = sql.Identifier(_FACTCHECK_GROUPS[group])
        with self._connection() as conn:
            rows = conn.execute(
                sql.SQL("SELECT {}, count(*) FROM factchecks GROUP BY 1").format(column)
            ).fetchall()
        return {str(value): int(count) for value, count in rows}

    def factcheck_revision(self) -> str:
        with self._connection() as conn:
            row = one(conn, "SELECT factcheck_revision FROM store_state", ())
        return str(row[0]) if row else ""

    # -- changes

    def revision(self) -> str:
        with self._connection() as conn:
            row = one(conn, "SELECT revision FROM store_state", ())
        return str(row[0]) if row else ""

    def storage_problems(self) -> list[str]:
        return []  # the server keeps its own files; a failed transaction leaves nothing behind


class _Write:
    """The connection of a writing transaction, and whether the transaction changed anything."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.changed = False
