"""Matching speed as one JSON object: index build at 10,000 and 100,000 fact-checks, the median query at
100,000, adding 100 fact-checks to it, and memory.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_matching.py [--sizes 10000 100000] [--queries 200]`).
The fact-checks are the CheckThat! 2020 claims (../shared) perturbed (numbers, names and words swapped),
or, without that folder, sentences generated from a small vocabulary.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_matching import DEFAULT_DATA  # noqa: E402

from claims.match import MatchIndex  # noqa: E402
from claims.match.checkthat import load_documents, load_split  # noqa: E402
from claims.match.embedding import shared_embedder  # noqa: E402

NAMES = ["Biden", "Trump", "Macron", "Merkel", "Modi", "Ardern", "Obama", "Putin", "Lula", "Sunak"]
WORDS = (
    "council spent million euros harbour wall mayor vaccine cases hospital border crime rate unemployment "
    "tax schools police election ballots climate floods wildfire prices inflation wages troops protest"
).split()


def base_claims(data: Path) -> tuple[list[str], list[str]]:
    """Claims to perturb and tweets to ask with: CheckThat!'s when present, else generated ones."""
    if (data / "verified_claims.docs.tsv").exists():
        queries, _ = load_split(data / "dev")
        return list(load_documents(data).values()), list(queries.values())
    rng = random.Random(7)
    made = [
        f"{rng.choice(NAMES)} said {' '.join(rng.choices(WORDS, k=8))} {rng.randint(1, 999)} percent."
        for _ in range(2000)
    ]
    return made, made[:200]


def perturbed(claims: list[str], count: int, seed: int) -> dict[str, str]:
    """`count` distinct fact-checks: each a base claim with a number, a name and two words replaced."""
    rng = random.Random(seed)
    made: dict[str, str] = {}
    for number in range(count):
        words = rng.choice(claims).split()
        for _ in range(2):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        words.insert(rng.randrange(len(words) + 1), rng.choice(NAMES))
        words.append(str(rng.randint(1, 100_000)))
        made[f"fc-{seed}-{number}"] = " ".join(words)
    return made


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_mb(index: MatchIndex) -> float:
    """The index's arrays: embeddings, and the BM25 matrices with their per-document term counts."""
    vectors = index._vectors.nbytes
    lexical = index._lexical
    matrices = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for _, m in lexical._segments)
    terms = sum(ids.nbytes + tf.nbytes for ids, tf in lexical._terms)
    return (vectors + matrices + terms) / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    claims, tweets = base_claims(args.data)
    shared_embedder()  # loaded once, before timing
    figures: dict[str, object] = {
        "fact_checks_from": "CheckThat! 2020 claims, perturbed" if len(tweets) < len(claims) else "generated"
    }
    builds: dict[str, float] = {}
    index = MatchIndex()
    for size in args.sizes:
        documents = perturbed(claims, size, seed=size)
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        index = MatchIndex(documents)
        builds[str(size)] = round(time.perf_counter() - started, 2)
        figures[f"memory_{size}"] = {
            "index_mb": round(index_mb(index), 1),
            "peak_rss_growth_mb": round(peak_rss_mb() - rss_before, 1),
        }
    figures["build_seconds"] = builds
    asked = (tweets * (args.queries // max(len(tweets), 1) + 1))[: args.queries]
    for text in asked[:5]:
        index.search(text)  # warm caches
    times = []
    for text in asked:
        started = time.perf_counter()
        index.search(text, top=5)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    largest = len(index)
    figures[f"query_ms_at_{largest}"] = {
        "median": round(statistics.median(times), 2),
        "p95": round(times[int(0.95 * (len(times) - 1))], 2),
    }
    started = time.perf_counter()
    batch = index.search_many(asked, top=5)
    figures[f"batch_queries_per_second_at_{largest}"] = round(len(batch) / (time.perf_counter() - started), 1)
    added = perturbed(claims, 100, seed=1)
    started = time.perf_counter()
    index.update(added)
    figures[f"add_100_to_{largest}_ms"] = round((time.perf_counter() - started) * 1000, 1)
    started = time.perf_counter()
    index.search(asked[0])
    figures["first_query_after_add_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
