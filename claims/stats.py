"""Counts over a store: what `claims stats` prints and the overview page charts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from claims.models import ArticleQuery, ArticleSummary, Claim, ClaimStatus, ClaimType, StoreStats, Verdict
from claims.store.contract import Repository


def store_stats(repo: Repository) -> StoreStats:
    """The counts of a whole store from its aggregate queries, without reading every claim into the caller."""
    totals = repo.query_articles(ArticleQuery(limit=1))
    by_status = repo.count_claims_by("status")
    return StoreStats(
        articles=totals.total,
        sentences=totals.sentences,
        claims=sum(by_status.values()),
        by_status=_counted(ClaimStatus, by_status),
        by_verdict=_counted(Verdict, repo.count_claims_by("verdict")),
        by_type=_counted(ClaimType, repo.count_claims_by("claim_type")),
    )


def stats_of(articles: Iterable[ArticleSummary], claims: Iterable[Claim]) -> StoreStats:
    """Every vocabulary value appears in the breakdowns, with 0 where no claim has it."""
    articles = list(articles)
    claims = list(claims)
    return StoreStats(
        articles=len(articles),
        sentences=sum(article.sentence_count for article in articles),
        claims=len(claims),
        by_status=_count(ClaimStatus, (claim.status for claim in claims)),
        by_verdict=_count(Verdict, (claim.verdict for claim in claims)),
        by_type=_count(ClaimType, (claim.claim_type for claim in claims)),
    )


def _count(vocabulary: Iterable[str], values: Iterable[str]) -> dict[str, int]:
    counted = Counter(values)
    return {str(value): counted[value] for value in vocabulary}


def _counted(vocabulary: Iterable[str], counts: dict[str, int]) -> dict[str, int]:
    return {str(value): counts.get(str(value), 0) for value in vocabulary}
