"""Prints JSON: what the workflow's history costs at scale. The same store (20 claims an article) is built
twice, once with claims carrying no history or comments and once with ~6 history events and 2 comments
each, on TinyDB and (given a server) PostgreSQL; for each it measures a claim save (update_claim through
apply_changes), the Claims page's first page (100 claims, newest change first), the review queue ("My
claims" of one editor, longest waiting first), and the store's size (TinyDB: every file of the store;
PostgreSQL: the claims and claim_search tables with their indexes, after VACUUM). Medians, and the ratio
history / none.

    .venv/bin/python benchmarks/bench_history.py --claims 10000
    .venv/bin/python tests/postgres_server.py --durable .venv/bin/python benchmarks/bench_history.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from bench_store import CLAIMS_PER_ARTICLE, MERGE_BATCH, make_article, make_claim
from psycopg import sql

from claims.annotations import apply_changes
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimEvent,
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    Comment,
    Evidence,
    ValueChange,
)
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.postgres import PostgresRepository

SERVER_VARIABLE = "CLAIMS_TEST_POSTGRES"
EDITORS = ("ana", "bo", "cy", "Dana Ruiz")
T0 = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
PAGE = ClaimQuery(limit=100)
QUEUE = ClaimQuery(filter=ClaimFilter(mine="bo"), sort=ClaimSort.WAITING, limit=100)


def with_history(claim: Claim, rng: random.Random) -> Claim:
    """The claim as a desk leaves it after a check: 6 history events (creation, assignment, evidence,
    verdict and conclusion, review, a note) and 2 comments, one mentioning an editor."""
    by = rng.choice(EDITORS)
    other = rng.choice([name for name in EDITORS if name != by])
    at = [T0 + dt.timedelta(days=rng.randrange(90), minutes=15 * step) for step in range(6)]
    accessed = at[2].date()
    evidence = [
        Evidence(url="https://reuters.example/harbour-budget", title="Harbour budget annex",
                 publisher="Reuters", stance="refutes", accessed=accessed, note="Table 4 gives 2.1 million."),
        Evidence(url="https://apnews.example/port", title="Port authority statement", publisher="AP",
                 stance="supports", accessed=accessed),
    ]  # fmt: skip
    changes = [
        [ValueChange(field="status", old="new", new="in_progress"), ValueChange(field="assignee", new=by)],
        [ValueChange(field="evidence", old=[], new=[item.model_dump(mode="json") for item in evidence])],
        [ValueChange(field="verdict", old="unrated", new="false"),
         ValueChange(field="conclusion", old="", new="The wall cost 2.1 million euros, not 4 million.")],
        [ValueChange(field="status", old="in_progress", new="needs_review")],
        [ValueChange(field="notes", old=claim.notes, new=claim.notes + " Second source agrees.")],
    ]  # fmt: skip
    history = [
        ClaimEvent(version=1, by="bench", at=claim.created_at, changes=[]),
        *(ClaimEvent(version=n + 2, by=by, at=at[n], changes=c) for n, c in enumerate(changes)),
    ]
    comments = [
        Comment(id=f"{claim.id}-1", by=by, at=at[1], text=f"@{other} can you check the annex figures?",
                mentions=[other]),
        Comment(id=f"{claim.id}-2", by=other, at=at[4], text="Checked: table 4 says 2.1 million."),
    ]  # fmt: skip
    return claim.model_copy(
        update={
            "evidence": evidence,
            "assignee": by,
            "history": history,
            "comments": comments,
            "version": len(history),
            "rated_by": by,
            "rated_at": at[2],
            "status_since": at[3],
        }
    )


def without_history(claim: Claim, rng: random.Random) -> Claim:
    """The same claim (evidence, assignee, rater) without its history and comments: what they alone cost."""
    return with_history(claim, rng).model_copy(update={"history": [], "comments": []})


def batches(n_claims: int, history: bool, seed: int = 1) -> Iterator[tuple[list[Article], list[Claim]]]:
    rng = random.Random(seed)
    n_articles = max(1, n_claims // CLAIMS_PER_ARTICLE)
    for first in range(0, n_articles, MERGE_BATCH):
        articles = [make_article(i, rng) for i in range(first, min(first + MERGE_BATCH, n_articles))]
        claims = [make_claim(a, rng) for a in articles for _ in range(CLAIMS_PER_ARTICLE)]
        yield articles, [with_history(c, rng) if history else without_history(c, rng) for c in claims]


def median_ms(action: Callable[[], object], rounds: int) -> float:
    action()  # warm: the index (TinyDB), the pool and the server's caches (PostgreSQL)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def save_ms(repo: Repository, keys: list[tuple[str, str]], samples: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of a save of a random claim (a note changed: one more history
    event). A TinyDB save is mostly fsync, which other programs' disk traffic slows: the CPU time shows
    the work of reading, checking and writing the claim itself."""
    rng = random.Random(7)
    wall, cpu = [], []
    for number in range(samples):
        article_id, claim_id = rng.choice(keys)
        edit = apply_changes(ClaimChanges(notes=f"checked {number}"), None, by="bench")
        started, started_cpu = time.perf_counter(), time.process_time()
        repo.update_claim(article_id, claim_id, edit)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return round(statistics.median(wall), 2), round(statistics.median(cpu), 2)


def folder_bytes(folder: Path) -> int:
    return sum(entry.stat().st_size for entry in folder.rglob("*") if entry.is_file())


def measure(
    repo: Repository, n_claims: int, history: bool, size: Callable[[], int], args: Any
) -> dict[str, Any]:
    started = time.perf_counter()
    keys: list[tuple[str, str]] = []
    for articles, claims in batches(n_claims, history):
        repo.merge(articles, claims)
        keys += [(claim.article_id, claim.id) for claim in claims]
    built = time.perf_counter() - started
    stored = size()  # before the saves add their events
    save_wall, save_cpu = save_ms(repo, keys, args.samples)
    return {
        "build_seconds": round(built, 1),
        "save_median_ms": save_wall,
        "save_cpu_median_ms": save_cpu,
        "claims_page_median_ms": median_ms(lambda: repo.query_claims(PAGE), args.rounds),
        "review_queue_median_ms": median_ms(lambda: repo.query_claims(QUEUE), args.rounds),
        "store_megabytes": round(stored / 1e6, 1),
    }


def tinydb_figures(n_claims: int, history: bool, args: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench_history_") as folder:
        path = Path(folder) / "claims.json"
        repo = open_repository(path)
        return measure(repo, n_claims, history, lambda: folder_bytes(Path(folder)), args)


def postgres_figures(server: str, n_claims: int, history: bool, args: Any) -> dict[str, Any]:
    name = f"bench_history_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    repo = PostgresRepository(url)
    try:

        def size() -> int:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")  # what autovacuum does after a load; sizes without dead rows
                row = conn.execute(
                    "SELECT pg_total_relation_size('claims') + pg_total_relation_size('claim_search')"
                ).fetchone()
            return int(row[0]) if row else 0

        return measure(repo, n_claims, history, size, args)
    finally:
        repo.close()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def ratios(none: dict[str, Any], history: dict[str, Any]) -> dict[str, float]:
    return {
        key: round(history[key] / none[key], 2)
        for key in (
            "save_median_ms",
            "save_cpu_median_ms",
            "claims_page_median_ms",
            "review_queue_median_ms",
            "store_megabytes",
        )  # fmt: skip
        if none[key]
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, nargs="+", default=[10_000])
    parser.add_argument("--rounds", type=int, default=15, help="repeats of each query (the median is kept)")
    parser.add_argument("--samples", type=int, default=200, help="claim saves timed per store")
    parser.add_argument("--backends", nargs="+", default=["tinydb", "postgres"])
    args = parser.parse_args()
    server = os.environ.get(SERVER_VARIABLE, "").strip()
    results: dict[str, Any] = {"claims_per_article": CLAIMS_PER_ARTICLE, "load_average": os.getloadavg()[0]}
    for backend in args.backends:
        if backend == "postgres" and not server:
            print(f"postgres skipped: {SERVER_VARIABLE} is not set", file=sys.stderr)
            continue
        for n_claims in args.claims:
            figures = {}
            for history in (False, True):
                label = "history" if history else "none"
                if backend == "tinydb":
                    figures[label] = tinydb_figures(n_claims, history, args)
                else:
                    figures[label] = postgres_figures(server, n_claims, history, args)
                print(f"{backend} {n_claims} {label}: {figures[label]}", file=sys.stderr)
            figures["ratio_history_to_none"] = ratios(figures["none"], figures["history"])
            results[f"{backend}_{n_claims}"] = figures
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
