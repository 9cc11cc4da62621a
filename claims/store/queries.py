"""The query contract computed in Python over claims and article summaries: the memory backend answers
with it, the TinyDB backend over its in-process index, and it is the reference the SQL of the PostgreSQL
backend must agree with (the contract suite runs all three)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from claims.models import (
    ArticlePage,
    ArticleQuery,
    ArticleRow,
    ArticleSort,
    ArticleSummary,
    Claim,
    ClaimFilter,
    ClaimGroup,
    ClaimPage,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    FactCheckGroup,
    FactCheckPage,
    FactCheckQuery,
    KnownFactCheck,
    SuggestionDecision,
)
from claims.workflow import is_mine

STATUS_ORDER = {status: position for position, status in enumerate(ClaimStatus)}
_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def searchable_text(claim: Claim) -> str:
    """What `ClaimFilter.text` is looked for in, casefolded: quote, claimant, source name and notes."""
    source = claim.source.name if claim.source else ""
    return "\n".join(filter(None, [claim.quote, claim.claimant, source, claim.notes])).casefold()


def claim_matches(claim: Claim, chosen: ClaimFilter, title: Callable[[str], str | None]) -> bool:
    """Whether `claim` passes every part of `chosen`; `title(article_id)` gives its article's title."""
    if chosen.claim_ids and claim.id not in chosen.claim_ids:
        return False
    if chosen.article_ids and claim.article_id not in chosen.article_ids:
        return False
    if chosen.statuses and claim.status not in chosen.statuses:
        return False
    if chosen.verdicts and claim.verdict not in chosen.verdicts:
        return False
    if chosen.types and claim.claim_type not in chosen.types:
        return False
    if chosen.claimants and (claim.claimant or "") not in chosen.claimants:
        return False
    if chosen.assignees and (claim.assignee or "") not in chosen.assignees:
        return False
    if chosen.editors and claim.updated_by not in chosen.editors:
        return False
    if chosen.mine and not is_mine(claim, chosen.mine):
        return False
    needle = chosen.text.strip().casefold()
    if needle and needle not in searchable_text(claim):
        return False
    wanted_title = chosen.title.strip().casefold()
    return not wanted_title or wanted_title in (title(claim.article_id) or "").casefold()


def claim_sort_key(sort: ClaimSort, article_position: Callable[[str], int]) -> Callable[[Claim], Any]:
    """A key that orders claims as `sort` says, ties broken by claim id ascending."""
    if sort is ClaimSort.UPDATED:
        return lambda c: (c.updated_at, c.id)
    if sort is ClaimSort.ARTICLE:
        return lambda c: (article_position(c.article_id), c.start, c.id)
    # The descending orders: the timestamp negated as microseconds, so the id still ascends.
    if sort is ClaimSort.CREATED_DESC:
        return lambda c: (-_micros(c.created_at), c.id)
    if sort is ClaimSort.STATUS:
        return lambda c: (STATUS_ORDER[c.status], -_micros(c.updated_at), c.id)
    if sort is ClaimSort.WAITING:
        return lambda c: (c.status_since is not None, c.status_since or _EPOCH, c.id)
    if sort is ClaimSort.CLAIMANT:
        return lambda c: (c.claimant is None, (c.claimant or "").casefold(), -_micros(c.updated_at), c.id)
    return lambda c: (-_micros(c.updated_at), c.id)


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def matching_claims(
    claims: Iterable[Claim], articles: Sequence[ArticleSummary], chosen: ClaimFilter, sort: ClaimSort
) -> list[Claim]:
    """Every claim passing `chosen`, in `sort` order; `articles` in listing order (titles, positions)."""
    titles = {article.id: article.title for article in articles}
    positions = {article.id: position for position, article in enumerate(articles)}
    kept = [claim for claim in claims if claim_matches(claim, chosen, titles.get)]
    kept.sort(key=claim_sort_key(sort, lambda article_id: positions.get(article_id, len(positions))))
    return kept


def claim_page(claims: Iterable[Claim], articles: Sequence[ArticleSummary], query: ClaimQuery) -> ClaimPage:
    """The page `query` asks for."""
    kept = matching_claims(claims, articles, query.filter, query.sort)
    return ClaimPage(claims=kept[query.offset : query.offset + query.limit], total=len(kept))


# The *_week groups: the moment each counts by.
WEEK_GROUPS = {"rated_week": "rated_at", "approved_week": "approved_at", "published_week": "published_at"}


def iso_week(moment: dt.datetime | None) -> str:
    """The ISO week of a moment in UTC, "2026-W48" ("" for none)."""
    if moment is None:
        return ""
    year, week, _ = moment.astimezone(dt.UTC).isocalendar()
    return f"{year}-W{week:02d}"


def group_value(claim: Claim, group: ClaimGroup) -> str:
    """The value of `claim` a count groups it under ("" for none)."""
    if group in WEEK_GROUPS:
        return iso_week(getattr(claim, WEEK_GROUPS[group]))
    value = getattr(claim, group)
    return "" if value is None else str(value)


def count_by(claims: Iterable[Claim], group: ClaimGroup) -> dict[str, int]:
    return dict(Counter(group_value(claim, group) for claim in claims))


def article_rows(articles: Sequence[ArticleSummary], claims: Iterable[Claim]) -> dict[str, ArticleRow]:
    """Each article's row (claim count, statuses, latest change), by article id."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    rows = {}
    for article in articles:
        own = by_article.get(article.id, [])
        latest = max(own, key=lambda c: c.updated_at, default=None)
        rows[article.id] = ArticleRow(
            article=article,
            claims=len(own),
            by_status=count_by(own, "status"),
            last_updated_by=latest.updated_by if latest else None,
            last_updated_at=latest.updated_at if latest else None,
        )
    return rows


def article_matches(article: ArticleSummary, needle: str) -> bool:
    """Whether the casefolded `needle` is in the article's title, source file, URL or id."""
    fields = (article.title, article.source_file, article.url, article.id)
    return needle in "\n".join(field for field in fields if field).casefold()


def article_page(rows: Iterable[ArticleRow], query: ArticleQuery) -> ArticlePage:
    """The page `query` asks for, from every article's row."""
    needle = query.text.strip().casefold()
    kept = [
        row
        for row in rows
        if (not needle or article_matches(row.article, needle))
        and (query.claims == "any" or (row.claims > 0) == (query.claims == "some"))
    ]
    newest_first = sorted(kept, key=lambda row: (row.article.imported_at, row.article.id), reverse=True)
    if query.sort is ArticleSort.TITLE:
        ordered = sorted(kept, key=lambda row: ((row.article.title or "").casefold(), row.article.id))
    elif query.sort is ArticleSort.CLAIMS_DESC:
        ordered = sorted(newest_first, key=lambda row: -row.claims)  # stable: newest import breaks ties
    elif query.sort is ArticleSort.UPDATED_DESC:
        ordered = sorted(
            newest_first,
            key=lambda row: -_micros(row.last_updated_at) if row.last_updated_at else 1,
        )
    else:
        ordered = newest_first
    return ArticlePage(
        rows=ordered[query.offset : query.offset + query.limit],
        total=len(kept),
        sentences=sum(row.article.sentence_count for row in kept),
        claims=sum(row.claims for row in kept),
    )


def decision_counts(decisions: Iterable[SuggestionDecision]) -> dict[str, dict[str, int]]:
    """Accepted and rejected suggestions per claim type."""
    counts: dict[str, dict[str, int]] = {}
    for decision in decisions:
        tally = counts.setdefault(str(decision.claim_type), {"accepted": 0, "rejected": 0})
        tally[str(decision.decision)] += 1
    return counts


def factcheck_matches(check: KnownFactCheck, query: FactCheckQuery) -> bool:
    """Whether `check` passes `query`'s filters: the publisher exactly, the text casefolded anywhere in
    the claim, title, rating or publisher."""
    if query.publisher is not None and check.publisher != query.publisher:
        return False
    needle = query.text.strip().casefold()
    if not needle:
        return True
    return needle in "\n".join([check.claim, check.title, check.rating, check.publisher]).casefold()


def factcheck_order(check: KnownFactCheck) -> tuple[bool, int, str]:
    """Newest date first, undated last, then by id."""
    return (check.date is None, -(check.date.toordinal() if check.date else 0), check.id)


def factcheck_page(checks: Iterable[KnownFactCheck], query: FactCheckQuery) -> FactCheckPage:
    """The reference answer of `Repository.query_factchecks`."""
    chosen = sorted((check for check in checks if factcheck_matches(check, query)), key=factcheck_order)
    rows = chosen[query.offset : query.offset + query.limit]
    return FactCheckPage(rows=rows, total=len(chosen), offset=query.offset)


def count_factchecks(checks: Iterable[KnownFactCheck], group: FactCheckGroup) -> dict[str, int]:
    """The reference answer of `Repository.count_factchecks_by`."""
    return dict(Counter(getattr(check, group.value) or "" for check in checks))
