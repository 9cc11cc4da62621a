"""Prints JSON: what building, checking (Google's requirements, `check_claimreview`) and escaping ClaimReview
JSON-LD for embedding in a web page cost.

Builds the reviews of N approved or published rated claims (every quote holding `<`, `>` and `&`, the worst
case), checks each, then serialises them, in turns, with plain pydantic-core JSON and with
`script_safe_json`; medians of rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import pydantic_core

from claims.formats.claimreview import check_claimreview, claim_reviews
from claims.formats.script_safe import script_safe_json
from claims.models import PublisherSettings

VERDICTS = ("false", "true", "misleading", "half_true")


def claim_records(count: int) -> list[dict[str, Any]]:
    """Exported claim records (the fields ClaimReview reads), as `export_records` gives them."""
    return [
        {
            "id": f"c{index:07d}",
            "verdict": VERDICTS[index % len(VERDICTS)],
            "status": "published" if index % 2 else "approved",
            "claim_reviewed": "" if index % 3 else f"The navy said {index} sailors took part.",
            "approved_at": "2024-03-02T09:30:00Z",
            "published_at": "2024-03-03T09:30:00Z" if index % 2 else None,
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
    publisher = PublisherSettings(
        name="Harbour Desk",
        url="https://desk.example",
        logo="https://desk.example/logo.png",
        review_url="https://desk.example/checks/{id}",
    )
    build, check, plain, safe = [], [], [], []
    size = 0
    for _ in range(args.rounds):
        began = time.perf_counter()
        reviews = claim_reviews(records, publisher)
        build.append(time.perf_counter() - began)
        began = time.perf_counter()
        assert not any(check_claimreview(review) for review in reviews)
        check.append(time.perf_counter() - began)
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
                "check_reviews_s": round(median(check), 3),
                "plain_json_s": round(median(plain), 3),
                "script_safe_json_s": round(median(safe), 3),
                "serialise_ratio": round(median(safe) / median(plain), 2),
                "render_ratio": round((median(build) + median(safe)) / (median(build) + median(plain)), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
