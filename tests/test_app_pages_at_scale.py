"""The pages over a store of a few hundred claims (more than one page): paging, sorting, filters that go
back to page 1, a bulk change of every matching claim with its undo, and Overview, Articles and sidebar
numbers that equal a direct count of the store."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from app_support import by_label, click
from streamlit.testing.v1 import AppTest

from claims.annotations import apply_changes, new_claim
from claims.formats.articles import make_article
from claims.models import (
    Article,
    ArticleQuery,
    Claim,
    ClaimChanges,
    ClaimDraft,
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    ClaimType,
    Verdict,
)
from claims.store.contract import Repository
from tests.records_support import at_status

STATISTICS = 250  # claims of type statistic: more than two pages of 100
OTHERS = 60  # quotes
STATUSES = list(ClaimStatus)


def fleet_article(number: int, sentences: int) -> Article:
    body = " ".join(f"Ship {number}-{n} carried {n + 1} sailors to the port." for n in range(sentences))
    return make_article(body, title=f"Fleet report {number}", source_file=f"fleet_{number}.txt")


@pytest.fixture
def desk(app_store: Repository) -> list[Claim]:
    """Four articles of 80 sentences with a claim on most sentences, and one article without claims."""
    articles = [fleet_article(number, 80) for number in range(4)]
    claims = []
    for index in range(STATISTICS + OTHERS):
        article = articles[index % 4]
        sentence = article.sentences[index // 4]
        draft = ClaimDraft(
            article_id=article.id,
            start=sentence.start,
            end=sentence.end,
            claim_type=ClaimType.STATISTIC if index < STATISTICS else ClaimType.QUOTE,
            verdict=Verdict.FALSE if index % 7 == 0 else Verdict.UNRATED,
            claimant=f"Captain {index % 5}",
            assignee=["Ana Ruiz", "Ben Okafor", None][index % 3],
        )
        made = new_claim(article, draft, by=["Ben Okafor", "Carla Diaz"][index % 2])
        claims.append(at_status(made, STATUSES[index % len(STATUSES)]))
    app_store.merge([*articles, fleet_article(9, 3)], claims)
    return claims


@pytest.fixture
def claims_page(app: AppTest, desk: list[Claim]) -> AppTest:
    app.switch_page("app_pages/claims_table.py").run()
    assert not app.exception
    return app


def captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


def table_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["id"])


def statuses(repo: Repository) -> dict[str, ClaimStatus]:
    return {claim.id: claim.status for claim in repo.list_claims()}


def test_the_table_shows_one_page_and_pages_through_every_matching_claim(
    claims_page: AppTest, app_store: Repository
) -> None:
    total = STATISTICS + OTHERS
    assert f"rows 1–100 of {total} matching · {total} claims in all" in captions(claims_page)
    assert "page 1 of 4" in captions(claims_page)
    assert by_label(claims_page.button, "◀ Previous page").disabled
    seen: list[str] = table_ids(claims_page)
    for number in (2, 3, 4):
        click(claims_page, "Next page ▶")
        assert f"page {number} of 4" in captions(claims_page)
        seen += table_ids(claims_page)
    assert by_label(claims_page.button, "Next page ▶").disabled
    assert f"rows 301–{total} of {total} matching · {total} claims in all" in captions(claims_page)
    expected = app_store.query_claims(ClaimQuery(limit=1000)).claims
    assert seen == [claim.id for claim in expected]  # every claim once, newest change first
    click(claims_page, "◀ Previous page")
    assert "page 3 of 4" in captions(claims_page)


def test_a_sort_orders_the_pages_as_the_store_does(claims_page: AppTest, app_store: Repository) -> None:
    claims_page.selectbox(key="claims_sort").select("status").run()
    assert not claims_page.exception
    click(claims_page, "Next page ▶")
    query = ClaimQuery(sort=ClaimSort.STATUS, offset=100, limit=100)
    assert table_ids(claims_page) == [claim.id for claim in app_store.query_claims(query).claims]
    claims_page.selectbox(key="claims_page_size").select(200).run()  # another size starts at page 1
    assert "page 1 of 2" in captions(claims_page)
    assert table_ids(claims_page)[:3] == [
        c.id for c in app_store.query_claims(query.model_copy(update={"offset": 0})).claims[:3]
    ]


def test_a_filter_narrowing_the_claims_goes_back_to_page_1(claims_page: AppTest) -> None:
    click(claims_page, "Next page ▶")
    click(claims_page, "Next page ▶")
    claims_page.multiselect(key="filter_verdict").set_value(["false"]).run()
    matching = sum(1 for index in range(STATISTICS + OTHERS) if index % 7 == 0)
    assert f"rows 1–{matching} of {matching} matching · {STATISTICS + OTHERS} claims in all" in captions(
        claims_page
    )
    assert "page 1 of 1" in captions(claims_page)
    assert set(claims_page.dataframe[0].value["verdict"]) == {"false"}


def test_assignee_and_editor_filters_are_offered_from_the_store(
    claims_page: AppTest, desk: list[Claim]
) -> None:
    assignee = claims_page.multiselect(key="filter_assignee")
    assert assignee.options == ["(nobody)", "Ana Ruiz", "Ben Okafor"]
    assignee.set_value([""]).run()
    nobody = sum(1 for claim in desk if claim.assignee is None)
    assert f"rows 1–100 of {nobody} matching · {len(desk)} claims in all" in captions(claims_page)
    claims_page.multiselect(key="filter_editor").set_value(["Carla Diaz"]).run()
    both = sum(1 for claim in desk if claim.assignee is None and claim.updated_by == "Carla Diaz")
    assert f"rows 1–{both} of {both} matching · {len(desk)} claims in all" in captions(claims_page)


def test_a_bulk_change_sets_every_matching_claim_beyond_the_page_and_undo_restores_them_all(
    claims_page: AppTest, app_store: Repository, desk: list[Claim]
) -> None:
    before = statuses(app_store)
    # Claims that are new or in progress can be dropped and, by undo, reopened (the workflow's steps).
    reopenable = [ClaimStatus.NEW, ClaimStatus.IN_PROGRESS]
    matching = [c for c in desk[:STATISTICS] if c.status in reopenable]
    claims_page.multiselect(key="filter_type").set_value(["statistic"]).run()
    claims_page.multiselect(key="filter_status").set_value([s.value for s in reopenable]).run()
    claims_page.selectbox(key="claims_page_size").select(50).run()
    assert f"rows 1–50 of {len(matching)} matching · {len(desk)} claims in all" in captions(claims_page)
    claims_page.selectbox(key="bulk_status").select("dropped").run()
    click(claims_page, f"Apply to {len(matching)} matching claims…")
    changing = len(matching)
    question = f"Set status of {changing} matching claims to dropped?"
    assert any(md.value.startswith(f"**{question}**") for md in claims_page.markdown)
    assert statuses(app_store) == before  # asking wrote nothing
    click(claims_page, f"Yes, set {changing} claims")
    assert claims_page.success[0].value == f"Set status of {changing} claims to dropped."
    after = statuses(app_store)
    statistics = {claim.id for claim in matching}
    assert {after[claim_id] for claim_id in statistics} == {ClaimStatus.DROPPED}
    assert {i: s for i, s in after.items() if i not in statistics} == {
        i: s for i, s in before.items() if i not in statistics
    }
    click(claims_page, "Undo")
    assert claims_page.success[0].value == f"Undone: {changing} claims back as they were."
    assert statuses(app_store) == before


def test_a_bulk_change_refuses_a_claim_off_the_page_changed_after_the_question_and_names_who(
    claims_page: AppTest, app_store: Repository, desk: list[Claim]
) -> None:
    claims_page.multiselect(key="filter_type").set_value(["statistic"]).run()
    claims_page.selectbox(key="bulk_status").select("dropped").run()
    click(claims_page, f"Apply to {STATISTICS} matching claims…")
    shown = set(table_ids(claims_page))
    last = app_store.query_claims(
        ClaimQuery(filter=ClaimFilter(types={ClaimType.STATISTIC}), offset=249, limit=1)
    )
    [theirs] = last.claims
    assert theirs.id not in shown and theirs.status is not ClaimStatus.DROPPED
    app_store.update_claim(
        theirs.article_id,
        theirs.id,
        apply_changes(ClaimChanges(assignee="Carla Diaz"), theirs.version, "Carla Diaz"),
    )
    already = sum(1 for claim in desk[:STATISTICS] if claim.status is ClaimStatus.DROPPED)
    click(claims_page, f"Yes, set {STATISTICS - already} claims")
    assert claims_page.success[0].value == f"Set status of {STATISTICS - already - 1} claims to dropped."
    [refused] = claims_page.error
    message = re.sub(r"\\(.)", r"\1", refused.value)  # shown escaped
    assert re.search(r"Carla Diaz changed it at .* after you were asked; left as it is\.$", message)
    assert app_store.get_claim(theirs.article_id, theirs.id).status is not ClaimStatus.DROPPED


def test_overview_numbers_equal_a_direct_count_of_the_store(
    app: AppTest, app_store: Repository, desk: list[Claim]
) -> None:
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    every = app_store.list_claims()
    by_status = Counter(claim.status for claim in every)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Articles"] == str(len(app_store.list_articles()))
    assert metrics["Claims"] == str(len(every))
    assert metrics["Waiting for review"] == str(by_status[ClaimStatus.NEEDS_REVIEW])
    assert metrics["Published"] == str(by_status[ClaimStatus.PUBLISHED])
    headers = [header.value for header in app.subheader]
    claimed = {claim.article_id for claim in every}
    untouched = [a for a in app_store.list_articles() if a.id not in claimed]
    assert f"Articles with no claims yet ({len(untouched)})" in headers
    assert f"Review queue ({by_status[ClaimStatus.NEEDS_REVIEW]})" in headers
    open_claims = Counter(
        claim.assignee
        for claim in every
        if claim.assignee and claim.status not in (ClaimStatus.PUBLISHED, ClaimStatus.DROPPED)
    )
    by_editor = next(table.value for table in app.dataframe if "open claims" in table.value.columns)
    assert dict(zip(by_editor["editor"], by_editor["open claims"], strict=True)) == open_claims
    waiting = next(table.value for table in app.dataframe if "waiting" in table.value.columns)
    assert len(waiting) == min(50, by_status[ClaimStatus.NEEDS_REVIEW])
    [recent] = (table.value for table in app.dataframe if "who" in table.value.columns)
    assert len(recent) == 15


def test_the_sidebar_counts_equal_a_direct_count_of_the_store(
    app: AppTest, app_store: Repository, desk: list[Claim]
) -> None:
    app.run()
    articles = app_store.list_articles()
    sentences = sum(article.sentence_count for article in articles)
    expected = f"{len(articles)} articles · {sentences} sentences · {len(app_store.list_claims())} claims"
    assert expected in [caption.value for caption in app.sidebar.caption]


def article_rows(at: AppTest) -> Any:
    return next(table for table in at.dataframe if table.key and table.key.startswith("article_table")).value


def test_the_articles_page_is_paged_searchable_and_its_totals_equal_a_direct_count(
    app: AppTest, app_store: Repository, desk: list[Claim]
) -> None:
    extra = [fleet_article(100 + n, 2) for n in range(55)]
    app_store.merge(extra, [])
    app.switch_page("app_pages/articles.py").run()
    assert not app.exception
    articles = app_store.list_articles()
    sentences = sum(article.sentence_count for article in articles)
    claims = len(app_store.list_claims())
    assert f"rows 1–50 of {len(articles)} articles · {sentences:,} sentences · {claims} claims" in captions(
        app
    )
    first = list(article_rows(app)["id"])
    click(app, "Next page ▶")
    second = list(article_rows(app)["id"])
    listed = [row.article.id for row in app_store.query_articles(ArticleQuery(limit=1000)).rows]
    assert first + second == listed
    app.text_input(key="article_search").input("fleet report 2").run()
    assert list(article_rows(app)["title"]) == ["Fleet report 2"]
    [second_report] = [article for article in articles if article.title == "Fleet report 2"]
    assert list(article_rows(app)["claims"]) == [sum(1 for c in desk if c.article_id == second_report.id)]
