"""What only the PostgreSQL backend has: migrations, several app servers on one database, a server that
fails mid-transaction, and the messages when it cannot be reached (its contract: test_repository.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from postgres_support import Databases, database_url
from records_support import build_article, build_claim

from claims.annotations import apply_changes
from claims.errors import StoreError, VersionConflict
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimQuery,
    ClaimStatus,
    Comment,
    FactCheckGroup,
    KnownFactCheck,
    Verdict,
)
from claims.store import open_repository
from claims.store.postgres import PostgresRepository
from claims.store.postgres.rows import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    SEARCH_COLUMNS,
    article_row,
    claim_row,
    search_row,
)
from claims.store.postgres.schema import LATEST, migrate
from claims.store.postgres.statements import copy_rows

ArticleMaker = Callable[..., Article]
ClaimMaker = Callable[..., Claim]

# Another process may hold this test's advisory lock key only by accident: it is not the migration lock.
HOLD_KEY = 4242


@pytest.fixture
def empty_url(postgres_databases: Databases) -> Iterator[str]:
    """A new database that no claim annotator has opened."""
    url = postgres_databases.create(migrated=False)
    yield url
    postgres_databases.drop(url)


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresRepository]:
    repository = PostgresRepository(postgres_url)
    yield repository
    repository.close()


def applied_migrations(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


# -- migrations


def test_opening_an_empty_database_creates_the_latest_schema(empty_url: str) -> None:
    PostgresRepository(empty_url).close()
    assert applied_migrations(empty_url) == list(range(1, LATEST + 1))
    assert LATEST == 5


def test_a_database_at_schema_1_is_upgraded_on_opening_and_keeps_its_data(
    empty_url: str, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    article = make_article(title="Hafenmauer ÜBER alles")
    claim = make_claim(article, "4 million euros", claimant="The Council", status="needs_review")
    with psycopg.connect(empty_url, autocommit=True) as conn:
        assert migrate(conn, "the test database", upto=1) == 1
        # Rows as the code of schema 1 wrote them: its columns only.
        conn.execute(
            "INSERT INTO articles (id, seq, title, imported_at, sentence_count, summary, record)"
            " VALUES (%s, nextval('article_order'), %s, %s, %s, %s, %s)",
            (article.id, article.title, article.imported_at, article.sentence_count,
             article.summary().model_dump_json(), article.model_dump_json()),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO claims (article_id, id, seq, article_seq, version, status, verdict, claim_type,"
            " claimant, start, created_at, updated_at, updated_by, record) SELECT %s, %s,"
            " nextval('claim_order'), seq, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s FROM articles",
            (claim.article_id, claim.id, claim.version, claim.status, claim.verdict, claim.claim_type,
             claim.claimant, claim.start, claim.created_at, claim.updated_at, claim.updated_by,
             claim.model_dump_json()),
        )  # fmt: skip
    assert applied_migrations(empty_url) == [1]

    store = PostgresRepository(empty_url)
    try:
        assert applied_migrations(empty_url) == list(range(1, LATEST + 1))
        assert store.get_article(article.id) == article
        assert store.list_claims() == [claim]
        with psycopg.connect(empty_url) as conn:
            # The derived columns of schemas 2 and 3 were filled for the rows schema 1 left.
            derived = conn.execute(
                "SELECT status_rank, claimant_key, search"
                " FROM claims JOIN claim_search USING (article_id, id)"
            ).fetchall()
            counted = conn.execute("SELECT title_key, claim_count FROM articles").fetchall()
        assert derived == [(2, "the council", "4 million euros\nthe council")]
        assert counted == [("hafenmauer über alles", 1)]
        # And the upgraded store goes on working.
        updated = store.update_claim(
            article.id, claim.id, apply_changes(ClaimChanges(verdict=Verdict.TRUE), 1, by="bo")
        )
        assert store.get_claim(article.id, claim.id) == updated
    finally:
        store.close()


def test_a_database_at_schema_3_is_upgraded_with_its_claims_workflow_columns_filled(
    empty_url: str, make_article: ArticleMaker
) -> None:
    article = make_article()
    rated = build_claim(article, "4 million euros", by="ana", verdict="false", status="needs_review")
    when = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    rated = rated.model_copy(
        update={
            "rated_at": when,
            "status_since": when,
            "comments": [Comment(id="k1", by="cy", at=when, text="@bo have a look", mentions=["bo"])],
        }
    )
    published = build_claim(article, "Mayor Jan Peeters", by="bo", verdict="true", status="published")
    published = published.model_copy(
        update={"approved_by": "ana", "approved_at": when, "published_by": "cy", "published_at": when}
    )
    old_columns = CLAIM_COLUMNS[: CLAIM_COLUMNS.index("rated_by")]  # what schema 3 has
    with psycopg.connect(empty_url, autocommit=True) as conn:
        assert migrate(conn, "the test database", upto=3) == 3
        with conn.transaction():
            copy_rows(conn, "articles", ARTICLE_COLUMNS, [article_row(article, 1)])
            copy_rows(
                conn,
                "claims",
                old_columns,
                [claim_row(claim, n, 1)[: len(old_columns)] for n, claim in enumerate([rated, published])],
            )
            copy_rows(conn, "claim_search", SEARCH_COLUMNS, [search_row(rated), search_row(published)])

    store = PostgresRepository(empty_url)
    try:
        assert applied_migrations(empty_url) == list(range(1, LATEST + 1))
        with psycopg.connect(empty_url) as conn:
            filled = conn.execute(
                "SELECT id, rated_by, rated_at, approved_at, published_at, status_since, mentions FROM claims"
                " ORDER BY seq"
            ).fetchall()
        assert filled == [
            (rated.id, "ana", when, None, None, when, ["bo"]),
            (published.id, "bo", published.rated_at, when, when, published.status_since, []),
        ]
        assert {c.id for c in store.query_claims(ClaimQuery(filter=ClaimFilter(mine="bo"))).claims} == {
            rated.id
        }
        assert store.count_claims_by("published_week") == {"": 1, "2026-W49": 1}
    finally:
        store.close()


def test_a_database_at_schema_4_is_upgraded_keeping_its_claims_and_takes_fact_checks(
    empty_url: str, make_article: ArticleMaker
) -> None:
    article = make_article()
    with psycopg.connect(empty_url, autocommit=True) as conn:
        assert migrate(conn, "the test database", upto=4) == 4
    with psycopg.connect(empty_url, autocommit=True) as conn, conn.transaction():
        copy_rows(conn, "articles", ARTICLE_COLUMNS, [article_row(article, 1)])
        conn.execute("UPDATE store_state SET revision = 7")
    store = PostgresRepository(empty_url)
    try:
        assert applied_migrations(empty_url) == list(range(1, LATEST + 1))
        assert [summary.id for summary in store.list_articles()] == [article.id]
        assert store.list_factchecks() == [] and store.factcheck_revision() == "0"
        assert store.revision() == "7"
        store.add_factchecks([KnownFactCheck(id="fc1", claim="Crime doubled", publisher="AFP")])
        assert store.factcheck_revision() == "1" and store.revision() == "8"
        assert store.count_factchecks_by(FactCheckGroup.PUBLISHER) == {"AFP": 1}
    finally:
        store.close()


def test_a_fact_check_import_the_server_refuses_part_way_stores_nothing(store: PostgresRepository) -> None:
    kept = KnownFactCheck(id="fc1", claim="Crime doubled")
    store.add_factchecks([kept])
    revision = store.factcheck_revision()
    changed = kept.model_copy(update={"claim": "Crime tripled"})
    refused = KnownFactCheck(id="fc\x00nul", claim="PostgreSQL text cannot hold NUL")
    with pytest.raises(StoreError):
        store.add_factchecks([changed, KnownFactCheck(id="fc2", claim="new"), refused])
    assert store.list_factchecks() == [kept]
    assert store.factcheck_revision() == revision


def test_a_database_with_a_newer_schema_is_refused_with_a_clear_message(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (%s, 'from_the_future')", (LATEST + 1,)
        )
    with pytest.raises(StoreError, match=f"schema is version {LATEST + 1}, newer than .* upgrade the claim"):
        PostgresRepository(postgres_url)
    assert applied_migrations(postgres_url)[-1] == LATEST + 1  # nothing was changed


def test_a_database_at_the_latest_schema_opens_in_a_read_only_session(postgres_url: str) -> None:
    """As on a hot standby: opening a current database must not lock or create anything."""
    writer = PostgresRepository(postgres_url)
    writer.add_article(build_article())
    writer.close()
    separator = "&" if "?" in postgres_url else "?"
    read_only = f"{postgres_url}{separator}options=-c%20default_transaction_read_only%3Don"
    reader = PostgresRepository(read_only)
    try:
        assert [summary.id for summary in reader.list_articles()] == ["harbour"]
        assert reader.query_claims(ClaimQuery()).total == 0
        with pytest.raises(StoreError):
            reader.add_article(build_article("another"))
    finally:
        reader.close()


def test_app_servers_starting_at_once_apply_each_migration_once(empty_url: str) -> None:
    opener = (
        "import sys; from claims.store.postgres import PostgresRepository; "
        "PostgresRepository(sys.argv[1]).close()"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", opener, empty_url], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert applied_migrations(empty_url) == list(range(1, LATEST + 1))


# -- several app servers on one database


def test_a_write_through_one_server_is_seen_by_another_at_its_next_read(
    postgres_url: str, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    first, second = PostgresRepository(postgres_url), open_repository(postgres_url)
    assert isinstance(second, PostgresRepository)
    try:
        seen = second.revision()
        article = make_article()
        first.add_article(article)
        claim = make_claim(article, "4 million euros")
        first.add_claim(claim)
        assert second.revision() != seen
        assert second.list_claims() == [claim]
        seen = second.revision()
        second.update_claim(article.id, claim.id, apply_changes(ClaimChanges(notes="checked"), 1, by="bo"))
        assert first.revision() == second.revision() != seen
        assert first.get_claim(article.id, claim.id).notes == "checked"
    finally:
        first.close()
        second.close()


def test_two_servers_saving_one_claim_at_once_one_wins_and_the_other_gets_a_conflict(
    postgres_url: str, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    servers = [PostgresRepository(postgres_url), PostgresRepository(postgres_url)]
    article = make_article()
    servers[0].add_article(article)
    claim = make_claim(article, "4 million euros")
    servers[0].add_claim(claim)
    both_editing = threading.Barrier(2)
    outcomes: dict[str, Claim | VersionConflict] = {}

    def save(server: PostgresRepository, editor: str, status: ClaimStatus) -> None:
        edit = apply_changes(ClaimChanges(status=status), claim.version, by=editor, opened=claim)

        def racing(current: Claim) -> Claim:
            return edit(current)

        both_editing.wait()
        try:
            outcomes[editor] = server.update_claim(article.id, claim.id, racing)
        except VersionConflict as conflict:
            outcomes[editor] = conflict

    threads = [
        threading.Thread(target=save, args=(servers[0], "ana", ClaimStatus.IN_PROGRESS)),
        threading.Thread(target=save, args=(servers[1], "bo", ClaimStatus.DROPPED)),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        winners = [outcome for outcome in outcomes.values() if isinstance(outcome, Claim)]
        conflicts = [outcome for outcome in outcomes.values() if isinstance(outcome, VersionConflict)]
        assert len(winners) == 1 and len(conflicts) == 1
        [winner], [conflict] = winners, conflicts
        assert conflict.changed_by == winner.updated_by and conflict.changed_fields == ["status"]
        assert servers[1].get_claim(article.id, claim.id) == winner
        assert winner.version == 2
    finally:
        for server in servers:
            server.close()


# -- failures


def test_a_connection_killed_mid_merge_leaves_nothing_half_written(
    store: PostgresRepository, postgres_url: str, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    articles = [make_article(f"article-{n}") for n in range(3)]
    claims = [make_claim(article, "harbour wall") for article in articles]
    before = store.revision()
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        # The merge stops inside its claims insert (its articles already written) until this test lets go.
        admin.execute(
            "CREATE FUNCTION wait_for_the_test() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN PERFORM pg_advisory_xact_lock({HOLD_KEY}); RETURN NULL; END $$"
        )
        admin.execute(
            "CREATE TRIGGER held AFTER INSERT ON claims"
            " FOR EACH STATEMENT EXECUTE FUNCTION wait_for_the_test()"
        )
        admin.execute("SELECT pg_advisory_lock(%s)", (HOLD_KEY,))
        failures: list[BaseException] = []

        def merging() -> None:
            try:
                store.merge(articles, claims)
            except BaseException as error:  # the thread reports what the merge raised
                failures.append(error)

        merge = threading.Thread(target=merging)
        merge.start()
        deadline = time.monotonic() + 60
        while True:
            waiting = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
            ).fetchall()
            if waiting or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert len(waiting) == 1, "the merge never reached its claims"
        admin.execute("SELECT pg_terminate_backend(%s)", (waiting[0][0],))
        merge.join(timeout=60)
        admin.execute("SELECT pg_advisory_unlock(%s)", (HOLD_KEY,))
        admin.execute("DROP TRIGGER held ON claims")

    assert len(failures) == 1 and isinstance(failures[0], StoreError)
    assert "PostgreSQL database" in str(failures[0])
    assert store.list_articles() == [] and store.list_claims() == []
    assert store.revision() == before
    # The pool replaced the killed connection: the same repository goes on working.
    assert store.merge(articles, claims).claims.added == 3


def test_an_unreachable_server_is_a_store_error_naming_it_without_the_password() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1\b") as raised:
        PostgresRepository("postgresql://ana:s3cret-pw@127.0.0.1:1/claims")
    assert "s3cret-pw" not in str(raised.value)
    assert "'claims'" in str(raised.value)


def test_a_database_that_does_not_exist_is_a_store_error_naming_it(postgres_databases: Databases) -> None:
    url = database_url(postgres_databases.server, "no_such_claims_database")
    with pytest.raises(StoreError, match="'no_such_claims_database'.*does not exist"):
        PostgresRepository(url)


def test_a_malformed_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not a valid postgresql:// URL"):
        PostgresRepository("postgresql://host:port-is-not-a-number/claims?sslmode")


def test_the_location_names_the_database_without_the_password(postgres_url: str) -> None:
    store = PostgresRepository(postgres_url.replace("postgres@", "postgres:pw-not-needed@"))
    try:
        assert store.location.startswith("postgresql://postgres@")
        assert "pw-not-needed" not in store.location
    finally:
        store.close()


# -- big writes


def test_a_bulk_edit_of_many_claims_writes_every_one_in_one_transaction(
    store: PostgresRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    sentences = [f"Claim {n} counts {n * 3} boats." for n in range(150)]
    article = make_article("fleet", sentences)
    claims = [make_claim(article, f" {n * 3} boats") for n in range(150)]
    store.merge([article], claims)
    before = store.revision()

    def approve(claim: Claim) -> Claim:
        return claim.model_copy(update={"status": ClaimStatus.APPROVED, "version": claim.version + 1})

    outcome = store.update_claims(ClaimFilter(article_ids={article.id}), approve)

    assert len(outcome.applied) == 150  # more than go one statement each: through COPY
    assert store.list_claims() == [approve(claim) for claim in claims]
    assert store.count_claims_by("status") == {"approved": 150}
    assert int(store.revision()) == int(before) + 1


def test_text_with_nul_characters_is_kept_in_the_record(
    store: PostgresRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    article = make_article()
    store.add_article(article)
    claim = make_claim(article, "4 million euros", notes="=1+1\x00 hidden")
    store.add_claim(claim)
    assert store.get_claim(article.id, claim.id) == claim
    found = store.query_claims(ClaimQuery(filter=ClaimFilter(text="1+1 hidden")))
    assert found.claims == [claim]  # the search key drops NUL; the record keeps it


def test_editing_a_claims_text_moves_it_between_text_filters(
    store: PostgresRepository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    article = make_article()
    store.add_article(article)
    claims = [
        make_claim(article, quote, notes="first draft") for quote in ("4 million euros", "harbour wall")
    ]
    store.merge([], claims)

    def found(text: str) -> list[str]:
        return [claim.id for claim in store.query_claims(ClaimQuery(filter=ClaimFilter(text=text))).claims]

    store.update_claim(
        article.id, claims[0].id, apply_changes(ClaimChanges(notes="Tender Papers"), 1, by="bo")
    )
    assert found("tender papers") == [claims[0].id]
    store.update_claims(ClaimFilter(), apply_changes(ClaimChanges(notes="Budget annex"), 1, by="bo"))
    assert found("budget annex") == [claims[1].id]  # the first one was refused: it is at version 2
    store.merge([], [claims[0].model_copy(update={"notes": "merged in", "version": 5})])
    assert found("merged in") == [claims[0].id] and found("tender") == []
    assert found("first draft") == []
