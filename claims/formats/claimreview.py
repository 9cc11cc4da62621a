"""schema.org ClaimReview (JSON-LD): the fact-checking standard's view of rated claims."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claims.models import Verdict

# schema.org ClaimReview ratings: 1 (false) to 5 (true); verdicts off that scale carry only their name.
RATING_VALUES = {
    Verdict.FALSE: 1,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.HALF_TRUE: 3,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.TRUE: 5,
}


def claim_reviews(claims: Iterable[dict[str, Any]], publisher: str | None = None) -> list[dict[str, Any]]:
    """A ClaimReview for every rated claim (exported claim records); unrated claims have no review yet."""
    reviews = []
    for claim in claims:
        verdict = Verdict(claim["verdict"])
        if verdict is Verdict.UNRATED:
            continue
        rating: dict[str, Any] = {
            "@type": "Rating",
            "alternateName": verdict.value.replace("_", " ").capitalize(),
        }
        if verdict in RATING_VALUES:
            rating |= {"ratingValue": RATING_VALUES[verdict], "bestRating": 5, "worstRating": 1}
        appearance = {"@type": "NewsArticle"} | _present(
            url=claim["article_url"], headline=claim["article_title"], datePublished=claim["article_date"]
        )
        item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
        if claim["claimant"]:
            item["author"] = {"@type": "Person", "name": claim["claimant"]}
        if claim["article_date"]:
            item["datePublished"] = claim["article_date"]
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": claim["id"],
            "claimReviewed": claim["quote"],
            "itemReviewed": item,
            "reviewRating": rating,
            "datePublished": claim["updated_at"][:10],
        }
        if publisher:
            review["author"] = {"@type": "Organization", "name": publisher}
        reviews.append(review)
    return reviews


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value}
