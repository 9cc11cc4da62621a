"""Core figures as one JSON object: split throughput, claim-save latency by store size, export time.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_core.py [--sizes 1000 10000 100000]`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import SIZES, make_article, measure_stores  # noqa: E402

from claims.formats.export import export_bytes  # noqa: E402
from claims.segmentation import split_sentences  # noqa: E402


def split_throughput(megabytes: float = 4.0, rounds: int = 3) -> dict[str, float]:
    """MB/s of split_sentences on news-like text never seen before (nupunkt memoises decisions)."""
    speeds = []
    for round_ in range(rounds):
        rng = random.Random(100 + round_)
        bodies: list[str] = []
        size = 0
        while size < megabytes * 1_000_000:
            body = make_article(len(bodies), rng).text
            bodies.append(body)
            size += len(body.encode("utf-8"))
        started = time.perf_counter()
        for body in bodies:
            split_sentences(body)
        speeds.append(size / 1_000_000 / (time.perf_counter() - started))
    return {"median_mb_per_s": round(statistics.median(speeds), 2), "megabytes": megabytes, "rounds": rounds}


def export_seconds(location: Path, rounds: int = 3) -> dict[str, float]:
    """Seconds to read every article and claim from disk and render the JSON export."""
    from claims.store import open_repository

    times = []
    size = 0
    for _ in range(rounds):
        repo = open_repository(location)
        started = time.perf_counter()
        data = export_bytes(repo, "json")
        times.append(time.perf_counter() - started)
        size = len(data)
    return {
        "median_s": round(statistics.median(times), 3),
        "best_s": round(min(times), 3),
        "megabytes": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--samples", type=int, default=300, help="claims added per store size")
    args = parser.parse_args()
    figures: dict[str, object] = {"cores": os.cpu_count(), "split": split_throughput()}
    with tempfile.TemporaryDirectory(prefix="bench_core_") as folder:
        figures["store"] = measure_stores(Path(folder), args.sizes, args.samples)
        largest = max(args.sizes)
        figures[f"export_json_{largest}"] = export_seconds(Path(folder) / f"store_{largest}" / "claims.json")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
