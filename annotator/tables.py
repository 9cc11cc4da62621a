"""Rows for the app's tables, and reading edits back from them; plain functions, no Streamlit."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from claims.models import ArticleSummary, Claim, ClaimChanges, ClaimStatus

STATUS_LABELS = {status: status.value.replace("_", " ") for status in ClaimStatus}


def article_title(article: ArticleSummary) -> str:
    return article.title or f"(untitled) {article.source_file or article.id}"


def article_rows(articles: Iterable[ArticleSummary], claims: Iterable[Claim]) -> list[dict[str, Any]]:
    """One row an article: counts, a status breakdown and who touched its claims last."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    rows = []
    for article in sorted(articles, key=lambda a: (a.imported_at, a.id), reverse=True):
        own = by_article.get(article.id, [])
        latest = max(own, key=lambda c: c.updated_at, default=None)
        rows.append(
            {
                "id": article.id,
                "title": article_title(article),
                "date": article.date,
                "sentences": article.sentence_count,
                "claims": len(own),
                "status": status_breakdown(own),
                "last editor": latest.updated_by if latest else article.imported_by,
                "updated": latest.updated_at if latest else article.imported_at,
            }
        )
    return rows


def status_breakdown(claims: Iterable[Claim]) -> str:
    counted = Counter(claim.status for claim in claims)
    return " · ".join(f"{counted[s]} {STATUS_LABELS[s]}" for s in ClaimStatus if counted[s])


def claim_rows(claims: Iterable[Claim], articles: Mapping[str, ArticleSummary]) -> list[dict[str, Any]]:
    """One row a claim for the claims table, newest change first; `link` opens it in its article."""
    rows = []
    for claim in sorted(claims, key=lambda c: c.updated_at, reverse=True):
        article = articles.get(claim.article_id)
        rows.append(
            {
                "id": claim.id,
                "quote": claim.quote,
                "type": claim.claim_type.value,
                "claimant": claim.claimant or "",
                "source": claim.source.name if claim.source else "",
                "status": claim.status.value,
                "verdict": claim.verdict.value,
                "article": article_title(article) if article else claim.article_id,
                "editor": claim.updated_by,
                "updated": claim.updated_at,
                "link": f"annotate?article={claim.article_id}&claim={claim.id}",
            }
        )
    return rows


def status_edits(
    edited_rows: Mapping[int, Mapping[str, Any]], shown: list[dict[str, Any]]
) -> dict[str, ClaimChanges]:
    """Turn st.data_editor's {"edited_rows": {row: {column: value}}} into status changes by claim id."""
    changes: dict[str, ClaimChanges] = {}
    for row, edit in edited_rows.items():
        status = edit.get("status")
        if status is None or status == shown[int(row)]["status"]:
            continue
        changes[shown[int(row)]["id"]] = ClaimChanges(status=ClaimStatus(status))
    return changes
