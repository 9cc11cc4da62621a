"""Prints JSON: the latency of saving one claim in TinyDB stores of growing size and in articles holding
many claims, listing and exporting a whole store, a big load beside another process's saves, and the
queries of the contract answered from the in-process index (`--only queries`).

Importable: benchmarks/bench_core.py calls `measure_stores` and `make_article`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claims.annotations import apply_changes, new_claim
from claims.formats.export import export_bytes
from claims.models import (
    Article,
    ArticleQuery,
    Claim,
    ClaimChanges,
    ClaimDraft,
    ClaimFilter,
    ClaimQuery,
    ClaimStatus,
    ClaimType,
    Sentence,
    Source,
)
from claims.store import TinyDBRepository, open_repository
from claims.store.contract import Repository
from claims.store.queries import claim_page

CLAIMS_PER_ARTICLE = 20
SIZES = (1_000, 10_000, 100_000)
QUERY_SIZES = (1_000, 100_000)
IN_ONE_ARTICLE = (1, 2_000, 8_000, 24_000)
# Merging a few hundred articles per call keeps memory flat; each call is one write per article.
MERGE_BATCH = 250

_WORDS = (
    "the council minister said on Tuesday that spending rose by percent in the year to March while "
    "opposition leaders denied any wrongdoing and called for an inquiry into the harbour contract "
    "according to figures published by the national statistics office unemployment fell to its lowest "
    "level since records began police reported arrests after protests in the capital"
).split()


def make_article(index: int, rng: random.Random) -> Article:
    """A news-like article of about 4 KB: sentences of 12-30 words in paragraphs of four."""
    sentences: list[Sentence] = []
    parts: list[str] = []
    offset = 0
    while offset < 4_000:
        words = rng.choices(_WORDS, k=rng.randint(12, 30))
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 9_999):,}")
        text = " ".join(words).capitalize() + "."
        if parts:
            separator = "\n\n" if len(sentences) % 4 == 0 else " "
            parts.append(separator)
            offset += len(separator)
        sentences.append(
            Sentence(
                index=len(sentences),
                paragraph=len(sentences) // 4,
                start=offset,
                end=offset + len(text),
                text=text,
            )
        )
        parts.append(text)
        offset += len(text)
    body = "".join(parts)
    return Article(
        id=hashlib.sha256(body.encode()).hexdigest()[:16],  # the id every import gives it
        title=f"Article {index}",
        url=f"https://news.example/{index}",
        date=dt.date(2024, 1, 1) + dt.timedelta(days=index % 365),
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        sentence_count=len(sentences),
        source_file=f"article_{index}.txt",
        imported_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        imported_by="bench",
        text=body,
        sentences=sentences,
    )


def make_claim(article: Article, rng: random.Random) -> Claim:
    """A claim over part of a random sentence, with the labels an editor typically fills in."""
    sentence = rng.choice(article.sentences)
    start = sentence.start + rng.randrange(0, max(1, len(sentence.text) // 2))
    while article.text[start].isspace():
        start += 1
    draft = ClaimDraft(
        article_id=article.id,
        start=start,
        end=sentence.end,
        claim_type=rng.choice(list(ClaimType)),
        claimant="The council",
        source=Source(name="Reuters", url="https://reuters.example/story"),
        notes="Checked against the published budget; figures match the annex.",
    )
    # Every status, as a store holds claims the workflow took there (a new claim starts new; records
    # are stored as they are, not replayed through the workflow).
    status = rng.choice(list(ClaimStatus))
    return new_claim(article, draft, by="bench").model_copy(update={"status": status})


def _batches(n_articles: int, rng: random.Random) -> Iterator[tuple[list[Article], list[Claim]]]:
    for first in range(0, n_articles, MERGE_BATCH):
        articles = [make_article(i, rng) for i in range(first, min(first + MERGE_BATCH, n_articles))]
        claims = [make_claim(a, rng) for a in articles for _ in range(CLAIMS_PER_ARTICLE)]
        yield articles, claims


def build_store(path: Path, n_claims: int, seed: int = 1) -> TinyDBRepository:
    """A TinyDB store at `path` holding `n_claims` claims, 20 per article, written with `merge`."""
    rng = random.Random(seed)
    repo = open_repository(path)
    assert isinstance(repo, TinyDBRepository)
    for articles, claims in _batches(max(1, n_claims // CLAIMS_PER_ARTICLE), rng):
        repo.merge(articles, claims)
    return repo


def add_timings(repo: Repository, samples: int, rng: random.Random) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each of `samples` claim saves (new_claim + add_claim)."""
    summaries = repo.list_articles()
    articles = [repo.get_article(s.id) for s in rng.sample(summaries, min(20, len(summaries)))]
    return add_timings_to(repo, articles, samples, rng)


def add_timings_to(
    repo: Repository, articles: list[Article], samples: int, rng: random.Random
) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(samples):
        article = rng.choice(articles)
        sentence = rng.choice(article.sentences)
        draft = ClaimDraft(article_id=article.id, start=sentence.start, end=sentence.end, notes="bench")
        started, started_cpu = time.perf_counter(), time.process_time()
        repo.add_claim(new_claim(article, draft, by="bench"))
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def summarise(wall: list[float], cpu: list[float]) -> dict[str, float]:
    """Wall-clock median and p95; the CPU median shows the work itself, which other programs' load hides."""
    ordered = sorted(wall)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "samples": len(ordered),
    }


def measure_list_all(repo: Repository, rounds: int = 3) -> dict[str, float]:
    """Seconds to load every claim as checked models (stats, the claims table) and to export the store as
    the JSON document: the median of a few rounds each."""
    listing, exporting = [], []
    count = 0
    for _ in range(rounds):
        started = time.perf_counter()
        count = len(repo.list_claims())
        listing.append(time.perf_counter() - started)
        started = time.perf_counter()
        size = len(export_bytes(repo, "json"))
        exporting.append(time.perf_counter() - started)
    return {
        "list_seconds": round(statistics.median(listing), 3),
        "export_json_seconds": round(statistics.median(exporting), 3),
        "export_megabytes": round(size / 1e6, 1),
        "claims": count,
    }


def measure_one_article(
    folder: Path, counts: list[int], samples: int = 200, rounds: int = 10
) -> dict[str, object]:
    """Claim-save latency in an article already holding each of `counts` claims (one store each), and how
    long loading those claims (`merge`, as `claims load` does) took."""
    rng = random.Random(5)
    stores: dict[int, tuple[Repository, Article]] = {}
    loads: dict[str, float] = {}
    for count in counts:
        article = make_article(0, rng)
        repo = open_repository(folder / f"article_{count}" / "claims.json")
        claims = [make_claim(article, rng) for _ in range(count)]
        started = time.perf_counter()
        repo.merge([article], claims)
        loads[str(count)] = round(time.perf_counter() - started, 2)
        stores[count] = (repo, article)
    wall: dict[int, list[float]] = {count: [] for count in counts}
    cpu: dict[int, list[float]] = {count: [] for count in counts}
    for _ in range(rounds):
        for count in counts:
            repo, article = stores[count]
            block_wall, block_cpu = add_timings_to(repo, [article], samples // rounds, rng)
            wall[count] += block_wall
            cpu[count] += block_cpu
    saves = {str(count): summarise(wall[count], cpu[count]) for count in counts}
    return {
        "add_claim_in_one_article": saves,
        "load_seconds_into_one_article": loads,
        "median_ratio_largest_to_smallest": round(
            saves[str(counts[-1])]["median_ms"] / saves[str(counts[0])]["median_ms"], 2
        ),
    }


_BESIDE = r"""
import sys, time
from claims.annotations import new_claim
from claims.models import ClaimDraft
from claims.store import open_repository

repo = open_repository(sys.argv[1])
article = repo.get_article("beside")
print("ready", flush=True)
while True:
    sentence = article.sentences[0]
    draft = ClaimDraft(article_id=article.id, start=sentence.start, end=sentence.end)
    started = time.time()
    repo.add_claim(new_claim(article, draft, by="beside"))
    print(started, time.time() - started, flush=True)
    time.sleep(0.01)
"""


def measure_load_beside_saves(folder: Path, count: int = 24_000) -> dict[str, object]:
    """Load `count` claims into one new article while another process saves claims to another article:
    how long the load took, how long it held the store's lock, and how long the other process's saves
    waited meanwhile."""
    rng = random.Random(9)
    repo = open_repository(folder / "beside" / "claims.json")
    assert isinstance(repo, TinyDBRepository)
    repo.add_article(make_article(1, rng).model_copy(update={"id": "beside"}))
    article = make_article(2, rng)
    claims = [make_claim(article, rng) for _ in range(count)]
    held: list[float] = []
    switch_in = repo._merge_staged

    def timed(*args: object) -> object:
        started = time.perf_counter()
        try:
            return switch_in(*args)  # type: ignore[arg-type]
        finally:
            held.append(time.perf_counter() - started)

    repo._merge_staged = timed  # type: ignore[method-assign, assignment]
    child = subprocess.Popen(
        [sys.executable, "-c", _BESIDE, repo.location],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(child.stdout.readline, "")))  # type: ignore[union-attr]
    reader.start()
    time.sleep(0.5)
    started = time.time()
    repo.merge([article], claims)
    finished = time.time()
    time.sleep(0.5)
    child.kill()
    child.communicate()
    reader.join()
    saves = [(float(at), float(took)) for at, took in (line.split() for line in lines)]
    during = [took * 1000 for at, took in saves if at + took >= started and at <= finished]
    return {
        "claims": count,
        "load_seconds": round(finished - started, 2),
        "lock_held_seconds": round(held[0], 3),
        "other_process_saves_during_load": len(during),
        "other_process_save_ms_median": round(statistics.median(during), 2) if during else None,
        "other_process_save_ms_max": round(max(during), 2) if during else None,
    }


def measure_stores(folder: Path, sizes: list[int], samples: int = 300, rounds: int = 10) -> dict[str, object]:
    """Claim-save latency in stores of each size (built under `folder`), and listing the largest."""
    sizes = sorted(sizes)
    stores: dict[int, Repository] = {}
    prefill: dict[int, float] = {}
    for size in sizes:
        started = time.perf_counter()
        stores[size] = build_store(folder / f"store_{size}" / "claims.json", size)
        prefill[size] = round(time.perf_counter() - started, 1)
    # Sizes take turns, a block of saves each, so load from other programs hits them all alike.
    wall: dict[int, list[float]] = {size: [] for size in sizes}
    cpu: dict[int, list[float]] = {size: [] for size in sizes}
    rng = random.Random(2)
    for _ in range(rounds):
        for size in sizes:
            block_wall, block_cpu = add_timings(stores[size], samples // rounds, rng)
            wall[size] += block_wall
            cpu[size] += block_cpu
    add_claim = {
        str(size): {**summarise(wall[size], cpu[size]), "prefill_seconds": prefill[size]} for size in sizes
    }
    return {
        # Other programs on a shared machine move every wall-clock figure; this says how busy it was.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "claims_per_article": CLAIMS_PER_ARTICLE,
        "add_claim": add_claim,
        f"list_and_export_all_{sizes[-1]}": measure_list_all(stores[sizes[-1]]),
        "median_ratio_largest_to_smallest": round(
            add_claim[str(sizes[-1])]["median_ms"] / add_claim[str(sizes[0])]["median_ms"], 2
        ),
    }


_OPEN_AND_QUERY = r"""
import json, sys, time
from claims.models import ClaimQuery
from claims.store import open_repository

def rss():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return {name: int(fields[name].split()[0]) // 1024 for name in ("VmRSS", "VmHWM")}

repo = open_repository(sys.argv[1])
before = rss()["VmRSS"]
started = time.perf_counter()
repo.query_claims(ClaimQuery())
took = time.perf_counter() - started
after = rss()
print(json.dumps({"first_query_ms": round(took * 1000, 1), "rss_mb_before": before,
                  "rss_mb_with_index": after["VmRSS"], "peak_rss_mb": after["VmHWM"]}))
"""

_SAVER = r"""
import sys
from claims.annotations import apply_changes
from claims.models import ClaimChanges
from claims.store import open_repository

repo = open_repository(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    article_id, claim_id = line.split()
    claim = repo.get_claim(article_id, claim_id)
    notes = "saved by another process" if claim.notes != "saved by another process" else "and again"
    repo.update_claim(article_id, claim_id, apply_changes(ClaimChanges(notes=notes), claim.version, "other"))
    print("saved", flush=True)
"""


def _timed(action: Callable[[], object], rounds: int) -> dict[str, float]:
    """Median and slowest wall-clock milliseconds of `rounds` calls, and the median CPU milliseconds (what
    other programs' load on a shared machine hides least)."""
    took, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        took.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "median_ms": round(statistics.median(took), 2),
        "max_ms": round(max(took), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
    }


def _save(repo: Repository, claim: Claim, notes: str) -> Claim:
    return repo.update_claim(
        claim.article_id, claim.id, apply_changes(ClaimChanges(notes=notes), claim.version, "bench")
    )


@dataclass
class _QueryStore:
    """One store of the query benchmark, with the claims its saves edit and what its queries ask."""

    path: Path
    repo: Repository
    sample: list[Claim]
    by_status: ClaimQuery


def measure_warm_queries(path: Path, size: int, rounds: int) -> tuple[_QueryStore, dict[str, object]]:
    """A store of `size` claims: the first query of a new process (which builds the index) and its memory,
    then each query of the contract, warm."""
    started = time.perf_counter()
    build_store(path, size)
    prefill = time.perf_counter() - started
    opened = json.loads(
        subprocess.run(
            [sys.executable, "-c", _OPEN_AND_QUERY, str(path)], capture_output=True, text=True, check=True
        ).stdout
    )
    repo = open_repository(path)
    started = time.perf_counter()
    repo.query_claims(ClaimQuery())
    first_here = time.perf_counter() - started
    page = repo.query_claims(ClaimQuery(limit=1000)).claims
    store = _QueryStore(
        path=path,
        repo=repo,
        sample=random.Random(4).sample(page, min(50, len(page))),
        by_status=ClaimQuery(filter=ClaimFilter(statuses={ClaimStatus.NEEDS_REVIEW}), limit=100),
    )
    if size <= 10_000:  # the index answers as the reference does
        assert repo.query_claims(store.by_status) == claim_page(
            repo.list_claims(), repo.list_articles(), store.by_status
        )
    by_text = ClaimQuery(filter=ClaimFilter(text="budget annex"), limit=100)
    return store, {
        "prefill_seconds": round(prefill, 1),
        "new_process": opened,
        "first_query_in_this_process_ms": round(first_here * 1000, 1),
        "query_claims_default_page": _timed(lambda: repo.query_claims(ClaimQuery()), rounds),
        "query_claims_status_filter": _timed(lambda: repo.query_claims(store.by_status), rounds),
        "query_claims_text_filter": _timed(lambda: repo.query_claims(by_text), rounds),
        "query_claims_deep_page": _timed(
            lambda: repo.query_claims(ClaimQuery(offset=size // 2, limit=100)), rounds
        ),
        "count_claims_by_status": _timed(lambda: repo.count_claims_by("status"), rounds),
        "query_articles_first_page": _timed(lambda: repo.query_articles(ArticleQuery(limit=50)), rounds),
        "count_decisions": _timed(repo.count_decisions, rounds),
    }


def measure_queries_after_saves(store: _QueryStore, rounds: int) -> dict[str, object]:
    """A filtered page right after a claim save by this process (its index patched in place) and by
    another process (the index finds the change by the folders' stamps)."""
    repo, sample = store.repo, store.sample
    after_own = []
    for index in range(rounds):
        sample[index % len(sample)] = _save(repo, sample[index % len(sample)], f"own {index}")
        after_own.append(_timed(lambda: repo.query_claims(store.by_status), 1))
    saver = subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert saver.stdin is not None and saver.stdout is not None
    assert saver.stdout.readline() == "ready\n"
    after_other = []
    for index in range(rounds):
        claim = sample[index % len(sample)]
        saver.stdin.write(f"{claim.article_id} {claim.id}\n")
        saver.stdin.flush()
        assert saver.stdout.readline() == "saved\n"
        after_other.append(_timed(lambda: repo.query_claims(store.by_status), 1))
    saver.stdin.close()
    saver.wait(timeout=60)
    for index, claim in enumerate(sample):  # the other process moved their versions on
        sample[index] = repo.get_claim(claim.article_id, claim.id)
    return {
        "query_after_a_save_here": _medians(after_own),
        "query_after_a_save_by_another_process": _medians(after_other),
    }


def _medians(timings: list[dict[str, float]]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(t["median_ms"] for t in timings), 2),
        "max_ms": round(max(t["median_ms"] for t in timings), 2),
        "cpu_median_ms": round(statistics.median(t["cpu_median_ms"] for t in timings), 2),
    }


def measure_queries(folder: Path, sizes: list[int], samples: int, rounds: int) -> dict[str, object]:
    """The query contract answered from the index at each size, claim saves (update_claim) with the index
    loaded, and how the largest size compares with the smallest."""
    sizes = sorted(sizes)
    stores: dict[int, _QueryStore] = {}
    results: dict[str, dict[str, object]] = {}
    for size in sizes:
        stores[size], results[str(size)] = measure_warm_queries(
            folder / f"queries_{size}" / "claims.json", size, rounds
        )
    # Sizes take turns, a block of saves each, so load from other programs hits them alike.
    wall: dict[int, list[float]] = {size: [] for size in sizes}
    cpu: dict[int, list[float]] = {size: [] for size in sizes}
    for block in range(rounds):
        for size in sizes:
            sample = stores[size].sample
            for index in range(samples // rounds):
                at = (block * samples // rounds + index) % len(sample)
                started, started_cpu = time.perf_counter(), time.process_time()
                sample[at] = _save(stores[size].repo, sample[at], f"save {block} {index}")
                wall[size].append((time.perf_counter() - started) * 1000)
                cpu[size].append((time.process_time() - started_cpu) * 1000)
    saves = {size: summarise(wall[size], cpu[size]) for size in sizes}
    for size in sizes:
        results[str(size)]["update_claim"] = saves[size]
        results[str(size)].update(measure_queries_after_saves(stores[size], rounds))
    small, large = saves[sizes[0]], saves[sizes[-1]]
    return {
        "load_average_1min": round(os.getloadavg()[0], 2),
        "by_size": results,
        "update_claim_p95_ratio_largest_to_smallest": round(large["p95_ms"] / small["p95_ms"], 2),
        "update_claim_median_ratio_largest_to_smallest": round(large["median_ms"] / small["median_ms"], 2),
        "update_claim_cpu_median_ratio_largest_to_smallest": round(
            large["cpu_median_ms"] / small["cpu_median_ms"], 2
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--in-one-article", type=int, nargs="+", default=list(IN_ONE_ARTICLE))
    parser.add_argument("--query-sizes", type=int, nargs="+", default=list(QUERY_SIZES))
    parser.add_argument("--only", choices=["stores", "article", "beside", "queries"], nargs="+")
    args = parser.parse_args()
    results: dict[str, object] = {}
    parts = args.only or ["stores", "article", "beside", "queries"]
    with tempfile.TemporaryDirectory(prefix="bench_store_") as folder:
        if "stores" in parts:
            results["stores"] = measure_stores(Path(folder), args.sizes, args.samples, args.rounds)
        if "article" in parts:
            results["one_article"] = measure_one_article(Path(folder), sorted(args.in_one_article))
        if "beside" in parts:
            results["load_beside_saves"] = measure_load_beside_saves(Path(folder), max(args.in_one_article))
        if "queries" in parts:
            results["queries"] = measure_queries(Path(folder), args.query_sizes, args.samples, args.rounds)
    results["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
