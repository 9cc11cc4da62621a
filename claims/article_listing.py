"""Articles as lists show them (the app's Articles table, `claims articles`): a title even for an untitled
article, its claims by status in workflow order, and who touched it last."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from claims.labels import label
from claims.models import ArticleRow, ArticleSummary, ClaimStatus


def article_title(article: ArticleSummary) -> str:
    """The article's title; an untitled one is named by its file (or id)."""
    return article.title or f"(untitled) {article.source_file or article.id}"


def article_rows(rows: Iterable[ArticleRow]) -> list[dict[str, Any]]:
    """One table row an article, in the order given: counts, a status breakdown and who touched its
    claims last (the importer, for an article without claims)."""
    return [
        {
            "id": row.article.id,
            "title": article_title(row.article),
            "date": row.article.date,
            "sentences": row.article.sentence_count,
            "claims": row.claims,
            "status": status_breakdown(row.by_status),
            "last editor": row.last_updated_by or row.article.imported_by,
            "updated": row.last_updated_at or row.article.imported_at,
        }
        for row in rows
    ]


def status_breakdown(by_status: Mapping[str, int]) -> str:
    """ "1 new · 2 approved": the statuses present, in workflow order."""
    return " · ".join(f"{by_status[s]} {label(s)}" for s in ClaimStatus if by_status.get(s))
