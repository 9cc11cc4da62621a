"""Prints JSON: the PostgreSQL backend at 100,000 and 1,000,000 claims (20 per article): claim saves,
the queries the pages make, and the revision check every rerun makes.

Needs a server: run it beside a throw-away one, with PostgreSQL's durable defaults (fsync on), as
`python tests/postgres_server.py --durable python benchmarks/bench_postgres.py` (what `make bench` does).
Each size is built in a database of its own with `merge` (one transaction per batch of articles).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import psycopg
from bench_store import CLAIMS_PER_ARTICLE, make_article, make_claim, summarise
from psycopg import sql

from claims.annotations import apply_changes
from claims.models import (
    ArticleQuery,
    ArticleSort,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimQuery,
    ClaimStatus,
    utc_now,
)
from claims.store.postgres import PostgresRepository

SERVER_VARIABLE = "CLAIMS_TEST_POSTGRES"
SIZES = (100_000, 1_000_000)
BUILD_BATCH = 500  # articles per merge: 10,000 claims per transaction


def database(server: str, name: str) -> str:
    """A new empty database `name` on the server (replacing one of that name); returns its URL."""
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(server)._replace(path="/" + name))


def build(repo: PostgresRepository, n_claims: int, seed: int = 1) -> tuple[list[tuple[str, str]], float]:
    """`n_claims` claims merged batch by batch; returns (article id, claim id) of each, and the seconds."""
    rng = random.Random(seed)
    keys: list[tuple[str, str]] = []
    n_articles = max(1, n_claims // CLAIMS_PER_ARTICLE)
    started = time.perf_counter()
    for first in range(0, n_articles, BUILD_BATCH):
        articles = [make_article(i, rng) for i in range(first, min(first + BUILD_BATCH, n_articles))]
        claims = [make_claim(a, rng) for a in articles for _ in range(CLAIMS_PER_ARTICLE)]
        repo.merge(articles, claims)
        keys += [(claim.article_id, claim.id) for claim in claims]
    return keys, time.perf_counter() - started


def median_ms(action: Callable[[], object], rounds: int) -> float:
    action()  # the first call warms the pool and the server's caches
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def save_timings(
    repo: PostgresRepository, keys: list[tuple[str, str]], samples: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `samples` saves (update_claim) of random claims."""
    rng = random.Random(7)
    versions: dict[tuple[str, str], int] = {}
    wall, cpu = [], []
    for number in range(samples):
        key = rng.choice(keys)
        version = versions.get(key, 1)
        edit = apply_changes(ClaimChanges(notes=f"checked {number}"), version, by="bench")
        started, started_cpu = time.perf_counter(), time.process_time()
        repo.update_claim(*key, edit)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        versions[key] = version + 1
    return wall, cpu


def bulk_change(repo: PostgresRepository, status: ClaimStatus, to: ClaimStatus) -> dict[str, object]:
    """Seconds for one bulk status change of every claim with `status` (a sixth of the store), as the
    Claims page's "all claims matching the filter" makes it: one update_claims call, one transaction."""

    def edit(claim: Claim) -> Claim:
        return claim.model_copy(
            update={
                "status": to,
                "updated_by": "bench",
                "updated_at": utc_now(),
                "version": claim.version + 1,
            }
        )

    started = time.perf_counter()
    outcome = repo.update_claims(ClaimFilter(statuses={status}), edit)
    return {
        "bulk_status_change_seconds": round(time.perf_counter() - started, 2),
        "bulk_changed": len(outcome.applied),
    }


def measure(server: str, n_claims: int, rounds: int, samples: int) -> dict[str, object]:
    url = database(server, f"claims_bench_{n_claims}")
    repo = PostgresRepository(url)
    try:
        keys, build_seconds = build(repo, n_claims)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # as autovacuum would have by the time a desk uses it
        needs_review = ClaimFilter(statuses={ClaimStatus.NEEDS_REVIEW})

        def page(**fields: object) -> Callable[[], object]:
            return lambda: repo.query_claims(ClaimQuery.model_validate(fields))

        figures: dict[str, object] = {
            "claims": n_claims,
            "articles": max(1, n_claims // CLAIMS_PER_ARTICLE),
            "build_seconds": round(build_seconds, 1),
            "save_update_claim": summarise(*save_timings(repo, keys, samples)),
            "query_claims_first_page_ms": median_ms(page(), rounds),
            "query_claims_status_filter_ms": median_ms(page(filter=needs_review), rounds),
            "query_claims_status_sort_ms": median_ms(page(sort="status"), rounds),
            "query_claims_text_filter_common_ms": median_ms(page(filter=ClaimFilter(text="Budget")), rounds),
            "query_claims_text_filter_rare_ms": median_ms(
                page(filter=ClaimFilter(text="no such words")), rounds
            ),
            "query_claims_title_filter_ms": median_ms(page(filter=ClaimFilter(title="article 4242")), rounds),
            "query_claims_page_at_half_ms": median_ms(page(offset=n_claims // 2), rounds),
            "count_claims_by_status_ms": median_ms(lambda: repo.count_claims_by("status"), rounds),
            "count_claims_by_status_filtered_ms": median_ms(
                lambda: repo.count_claims_by("status", needs_review), rounds
            ),
            "query_articles_first_page_ms": median_ms(lambda: repo.query_articles(ArticleQuery()), rounds),
            "query_articles_by_claims_ms": median_ms(
                lambda: repo.query_articles(ArticleQuery(sort=ArticleSort.CLAIMS_DESC)), rounds
            ),
            "query_articles_text_ms": median_ms(
                lambda: repo.query_articles(ArticleQuery(text="article 4242")), rounds
            ),
            "revision_ms": median_ms(repo.revision, rounds * 10),
        }
        started = time.perf_counter()
        repo.documents()  # what a whole-store export reads, in one snapshot
        figures["documents_seconds"] = round(time.perf_counter() - started, 2)
        figures.update(bulk_change(repo, ClaimStatus.NEEDS_REVIEW, ClaimStatus.APPROVED))
        return figures
    finally:
        repo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=15, help="repeats of each query (the median is kept)")
    parser.add_argument("--samples", type=int, default=300, help="claim saves timed per size")
    options = parser.parse_args()
    server = os.environ.get(SERVER_VARIABLE, "").strip()
    if not server:
        sys.exit(f"{SERVER_VARIABLE} is not set: run this through tests/postgres_server.py --durable")
    results = {str(size): measure(server, size, options.rounds, options.samples) for size in options.sizes}
    print(json.dumps({"postgres": results}, indent=2))


if __name__ == "__main__":
    main()
