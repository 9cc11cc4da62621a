"""Counts over a store: what `claims stats` prints and the sidebar and Overview show; every vocabulary value
appears in the breakdowns, with 0 where no claim has it."""

from __future__ import annotations

from collections.abc import Iterable

from claims.models import ArticleQuery, ClaimStatus, ClaimType, StoreStats, Verdict
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


def _counted(vocabulary: Iterable[str], counts: dict[str, int]) -> dict[str, int]:
    return {str(value): counts.get(str(value), 0) for value in vocabulary}
