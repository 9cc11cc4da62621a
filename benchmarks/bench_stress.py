"""The stress suite at full size: hundreds of SIGKILLs mid-save and mid-load, many writers at once.

Prints JSON: for killed saves and killed loads {"kills", "corrupt", "lost_acknowledged",
"leftover_temp_files", ...}, their total, and what concurrent and racing writers did. Asserts nothing:
tests/test_stress.py runs the same machinery a few dozen times and asserts.

    .venv/bin/python benchmarks/bench_stress.py [--save-kills 300] [--load-kills 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from stress_support import (  # noqa: E402
    base_article,
    claim_in,
    kill_loads,
    kill_writers,
    load_document,
    run_workers,
)

from claims.integrity import check_store  # noqa: E402
from claims.store import open_repository  # noqa: E402

TOTALLED = ("kills", "corrupt", "lost_acknowledged", "leftover_temp_files")


def concurrent_saves(folder: Path, saves_each: int) -> dict[str, Any]:
    db = folder / "concurrent" / "claims.json"
    open_repository(db).add_article(base_article())
    started = time.monotonic()
    results = run_workers(db, "save", str(saves_each), processes=4, threads=8)
    acknowledged = {tuple(pair) for result in results for pair in result["saved"]}
    repo = open_repository(db)
    claims = repo.list_claims()
    stored = {(claim.article_id, claim.id) for claim in claims}
    updates = Counter(claim_id for result in results for claim_id in result["updated"])
    return {
        "workers": "4 processes + 8 threads",
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost_acknowledged": len(acknowledged - stored),
        "updates_acknowledged": sum(updates.values()),
        "updates_lost": sum(abs(claim.version - 1 - updates[claim.id]) for claim in claims),
        "check_ok": check_store(repo).ok,
        "seconds": round(time.monotonic() - started, 1),
    }


def racing_updates(folder: Path, claims: int) -> dict[str, Any]:
    db = folder / "racing" / "claims.json"
    repo = open_repository(db)
    article = base_article()
    repo.add_article(article)
    seeded = [claim_in(article, n, "seed") for n in range(claims)]
    for claim in seeded:
        repo.add_claim(claim)
    targets = json.dumps([[claim.article_id, claim.id] for claim in seeded])
    results = run_workers(db, "race", targets, processes=4, threads=8)
    wins = Counter(claim_id for result in results for claim_id in result["won"])
    per_claim = Counter(wins[claim.id] for claim in seeded)
    return {
        "claims": claims,
        "attempts": claims * 12,
        "claims_by_number_of_winners": {str(n): count for n, count in sorted(per_claim.items())},
        "final_versions": sorted({claim.version for claim in repo.list_claims()}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save-kills", type=int, default=300)
    parser.add_argument("--load-kills", type=int, default=50)
    parser.add_argument("--load-articles", type=int, default=500)
    parser.add_argument("--saves-each", type=int, default=100)
    parser.add_argument("--racing-claims", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory(prefix="bench-stress-") as scratch:
        folder = Path(scratch)
        saves = kill_writers(folder / "saves" / "claims.json", options.save_kills, rng)
        document = load_document(folder, options.load_articles, claims_each=2)
        loads = kill_loads(folder / "loads" / "claims.json", document, options.load_kills, rng)
        figures = {
            "save_kills": saves,
            "load_kills": loads
            | {"articles_per_load": options.load_articles, "claims_per_load": 2 * options.load_articles},
            "total": {key: saves[key] + loads[key] for key in TOTALLED},
            "concurrent_saves": concurrent_saves(folder, options.saves_each),
            "racing_updates": racing_updates(folder, options.racing_claims),
            "python": platform.python_version(),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
