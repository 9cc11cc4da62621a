"""The query contract in SQL: filters as WHERE clauses, sorts as ORDER BY on indexed columns, pages as
LIMIT/OFFSET. claims/store/queries.py is the reference each statement here must agree with."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from claims.models import ArticleQuery, ArticleSort, ClaimFilter, ClaimGroup, ClaimSort, ClaimStatus
from claims.store.postgres.rows import casefolded
from claims.store.queries import WEEK_GROUPS
from claims.workflow import CLOSED

CLAIM_ORDER: dict[ClaimSort, sql.SQL] = {
    ClaimSort.UPDATED_DESC: sql.SQL("c.updated_at DESC, c.id"),
    ClaimSort.UPDATED: sql.SQL("c.updated_at, c.id"),
    ClaimSort.CREATED_DESC: sql.SQL("c.created_at DESC, c.id"),
    ClaimSort.ARTICLE: sql.SQL("c.article_seq, c.start, c.id"),
    ClaimSort.STATUS: sql.SQL("c.status_rank, c.updated_at DESC, c.id"),
    # NULL (no claimant) sorts after every name in ascending order.
    ClaimSort.CLAIMANT: sql.SQL("c.claimant_key, c.updated_at DESC, c.id"),
    # Longest in its status first, claims without a status_since (loaded from older exports) before all.
    ClaimSort.WAITING: sql.SQL("c.status_since NULLS FIRST, c.id"),
}

ARTICLE_ORDER: dict[ArticleSort, sql.SQL] = {
    ArticleSort.IMPORTED_DESC: sql.SQL("imported_at DESC, id DESC"),
    ArticleSort.TITLE: sql.SQL("title_key, id"),
    ArticleSort.CLAIMS_DESC: sql.SQL("claim_count DESC, imported_at DESC, id DESC"),
    ArticleSort.UPDATED_DESC: sql.SQL("last_updated_at DESC NULLS LAST, imported_at DESC, id DESC"),
}

GROUP_COLUMN: dict[str, sql.Composed] = {
    group: sql.SQL("c.{}").format(sql.Identifier(group))
    for group in (
        "status", "verdict", "claim_type", "claimant", "assignee", "updated_by", "article_id", "rated_by"
    )
} | {
    # The ISO week in UTC, as claims.store.queries.iso_week writes it ("2026-W48").
    group: sql.SQL("""to_char({} AT TIME ZONE 'UTC', 'IYYY-"W"IW')""").format(sql.Identifier("c", column))
    for group, column in WEEK_GROUPS.items()
}  # fmt: skip
# "My claims" (claims.workflow.is_mine): open, and assigned to the editor, mentioning them, or waiting for
# a review they may give (needs review, rated by someone else).
MINE = sql.SQL(
    "(c.status <> ALL(%s) AND (c.assignee = %s OR c.mentions @> ARRAY[%s]::text[]"
    " OR (c.status = %s AND c.rated_by IS DISTINCT FROM %s)))"
)


def contains(needle: str) -> str:
    """A LIKE pattern finding `needle` (casefolded, as the stored keys are) anywhere, % _ \\ literal."""
    folded = casefolded(needle) or ""
    return "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def claim_filter(chosen: ClaimFilter | None) -> tuple[sql.Composable, list[Any]]:
    """FROM and WHERE for the claims (as `c`) matching `chosen`, with their parameters."""
    conditions: list[sql.Composable] = []
    params: list[Any] = []
    source: sql.Composable = sql.SQL("FROM claims c")
    if chosen is None:
        return source, params

    def any_of(column: str, values: set[str]) -> None:
        conditions.append(sql.SQL("c.{} = ANY(%s)").format(sql.Identifier(column)))
        params.append(sorted(values))

    def any_of_or_none(column: str, values: set[str]) -> None:
        # "" stands for a claim with no value.
        name = sql.Identifier(column)
        conditions.append(sql.SQL("(c.{} = ANY(%s) OR (%s AND c.{} IS NULL))").format(name, name))
        params.extend([sorted(values - {""}), "" in values])

    if chosen.claim_ids:
        any_of("id", chosen.claim_ids)
    if chosen.article_ids:
        any_of("article_id", chosen.article_ids)
    if chosen.statuses:
        any_of("status", {status.value for status in chosen.statuses})
    if chosen.verdicts:
        any_of("verdict", {verdict.value for verdict in chosen.verdicts})
    if chosen.types:
        any_of("claim_type", {kind.value for kind in chosen.types})
    if chosen.claimants:
        any_of_or_none("claimant", chosen.claimants)
    if chosen.assignees:
        any_of_or_none("assignee", chosen.assignees)
    if chosen.editors:
        any_of("updated_by", chosen.editors)
    if editor := chosen.mine:
        conditions.append(MINE)
        closed = sorted(status.value for status in CLOSED)
        params.extend([closed, editor, editor, ClaimStatus.NEEDS_REVIEW.value, editor])
    if needle := chosen.text.strip():
        conditions.append(
            sql.SQL(
                "(c.article_id, c.id) IN"
                " (SELECT s.article_id, s.id FROM claim_search s WHERE s.search LIKE %s)"
            )
        )
        params.append(contains(needle))
    if title := chosen.title.strip():
        source = sql.SQL("FROM claims c JOIN articles a ON a.id = c.article_id")
        conditions.append(sql.SQL("a.title_key LIKE %s"))
        params.append(contains(title))
    if conditions:
        source = sql.SQL("{} WHERE {}").format(source, sql.SQL(" AND ").join(conditions))
    return source, params


def article_filter(query: ArticleQuery) -> tuple[sql.Composable, list[Any]]:
    """WHERE (possibly empty) for the articles matching `query`, with its parameters."""
    conditions: list[sql.Composable] = []
    params: list[Any] = []
    if needle := query.text.strip():
        conditions.append(sql.SQL("search LIKE %s"))
        params.append(contains(needle))
    if query.claims == "some":
        conditions.append(sql.SQL("claim_count > 0"))
    elif query.claims == "none":
        conditions.append(sql.SQL("claim_count = 0"))
    if not conditions:
        return sql.SQL(""), params
    return sql.SQL("WHERE {}").format(sql.SQL(" AND ").join(conditions)), params


def group_column(group: ClaimGroup) -> sql.Composed:
    return GROUP_COLUMN[group]
