"""Choosing claims: the filters of the claims table, applied to claims already in hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from claims.models import ArticleSummary, Claim, ClaimFilter
from claims.store.queries import claim_matches

__all__ = ["ClaimFilter", "filter_claims"]


def filter_claims(
    claims: Iterable[Claim], chosen: ClaimFilter, articles: Mapping[str, ArticleSummary] | None = None
) -> list[Claim]:
    """The claims that pass every filter, in the order given (see ClaimFilter for what each part means).

    `title` needs `articles` to hold the claims' articles (a claim whose article is missing has no title).
    """

    def title(article_id: str) -> str | None:
        article = articles.get(article_id) if articles else None
        return article.title if article else None

    return [claim for claim in claims if claim_matches(claim, chosen, title)]
