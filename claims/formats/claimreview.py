"""schema.org ClaimReview (JSON-LD): the fact-checking standard's view of rated claims.

Shaped as Google's fact-check guide and schema.org describe it: `claimReviewed`, `reviewRating`
(`alternateName` always, `ratingValue`/`bestRating`/`worstRating` on the true-false scale),
`itemReviewed` a `Claim` with its `author` and `appearance`, `datePublished`, and, when the desk
configures them, the review's `author` (the publishing organisation) and `url` (the fact-check page).
The output is escaped for embedding in `<script type="application/ld+json">`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claims.errors import ClaimReviewSettingsError
from claims.formats.script_safe import script_safe_json
from claims.labels import label
from claims.models import Verdict

# schema.org ClaimReview ratings: 1 (false) to 5 (true); verdicts off that scale carry only their name.
RATING_VALUES = {
    Verdict.FALSE: 1,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.HALF_TRUE: 3,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.TRUE: 5,
}
PUBLISHER_ENV = "CLAIMS_PUBLISHER"
PUBLISHER_URL_ENV = "CLAIMS_PUBLISHER_URL"
REVIEW_URL_ENV = "CLAIMS_REVIEW_URL"
CLAIM_ID_PLACEHOLDER = "{id}"
_ABSOLUTE_WEB_URL = re.compile(r"(?i:https?)://[^\s/?#]+(?:[/?#]\S*)?")


@dataclass(frozen=True)
class ReviewPublisher:
    """Who publishes the reviews and where: the review's `author` and each review's `url`.

    `review_url` may hold `{id}`, replaced by each claim's id (e.g. https://desk.example/checks/{id}).
    """

    name: str | None = None
    url: str | None = None
    review_url: str | None = None

    def __post_init__(self) -> None:
        for setting, value, where in (
            ("publisher URL", self.url, f"{PUBLISHER_URL_ENV} or --publisher-url"),
            ("review URL", self.review_url, f"{REVIEW_URL_ENV} or --review-url"),
        ):
            if value is not None and not _ABSOLUTE_WEB_URL.fullmatch(value):
                raise ClaimReviewSettingsError(
                    f"ClaimReview {setting} {value!r} ({where}): expected an absolute web address "
                    "starting with http:// or https://"
                )
        if self.url and not self.name:
            raise ClaimReviewSettingsError(
                f"ClaimReview publisher URL {self.url!r} given without the publisher's name "
                f"({PUBLISHER_ENV} or --publisher)"
            )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ReviewPublisher:
        """CLAIMS_PUBLISHER, CLAIMS_PUBLISHER_URL and CLAIMS_REVIEW_URL; empty ones count as unset."""
        env = os.environ if environ is None else environ
        return cls(
            name=env.get(PUBLISHER_ENV, "").strip() or None,
            url=env.get(PUBLISHER_URL_ENV, "").strip() or None,
            review_url=env.get(REVIEW_URL_ENV, "").strip() or None,
        )

    def review_url_for(self, claim_id: str) -> str | None:
        if self.review_url is None:
            return None
        # A plain replacement, not str.format: a URL's own braces or percent signs stay as they are.
        return self.review_url.replace(CLAIM_ID_PLACEHOLDER, claim_id)


def claim_reviews(
    claims: Iterable[Mapping[str, Any]], publisher: ReviewPublisher | None = None
) -> list[dict[str, Any]]:
    """A ClaimReview for every rated claim (exported claim records); unrated claims have no review yet."""
    publisher = publisher or ReviewPublisher()
    reviews = []
    for claim in claims:
        verdict = Verdict(claim["verdict"])
        if verdict is Verdict.UNRATED:
            continue
        rating: dict[str, Any] = {
            "@type": "Rating",
            "alternateName": label(verdict).capitalize(),
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
        if publisher.name:
            review["author"] = {"@type": "Organization"} | _present(name=publisher.name, url=publisher.url)
        if url := publisher.review_url_for(claim["id"]):
            review["url"] = url
        reviews.append(review)
    return reviews


def render_claimreview(
    claims: Iterable[Mapping[str, Any]], publisher: ReviewPublisher | None = None
) -> bytes:
    """The ClaimReview list as JSON-LD, escaped so that it can be embedded in a page's `<script>`.

    Without `publisher`, the desk's settings come from CLAIMS_PUBLISHER, CLAIMS_PUBLISHER_URL and
    CLAIMS_REVIEW_URL.
    """
    chosen = publisher if publisher is not None else ReviewPublisher.from_environment()
    return script_safe_json(claim_reviews(claims, chosen), indent=2) + b"\n"


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value}
