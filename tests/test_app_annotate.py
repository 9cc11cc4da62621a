"""The Annotate page under AppTest: label through the keyboard path, edit, delete and undo, conflicts."""

from __future__ import annotations

import pytest
from app_support import SAMPLE_ARTICLE, by_label, click, store_claim
from streamlit.testing.v1 import AppTest

from claims.annotations import apply_changes
from claims.formats.articles import make_article, read_article_file
from claims.models import Article, ClaimChanges, ClaimStatus, Verdict
from claims.store.contract import Repository

PAGE = "app_pages/annotate.py"


@pytest.fixture
def article(stored_sample: Article) -> Article:
    return stored_sample


@pytest.fixture
def page(app: AppTest, article: Article) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def mark(at: AppTest, sentence: int, words: str) -> None:
    at.selectbox(key="fallback_sentence").select(sentence)
    at.text_input(key="fallback_quote").input(words)
    click(at, "Use this span")


def save(at: AppTest, label: str = "Save claim", **fields: str) -> None:
    for name, value in fields.items():
        widget = {"claim_type": "Type", "status": "Status", "verdict": "Verdict"}.get(name)
        if widget:
            by_label(at.selectbox, widget).select(value)
        else:
            label_of = {"claimant": "Claimant (who made it)", "source": "Source cited", "notes": "Notes"}[
                name
            ]
            element = by_label(at.text_input if name != "notes" else at.text_area, label_of)
            element.input(value)
    by_label(at.button, label).click()
    at.run()
    assert not at.exception


def test_the_page_shows_the_article_title_and_counts(page: AppTest, article: Article) -> None:
    assert page.subheader[0].value.replace("\\", "") == article.title
    assert f"{len(article.sentences)} sentences · 0 claims" in page.caption[0].value.replace("\\", "")


def test_an_editor_labels_a_claim_without_the_mouse(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    mark(page, 0, "as many as 12,000 sailors")
    assert any(text.value == "as many as 12,000 sailors" for text in page.text)
    save(page, claim_type="statistic", claimant="The navy", source="Reuters", status="in_progress")
    [claim] = app_store.list_claims(article.id)
    assert claim.quote == "as many as 12,000 sailors"
    assert article.text[claim.start : claim.end] == claim.quote
    assert (claim.claim_type.value, claim.claimant, claim.status.value) == (
        "statistic",
        "The navy",
        "in_progress",
    )
    assert claim.source is not None and claim.source.name == "Reuters"
    assert claim.created_by == "ana"
    assert "· 1 claim" in page.caption[0].value.replace("\\", "")


def test_a_blank_quote_marks_the_whole_sentence(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    mark(page, 3, "")
    save(page)
    [claim] = app_store.list_claims(article.id)
    assert claim.quote == article.sentences[3].text


def test_words_not_in_the_sentence_get_a_clear_error(page: AppTest, app_store: Repository) -> None:
    mark(page, 0, "200,000 troops")
    assert "quote='200,000 troops': not found in sentence 1" in page.error[0].value
    assert app_store.list_claims() == []


def test_a_bad_source_url_is_refused_naming_the_field(page: AppTest, app_store: Repository) -> None:
    mark(page, 0, "12,000 sailors")
    by_label(page.text_input, "Source URL").input("reuters dot com")
    save(page)
    assert "source.url='reuters dot com'" in page.error[0].value
    assert app_store.list_claims() == []


def test_opening_a_claim_and_changing_its_status_bumps_its_version(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships", claim_type="statistic")
    page.run()
    click(page, "Open claim")
    save(page, "Save changes", status="approved", verdict="mostly_true")
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.version, stored.updated_by) == (
        ClaimStatus.APPROVED, Verdict.MOSTLY_TRUE, 2, "ana",
    )  # fmt: skip
    assert stored.claim_type.value == "statistic" and stored.created_by == "ben"


def test_deleting_a_claim_asks_first_and_can_be_undone(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    click(page, "Delete…")
    assert "Delete this claim?" in page.warning[0].value
    click(page, "Yes, delete")
    assert app_store.list_claims() == []
    click(page, "Undo delete of “40 warships”")
    assert app_store.list_claims() == [claim]


def test_saving_over_another_editors_change_shows_who_changed_what_and_offers_reload(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    app_store.update_claim(article.id, claim.id, apply_changes(ClaimChanges(verdict=Verdict.FALSE), 1, "ben"))
    save(page, "Save changes", status="approved")
    message = page.error[0].value
    assert "changed by ben" in message and "verdict" in message and "your version 1, now 2" in message
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.version) == (ClaimStatus.NEW, Verdict.FALSE, 2)
    click(page, "Reload their version")
    assert not page.error
    assert by_label(page.selectbox, "Verdict").value == "false"
    save(page, "Save changes", status="approved")
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.version) == (ClaimStatus.APPROVED, Verdict.FALSE, 3)


def test_a_claim_deleted_by_someone_else_is_reported_not_crashed(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    app_store.delete_claim(article.id, claim.id, by="ben")
    page.run()
    assert "no longer exists" in page.warning[0].value


def test_next_sentence_without_claims_skips_labelled_sentences(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    store_claim(app_store, article, "12,000 sailors")
    store_claim(app_store, article, "Anna Kowalski")
    page.run()
    click(page, "Next sentence without claims")
    assert page.selectbox(key="fallback_sentence").value == 2


def test_previous_and_next_move_between_articles(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    other = make_article("A second article with 3 sentences. Two. Three.", title="Second")
    app_store.add_article(other)
    page.run()
    assert page.selectbox(key="article_picker").value == article.id
    click(page, "Next ▶")
    assert page.selectbox(key="article_picker").value == other.id
    click(page, "◀ Previous")
    assert page.selectbox(key="article_picker").value == article.id


def test_a_link_with_article_and_claim_opens_that_claim(
    app: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships", claimant="Kowalski")
    app.query_params["article"] = article.id
    app.query_params["claim"] = claim.id
    app.switch_page(PAGE).run()
    assert not app.exception
    assert by_label(app.text_input, "Claimant (who made it)").value == "Kowalski"


def test_markup_in_an_article_is_shown_literally(app: AppTest, app_store: Repository) -> None:
    unsafe = read_article_file(SAMPLE_ARTICLE.with_name("unsafe_markup.txt"))[0]
    app_store.add_article(unsafe)
    app.switch_page(PAGE).run()
    assert not app.exception
    heading = app.subheader[0].value
    assert "\\<script\\>" in heading and "<script>" not in heading
