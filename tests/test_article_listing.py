"""Articles as lists show them (claims/article_listing.py), the same for the app's table and the CLI."""

from __future__ import annotations

import datetime as dt

from records_support import build_article, build_claim

from claims.article_listing import article_rows, article_title, status_breakdown
from claims.models import ArticleQuery, ClaimStatus
from claims.store.memory import MemoryRepository


def test_an_untitled_article_is_named_by_its_file_else_its_id() -> None:
    article = build_article("harbour", title=None)
    assert article_title(article) == "(untitled) harbour.txt"
    assert article_title(article.model_copy(update={"source_file": None})) == "(untitled) harbour"
    assert article_title(build_article(title="Harbour wall")) == "Harbour wall"


def test_the_status_breakdown_follows_the_workflow_and_leaves_out_absent_statuses() -> None:
    assert status_breakdown({"approved": 2, "new": 1, "dropped": 0}) == "1 new · 2 approved"
    assert status_breakdown({}) == ""


def test_a_row_says_who_touched_the_articles_claims_last_else_who_imported_it() -> None:
    repo = MemoryRepository()
    imported = dt.datetime(2024, 3, 2, 9, 30, tzinfo=dt.UTC)
    quiet, busy = build_article("quiet", imported_at=imported), build_article("busy", imported_at=imported)
    repo.add_article(quiet)
    repo.add_article(busy)
    claim = build_claim(busy, "4 million euros", by="ben", status=ClaimStatus.IN_PROGRESS)
    repo.add_claim(claim)
    rows = {row["id"]: row for row in article_rows(repo.query_articles(ArticleQuery()).rows)}
    assert (rows["quiet"]["last editor"], rows["quiet"]["updated"], rows["quiet"]["claims"]) == (
        "ana",
        imported,
        0,
    )
    assert (rows["busy"]["last editor"], rows["busy"]["updated"]) == ("ben", claim.updated_at)
    assert rows["busy"]["status"] == "1 in progress"
