"""Prints JSON: one server-side rerun of the Articles page under AppTest, over a store of N claims.

Every rerun of that page used to re-read every claim to build the table (its counts and status
breakdown); the rows are now cached by the store's revision. Run from the repository root:
`.venv/bin/python benchmarks/bench_articles_page.py --claims 10000`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench_store import build_store
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "annotator" / "streamlit_app.py"


def rerun_ms(store: Path, runs: int) -> list[float]:
    """Milliseconds of each of `runs` reruns of the Articles page (after a first run that fills caches)."""
    os.environ["CLAIMS_DB"] = str(store)
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["editor"] = "bench"
    at.run()
    assert not at.exception, at.exception
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "claims.json"
        build_store(store, args.claims)
        timings = rerun_ms(store, args.runs)
    print(
        json.dumps(
            {
                "claims": args.claims,
                "articles_page_rerun_ms": {
                    "median": round(statistics.median(timings), 1),
                    "max": round(max(timings), 1),
                    "runs": args.runs,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
