"""Prints JSON: importing known fact-checks as `claims factchecks import` does (read a generated CSV, then
`add_factchecks`), into TinyDB and PostgreSQL, and reading them back, median of 3 runs each.

- import 10,000 fact-checks into an empty store; importing the same file again (all unchanged); one file
  of 100,000 into an empty store (once);
- a store of 100,000 (imported 10,000 at a time): the last import of 10,000 into 90,000, then
  `list_factchecks`, `factcheck_revision` and a text query, in a process that has read them once and in a
  fresh one (a new repository object, as another process is).

PostgreSQL runs when CLAIMS_TEST_POSTGRES is set, i.e. through
`python tests/postgres_server.py --durable python benchmarks/bench_factchecks.py` (fsync on).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from claims.formats.factcheck_importing import import_factcheck_file
from claims.models import FactCheckQuery
from claims.store import open_repository
from claims.store.contract import Repository

SERVER_VARIABLE = "CLAIMS_TEST_POSTGRES"
RUNS = 3
PUBLISHERS = ("AFP", "Full Fact", "PolitiFact", "Snopes", "Correctiv", "Maldita", "Africa Check")
RATINGS = ("False", "Mostly false", "Half true", "Mostly true", "True", "Misleading", "Missing context")
WORDS = ("crime", "vaccine", "bridge", "budget", "tax", "migrants", "climate", "doubled", "fell",
         "rose", "million", "billion", "minister", "council", "election", "hospital", "police")  # fmt: skip


def write_csv(path: Path, first: int, count: int, seed: int = 1) -> Path:
    rng = random.Random(seed + first)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "claim", "title", "rating", "url", "publisher", "date"])
        for number in range(first, first + count):
            claim = " ".join(rng.choices(WORDS, k=12)).capitalize() + "."
            writer.writerow([
                f"fc-{number:07d}", claim, f"Fact-check: {claim[:60]}", rng.choice(RATINGS),
                f"https://checks.example/{number}", rng.choice(PUBLISHERS),
                f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ])  # fmt: skip
    return path


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def import_file(repo: Repository, path: Path) -> None:
    result = import_factcheck_file(repo, path, path.name)
    if result.counts is None:
        raise SystemExit(result.message)


def bench_backend(
    opener: Callable[[str], Repository], fresh: Callable[[], str], csvs: Path
) -> dict[str, Any]:
    ten = write_csv(csvs / "ten_thousand.csv", 0, 10_000)
    import_s, again_s = [], []
    for _ in range(RUNS):
        repo = opener(fresh())
        import_s.append(timed(partial(import_file, repo, ten)))
        again_s.append(timed(partial(import_file, repo, ten)))

    location = fresh()
    repo = opener(location)
    parts = [write_csv(csvs / f"part{n}.csv", n * 10_000, 10_000) for n in range(10)]
    for part in parts[:9]:
        import_file(repo, part)
    last_import = timed(lambda: import_file(repo, parts[9]))
    assert len(repo.list_factchecks()) == 100_000
    warm_list = [timed(repo.list_factchecks) for _ in range(RUNS)]
    cold_list = [timed(lambda: opener(location).list_factchecks()) for _ in range(RUNS)]
    revision = [timed(repo.factcheck_revision) for _ in range(RUNS)]
    query = [timed(lambda: repo.query_factchecks(FactCheckQuery(text="doubled budget"))) for _ in range(RUNS)]
    whole = write_csv(csvs / "hundred_thousand.csv", 0, 100_000)
    one_file = timed(partial(import_file, opener(fresh()), whole))
    return {
        "import_10000_s": median(import_s),
        "import_10000_again_unchanged_s": median(again_s),
        "import_10000_into_90000_s": round(last_import, 4),
        "import_100000_one_file_s": round(one_file, 4),
        "list_100000_s": median(warm_list),
        "list_100000_fresh_process_s": median(cold_list),
        "factcheck_revision_ms": round(statistics.median(revision) * 1000, 3),
        "text_query_100000_s": median(query),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args()
    results: dict[str, Any] = {"runs": RUNS}
    scratch = Path(tempfile.mkdtemp(prefix="bench-factchecks-"))
    try:
        csvs = scratch / "csv"
        csvs.mkdir()
        counter = iter(range(1000))
        results["tinydb"] = bench_backend(
            open_repository, lambda: str(scratch / f"store{next(counter)}" / "claims.json"), csvs
        )
        server = os.environ.get(SERVER_VARIABLE)
        if server:
            names = iter(range(1000))
            results["postgres"] = bench_backend(
                open_repository, lambda: database(server, f"bench_factchecks_{next(names)}"), csvs
            )
        else:
            results["postgres"] = (
                f"skipped: {SERVER_VARIABLE} is not set (run through tests/postgres_server.py)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(results, indent=2))


def database(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(server)._replace(path="/" + name))


if __name__ == "__main__":
    main()
