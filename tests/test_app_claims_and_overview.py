"""The Claims and Overview pages under AppTest: filters, bulk changes, downloads, progress."""

from __future__ import annotations

import json
from typing import Any

import pytest
from app_support import click, store_claim
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from annotator.tables import claim_rows, status_edits
from claims.filtering import change_claims
from claims.formats.articles import make_article
from claims.models import Article, Claim, ClaimChanges, ClaimStatus, Verdict
from claims.store.contract import Repository


@pytest.fixture
def article(stored_sample: Article) -> Article:
    return stored_sample


@pytest.fixture
def claims(app_store: Repository, article: Article) -> list[Claim]:
    return [
        store_claim(app_store, article, "12,000 sailors", claim_type="statistic", claimant="Reuters"),
        store_claim(
            app_store, article, "$4bn", claim_type="statistic", claimant="Mark Ellis", status="needs_review"
        ),
        store_claim(
            app_store,
            article,
            "The ministry has repeatedly denied",
            claim_type="denial",
            verdict="false",
            notes="blockade",
        ),
    ]


@pytest.fixture
def claims_page(app: AppTest, claims: list[Claim]) -> AppTest:
    app.switch_page("app_pages/claims_table.py").run()
    assert not app.exception
    return app


def shown_count(at: AppTest) -> str:
    return next(
        caption.value for caption in at.caption if " of " in caption.value and "claims" in caption.value
    )


def test_the_table_lists_every_claim_with_its_article(claims_page: AppTest, article: Article) -> None:
    table = claims_page.dataframe[0].value
    assert len(table) == 3
    assert set(table["article"]) == {article.title}
    assert shown_count(claims_page) == "3 of 3 claims"


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        ("filter_status", ["needs_review"], "1 of 3"),
        ("filter_type", ["statistic"], "2 of 3"),
        ("filter_verdict", ["false"], "1 of 3"),
        ("filter_claimant", ["Reuters", "Mark Ellis"], "2 of 3"),
    ],
)
def test_filters_narrow_the_table(claims_page: AppTest, key: str, values: list[str], expected: str) -> None:
    claims_page.multiselect(key=key).set_value(values).run()
    assert shown_count(claims_page).startswith(expected)


def test_text_search_looks_in_notes_and_quotes(claims_page: AppTest) -> None:
    claims_page.text_input(key="filter_text").input("BLOCKADE").run()
    assert shown_count(claims_page).startswith("1 of 3")
    claims_page.text_input(key="filter_text").input("sailors").run()
    assert shown_count(claims_page).startswith("1 of 3")


def test_bulk_status_change_applies_to_the_filtered_claims_only(
    claims_page: AppTest, app_store: Repository
) -> None:
    claims_page.multiselect(key="filter_type").set_value(["statistic"]).run()
    claims_page.selectbox(key="bulk_status").select("approved").run()
    click(claims_page, "Apply to 2 shown claims")
    assert "Changed 2 claims." in claims_page.success[0].value
    statuses = sorted((c.claim_type.value, c.status.value, c.updated_by) for c in app_store.list_claims())
    assert statuses == [
        ("denial", "new", "ben"),
        ("statistic", "approved", "ana"),
        ("statistic", "approved", "ana"),
    ]


def test_there_is_a_download_button_for_every_export_format(claims_page: AppTest) -> None:
    labels = [button.proto.label for button in claims_page.get("download_button")]
    assert labels == ["JSON", "JSON Lines", "CSV", "ClaimReview"]


def test_status_edits_in_the_table_become_changes_by_claim_id(claims: list[Claim], article: Article) -> None:
    rows = claim_rows(claims, {article.id: article.summary()})
    edits = status_edits(
        {0: {"status": "published"}, 1: {"status": rows[1]["status"]}, 2: {"notes": "x"}}, rows
    )
    assert list(edits) == [rows[0]["id"]]
    assert edits[rows[0]["id"]].status is ClaimStatus.PUBLISHED


def test_overview_counts_progress_and_lists_what_needs_attention(
    app: AppTest, app_store: Repository, claims: list[Claim]
) -> None:
    app_store.add_article(
        make_article("An article nobody has labelled, with 2 sentences. Yes.", title="Fresh")
    )
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert {k: metrics[k] for k in ("Articles", "Claims", "Waiting for review", "Published")} == {
        "Articles": "2", "Claims": "3", "Waiting for review": "1", "Published": "0",
    }  # fmt: skip
    assert (metrics["Suggestions accepted"], metrics["Accepted of decided"]) == ("0", "–")
    headers = [header.value for header in app.subheader]
    assert "Articles with no claims yet (1)" in headers and "Waiting for review (1)" in headers
    tables = app.dataframe
    assert tables[0].value["title"].tolist() == ["Fresh"]
    assert tables[1].value["quote"].tolist() == ["$4bn"]


@pytest.fixture
def overview(app: AppTest, claims: list[Claim]) -> AppTest:
    app.switch_page("app_pages/overview.py").run()
    assert not app.exception
    return app


def bars(chart: Any) -> list[tuple[str, int]]:
    """The bars of a chart, top to bottom, as (label, count); the chart must fix their order itself."""
    spec = json.loads(chart.proto.spec)
    order = spec["encoding"]["y"].get("sort")
    assert isinstance(order, list), f"the bars are in the chart's own order ({order!r}), not the workflow's"
    counts = dict(
        dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.data.data)[["label", "claims"]].values
    )
    return [(label, int(counts[label])) for label in order]


def test_overview_bars_follow_the_workflow_in_the_apps_words(overview: AppTest) -> None:
    by_status, by_verdict = overview.get("vega_lite_chart")
    assert bars(by_status) == [
        ("new", 2), ("in progress", 0), ("needs review", 1),
        ("approved", 0), ("published", 0), ("dropped", 0),
    ]  # fmt: skip
    assert bars(by_verdict) == [
        ("true", 0), ("mostly true", 0), ("half true", 0), ("mostly false", 0), ("false", 1),
        ("misleading", 0), ("unproven", 0), ("not checkable", 0), ("unrated", 2),
    ]  # fmt: skip


def test_recent_changes_say_who_changed_which_claim_and_when(
    app: AppTest, app_store: Repository, claims: list[Claim]
) -> None:
    first = claims[0]
    change_claims(app_store, {first.id: ClaimChanges(verdict=Verdict.MOSTLY_TRUE)}, {first.id: first}, "Cleo")
    app.switch_page("app_pages/overview.py").run()
    recent = app.dataframe[-1]
    assert list(recent.proto.column_order)[:4] == ["when", "who", "change", "quote"]
    newest = recent.value.iloc[0]
    assert (newest["who"], newest["change"], newest["quote"]) == (
        "Cleo",
        "edited (version 2)",
        "12,000 sailors",
    )
    assert newest["when"] == app_store.get_claim(first.article_id, first.id).updated_at
    assert newest["verdict"] == "mostly true"
    assert newest["open"] == f"annotate?article={first.article_id}&claim={first.id}"
    assert recent.value["change"].tolist()[1:] == ["created", "created"]
    assert not any(
        "_" in value for value in recent.value["status"].tolist() + recent.value["verdict"].tolist()
    )
