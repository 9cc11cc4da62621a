"""Prints JSON: what escaping ClaimReview JSON-LD for embedding in a web page costs.

Builds the reviews of N rated claims (every quote holding `<`, `>` and `&`, the worst case), then
serialises them, in turns, with plain pydantic-core JSON and with `script_safe_json`; medians of rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import pydantic_core

from claims.formats.claimreview import ReviewPublisher, claim_reviews
from claims.formats.script_safe import script_safe_json

VERDICTS = ("false", "true", "misleading", "half_true")


def claim_records(count: int) -> list[dict[str, Any]]:
    """Exported claim records (the fields ClaimReview reads), as `export_records` gives them."""
    return [
        {
            "id": f"c{index:07d}",
            "verdict": VERDICTS[index % len(VERDICTS)],
            "quote": f"as many as {index} sailors & <b>ships</b>",
            "claimant": "The navy",
            "article_url": f"https://news.example/a{index % 5000}",
            "article_title": f"Harbour exercise {index % 5000}",
            "article_date": "2024-03-01",
            "updated_at": "2024-03-02T09:30:00Z",
        }
        for index in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    records = claim_records(args.claims)
    publisher = ReviewPublisher(name="Harbour Desk", review_url="https://desk.example/checks/{id}")
    build, plain, safe = [], [], []
    size = 0
    for _ in range(args.rounds):
        began = time.perf_counter()
        reviews = claim_reviews(records, publisher)
        build.append(time.perf_counter() - began)
        began = time.perf_counter()
        pydantic_core.to_json(reviews, indent=2)
        plain.append(time.perf_counter() - began)
        began = time.perf_counter()
        size = len(script_safe_json(reviews, indent=2))
        safe.append(time.perf_counter() - began)
    median = statistics.median
    print(
        json.dumps(
            {
                "claims": args.claims,
                "bytes": size,
                "build_reviews_s": round(median(build), 3),
                "plain_json_s": round(median(plain), 3),
                "script_safe_json_s": round(median(safe), 3),
                "serialise_ratio": round(median(safe) / median(plain), 2),
                "render_ratio": round((median(build) + median(safe)) / (median(build) + median(plain)), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
