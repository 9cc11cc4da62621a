"""schema.org ClaimReview (JSON-LD): the fact-checking standard's view of the desk's approved verdicts.

Shaped as Google's fact-check structured-data guide and schema.org describe it, and checked against them by
one function, `check_claimreview`, before any byte is written: an export that would hold an invalid review
is refused (ClaimReviewInvalid, listing what each claim lacks) rather than written. Only claims the desk has
approved or published, with a verdict, get a review; the publisher (the review's `author`) and the review
URL pattern come from the desk's settings (claims/settings.py). The output is escaped for embedding in
`<script type="application/ld+json">`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from claims.errors import ClaimReviewInvalid
from claims.formats.script_safe import script_safe_json
from claims.labels import label
from claims.models import ClaimStatus, PublisherSettings, Verdict
from claims.suggest.lexicon import ORGANISATION_WORDS

# schema.org ClaimReview ratings: 1 (false) to 5 (true); verdicts off that scale carry only their name.
RATING_VALUES = {
    Verdict.FALSE: 1,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.HALF_TRUE: 3,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.TRUE: 5,
}
BEST_RATING, WORST_RATING = 5, 1
# What the desk publishes: a verdict another editor approved (claims/workflow.py), published or about to be.
REVIEWED_STATUSES = frozenset({ClaimStatus.APPROVED, ClaimStatus.PUBLISHED})
CLAIM_ID_PLACEHOLDER = "{id}"
_WEB_URL = re.compile(r"(?i:https?)://[^\s/?#]+(?:[/?#]\S*)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_reviewed(claim: Mapping[str, Any]) -> bool:
    """Whether an exported claim record gets a ClaimReview: approved or published, with a verdict."""
    return claim["status"] in REVIEWED_STATUSES and claim["verdict"] != Verdict.UNRATED


def claim_reviews(claims: Iterable[Mapping[str, Any]], publisher: PublisherSettings) -> list[dict[str, Any]]:
    """A ClaimReview for every reviewed claim (exported claim records, see `is_reviewed`), unchecked."""
    return [claim_review(claim, publisher) for claim in claims if is_reviewed(claim)]


def claim_review(claim: Mapping[str, Any], publisher: PublisherSettings) -> dict[str, Any]:
    """The ClaimReview of one exported claim record, as complete as the claim and the settings make it."""
    rating = dict(_rating(claim["verdict"]))
    item: dict[str, Any] = {"@type": "Claim"}
    if claim["claimant"]:
        item["author"] = dict(_claimant(claim["claimant"]))
    if claim["article_date"]:
        item["datePublished"] = claim["article_date"]
    appearance = _present(url=claim["article_url"], headline=claim["article_title"])
    if appearance:
        item["appearance"] = {"@type": "NewsArticle"} | appearance
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": claim["id"],
        "claimReviewed": (claim.get("claim_reviewed") or "").strip() or claim["quote"],
        "itemReviewed": item,
        "reviewRating": rating,
    }
    published = claim.get("published_at") or claim.get("approved_at")
    if published:
        review["datePublished"] = published[:10]
    if publisher.name.strip() or publisher.url or publisher.logo:
        author: dict[str, Any] = {"@type": "Organization"} | _present(
            name=publisher.name.strip(), url=publisher.url
        )
        if publisher.logo:
            author["logo"] = {"@type": "ImageObject", "url": publisher.logo}
        review["author"] = author
    if publisher.review_url:
        # A plain replacement, not str.format: a URL's own braces or percent signs stay as they are.
        review["url"] = publisher.review_url.replace(CLAIM_ID_PLACEHOLDER, claim["id"])
    if citations := [_citation(link) for link in claim.get("checked_before") or () if link.get("url")]:
        review["citation"] = citations
    return review


def _citation(link: Mapping[str, Any]) -> dict[str, Any]:
    """An earlier fact-check of the claim ("checked before", with a URL) as a schema.org citation: a
    ClaimReview when it gave a rating, else the page it is."""
    cited: dict[str, Any] = {
        "@type": "ClaimReview" if link.get("rating") else "CreativeWork",
        "url": link["url"],
    }
    cited |= _present(name=link.get("title"), datePublished=link.get("date"))
    if link.get("rating"):
        cited["reviewRating"] = {"@type": "Rating", "alternateName": link["rating"]}
    if link.get("publisher"):
        cited["author"] = {"@type": "Organization", "name": link["publisher"]}
    return cited


@functools.lru_cache(maxsize=len(Verdict))
def _rating(verdict: str) -> dict[str, Any]:
    """A verdict's Rating (copied by each review: a desk rates many claims alike)."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label(verdict).capitalize()}
    if verdict in RATING_VALUES:
        value = RATING_VALUES[Verdict(verdict)]
        rating |= {"ratingValue": value, "bestRating": BEST_RATING, "worstRating": WORST_RATING}
    return rating


@functools.lru_cache(maxsize=4096)
def _claimant(name: str) -> dict[str, str]:
    return claimant_of(name)  # copied by each review: the same claimants come back again and again


def claimant_of(name: str) -> dict[str, str]:
    """The claim's `author`: an Organization when its name reads as one (a word such as "ministry" or
    "Reuters", the suggester's lexicon, or an acronym such as "NATO"), else a Person."""
    words = re.findall(r"[\w']+", name)
    organisation = any(
        word.casefold() in ORGANISATION_WORDS or (word.isupper() and len(word) > 1) for word in words
    )
    return {"@type": "Organization" if organisation else "Person", "name": name}


def check_claimreview(review: Mapping[str, Any]) -> list[str]:
    """What a ClaimReview lacks, or holds wrongly, for Google's fact-check markup; [] when it is valid.

    Each entry names the property by its path ("author.name", "reviewRating.ratingValue"), with a few words
    when it is present but invalid. Google requires `claimReviewed`, `reviewRating` (with `alternateName`;
    `ratingValue`, `bestRating` and `worstRating` together on a numeric scale, worst at least 1 and below
    best, the value between them) and `url` (the fact-check page); it recommends `author` (the publishing
    organisation, named) and `itemReviewed` (a `Claim` with its `author`, `datePublished` and `appearance`).
    The desk publishes every one of them, so a missing recommended property is refused too, as is a
    `datePublished` that is not a date.
    """
    problems: list[str] = []
    if not _text(review.get("claimReviewed")):
        problems.append("claimReviewed")
    problems += _rating_problems(review.get("reviewRating"))
    url = review.get("url")
    if not url:
        problems.append("url")
    elif not _is_web_url(url):
        problems.append("url (not an absolute http(s) address)")
    author = review.get("author")
    if not isinstance(author, Mapping):
        problems.append("author")
    else:
        if author.get("@type") not in ("Organization", "Person"):
            problems.append("author.@type (Organization or Person)")
        if not _text(author.get("name")):
            problems.append("author.name")
        if "url" in author and not _is_web_url(author["url"]):
            problems.append("author.url (not an absolute http(s) address)")
        logo = author.get("logo")
        if logo is not None and not (isinstance(logo, Mapping) and _is_web_url(logo.get("url"))):
            problems.append("author.logo.url")
    problems += _date_problems(review, "datePublished", "datePublished")
    problems += _item_problems(review.get("itemReviewed"))
    return problems


def _rating_problems(rating: Any) -> list[str]:
    if not isinstance(rating, Mapping):
        return ["reviewRating"]
    problems = [] if _text(rating.get("alternateName")) else ["reviewRating.alternateName"]
    keys = ("ratingValue", "bestRating", "worstRating")
    if all(rating.get(key) is None for key in keys):
        return problems  # a verdict off the numeric scale carries its name alone
    numbers: dict[str, Any] = {key: rating.get(key) for key in keys}
    scale = [
        f"reviewRating.{key}" if value is None else f"reviewRating.{key} (not a number)"
        for key, value in numbers.items()
        if not isinstance(value, int | float) or isinstance(value, bool)
    ]
    if scale:
        return problems + scale
    value, best, worst = (float(numbers[key]) for key in keys)  # each checked to be a number above
    if worst < 1:
        problems.append("reviewRating.worstRating (at least 1)")
    if best <= worst:
        problems.append("reviewRating.bestRating (greater than worstRating)")
    if not worst <= value <= best:
        problems.append("reviewRating.ratingValue (between worstRating and bestRating)")
    return problems


def _item_problems(item: Any) -> list[str]:
    if not isinstance(item, Mapping):
        return ["itemReviewed"]
    problems = [] if item.get("@type") == "Claim" else ["itemReviewed.@type (Claim)"]
    author = item.get("author")
    if not isinstance(author, Mapping) or not _text(author.get("name")):
        problems.append("itemReviewed.author.name")
    elif author.get("@type") not in ("Organization", "Person"):
        problems.append("itemReviewed.author.@type (Organization or Person)")
    problems += _date_problems(item, "datePublished", "itemReviewed.datePublished")
    appearance = item.get("appearance")
    if not isinstance(appearance, Mapping) or not appearance.get("url"):
        problems.append("itemReviewed.appearance.url")
    elif not _is_web_url(appearance["url"]):
        problems.append("itemReviewed.appearance.url (not an absolute http(s) address)")
    return problems


def _date_problems(holder: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = holder.get(key)
    if not value:
        return [path]
    if not isinstance(value, str) or not _DATE.match(value):
        return [f"{path} (not a date YYYY-MM-DD)"]
    return []


def checked_claim_reviews(
    claims: Iterable[Mapping[str, Any]], publisher: PublisherSettings
) -> list[dict[str, Any]]:
    """Every reviewed claim's ClaimReview, each checked by `check_claimreview`; ClaimReviewInvalid, naming
    every claim's problems, if any review is invalid."""
    reviews = claim_reviews(claims, publisher)
    problems = {review["identifier"]: found for review in reviews if (found := check_claimreview(review))}
    if problems:
        raise ClaimReviewInvalid(problems)
    return reviews


def render_claimreview(claims: Iterable[Mapping[str, Any]], publisher: PublisherSettings) -> bytes:
    """The checked ClaimReview list of the reviewed claims (exported claim records) as JSON-LD, escaped so
    that it can be embedded in a page's `<script>`; ClaimReviewInvalid before anything is rendered if a
    review would be invalid. The CLI passes settings with its options laid over the desk's."""
    return script_safe_json(checked_claim_reviews(claims, publisher), indent=2) + b"\n"


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value}


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_web_url(value: Any) -> bool:
    return isinstance(value, str) and bool(_WEB_URL.fullmatch(value))
