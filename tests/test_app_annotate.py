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
    assert "source_url='reuters dot com'" in page.error[0].value
    assert app_store.list_claims() == []


def test_opening_a_claim_and_changing_its_status_bumps_its_version(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships", claim_type="statistic")
    page.run()
    click(page, "Open claim")
    save(page, "Save changes", status="in_progress", verdict="mostly_true")
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.version, stored.updated_by) == (
        ClaimStatus.IN_PROGRESS, Verdict.MOSTLY_TRUE, 2, "ana",
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


def ben_saves(app_store: Repository, article: Article, claim_id: str, **changes: object) -> None:
    current = app_store.get_claim(article.id, claim_id)
    edit = apply_changes(ClaimChanges.model_validate(changes), current.version, "ben")
    app_store.update_claim(article.id, claim_id, edit)


def test_a_refused_save_keeps_my_values_and_shows_both_versions_with_who_and_when(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    ben_saves(app_store, article, claim.id, verdict="false")
    save(page, "Save changes", status="in_progress", notes="Navy press release, 3 March.")
    message = page.error[0].value.replace("\\", "")
    assert message.startswith("ben saved this claim at ") and "after you opened it" in message
    assert claim.id not in message
    # My values are still in the form; both versions of every changed field are shown.
    assert by_label(page.selectbox, "Status").value == "in_progress"
    assert by_label(page.text_area, "Notes").value == "Navy press release, 3 March."
    shown = [text.value for text in page.text]
    assert "Navy press release, 3 March." in shown and "(empty)" in shown  # notes: mine, theirs
    assert "in progress" in shown and "false" in shown and "unrated" in shown
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.version) == (ClaimStatus.NEW, Verdict.FALSE, 2)


def test_applying_my_changes_on_top_of_theirs_keeps_both(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    ben_saves(app_store, article, claim.id, verdict="false")
    save(page, "Save changes", status="in_progress", notes="Navy press release.")
    click(page, "Apply my changes on top of theirs")
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.notes, stored.version, stored.updated_by) == (
        ClaimStatus.IN_PROGRESS, Verdict.FALSE, "Navy press release.", 3, "ana",
    )  # fmt: skip
    assert not page.error
    assert by_label(page.selectbox, "Verdict").value == "false"


def test_a_field_we_both_changed_takes_the_side_i_choose(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    ben_saves(app_store, article, claim.id, verdict="false", claimant="The navy")
    save(page, "Save changes", verdict="mostly_true")
    [choice] = page.radio
    assert choice.label.startswith("Verdict: you both changed it")
    choice.set_value("mine").run()
    click(page, "Apply my changes on top of theirs")
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.verdict, stored.claimant, stored.version) == (Verdict.MOSTLY_TRUE, "The navy", 3)


def test_discarding_mine_shows_their_version(page: AppTest, app_store: Repository, article: Article) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    ben_saves(app_store, article, claim.id, verdict="false")
    save(page, "Save changes", status="in_progress")
    click(page, "Discard mine")
    assert not page.error
    assert (by_label(page.selectbox, "Status").value, by_label(page.selectbox, "Verdict").value) == (
        "new", "false",
    )  # fmt: skip
    save(page, "Save changes", status="in_progress")
    stored = app_store.get_claim(article.id, claim.id)
    assert (stored.status, stored.verdict, stored.version) == (ClaimStatus.IN_PROGRESS, Verdict.FALSE, 3)


def test_a_claim_deleted_by_someone_else_is_reported_not_crashed(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    app_store.delete_claim(article.id, claim.id, by="ben")
    page.run()
    assert "no longer exists" in page.warning[0].value


def test_unsaved_changes_to_a_claim_deleted_by_someone_else_are_shown_once_and_not_guarded(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    click(page, "Open claim")
    by_label(page.text_area, "Notes").input("Ask the navy.")
    page.run()
    app_store.delete_claim(article.id, claim.id, by="Ben Okafor")
    page.run()
    assert "no longer exists" in page.warning[0].value
    assert any("Notes: Ask the navy." in text.value for text in page.text)
    assert page.session_state["claim_drafts"] == {}


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
    assert page.selectbox(key="article_picker").value == article.id  # an import does not move the editor
    assert by_label(page.button, "Next ▶").disabled  # newest import first: the first article is the last
    click(page, "◀ Previous")
    assert page.selectbox(key="article_picker").value == other.id
    click(page, "Next ▶")
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


# --- the URL keeps the editor's place ----------------------------------------------------------------


def test_the_url_follows_the_article_and_the_open_claim(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    claim = store_claim(app_store, article, "40 warships")
    page.run()
    assert page.query_params == {"article": article.id}
    click(page, "Open claim")
    assert page.query_params == {"article": article.id, "claim": claim.id}
    click(page, "Close")
    assert page.query_params == {"article": article.id}


def test_a_reload_lands_on_the_article_and_claim_the_url_names(
    app: AppTest, app_store: Repository, article: Article
) -> None:
    other = make_article("A second article with 3 sentences. Two. Three.", title="Second")
    app_store.add_article(other)
    claim = store_claim(app_store, other, "Two.", claimant="Kowalski")
    app.query_params.update({"article": other.id, "claim": claim.id})
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.selectbox(key="article_picker").value == other.id
    assert by_label(app.text_input, "Claimant (who made it)").value == "Kowalski"
    assert app.query_params == {"article": other.id, "claim": claim.id}


def test_going_back_to_an_earlier_url_opens_that_place_again(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    first = store_claim(app_store, article, "40 warships", claimant="first")
    second = store_claim(app_store, article, "12,000 sailors", claimant="second")
    page.run()
    page.selectbox(key="open_claim_picker").select(first.id)
    click(page, "Open claim")
    earlier = dict(page.query_params)
    page.selectbox(key="open_claim_picker").select(second.id)
    click(page, "Open claim")
    assert by_label(page.text_input, "Claimant (who made it)").value == "second"
    page.query_params.clear()
    page.query_params.update(earlier)  # what the browser's back button does to the URL
    page.run()
    assert by_label(page.text_input, "Claimant (who made it)").value == "first"


def test_an_unknown_article_in_the_url_is_named_in_a_message(app: AppTest, article: Article) -> None:
    app.query_params["article"] = "0123456789abcdef"
    app.switch_page(PAGE).run()
    assert not app.exception
    assert "0123456789abcdef" in app.warning[0].value and "does not hold" in app.warning[0].value
    assert app.selectbox(key="article_picker").value == article.id


def test_an_unknown_claim_in_the_url_is_named_in_a_message(app: AppTest, article: Article) -> None:
    app.query_params.update({"article": article.id, "claim": "no-such-claim"})
    app.switch_page(PAGE).run()
    assert not app.exception
    assert "no longer exists" in app.warning[0].value


# --- drafts: an unsaved form comes back -----------------------------------------------------------


def test_an_unsaved_new_claim_comes_back_after_visiting_another_page(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    mark(page, 0, "as many as 12,000 sailors")
    by_label(page.text_area, "Notes").input("Ask the navy for the crew list.")
    by_label(page.selectbox, "Type").select("statistic")
    page.run()
    page.switch_page("app_pages/claims_table.py").run()
    page.switch_page(PAGE).run()
    assert not page.exception
    assert by_label(page.text_area, "Notes").value == "Ask the navy for the crew list."
    assert by_label(page.selectbox, "Type").value == "statistic"
    save(page)
    [claim] = app_store.list_claims(article.id)
    assert (claim.quote, claim.notes) == ("as many as 12,000 sailors", "Ask the navy for the crew list.")


def test_an_unsaved_edit_comes_back_after_opening_another_claim(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    first = store_claim(app_store, article, "40 warships")
    second = store_claim(app_store, article, "12,000 sailors")
    page.run()
    page.selectbox(key="open_claim_picker").select(first.id)
    click(page, "Open claim")
    by_label(page.selectbox, "Verdict").select("false")
    page.run()
    page.selectbox(key="open_claim_picker").select(second.id)
    click(page, "Open claim")
    assert by_label(page.selectbox, "Verdict").value == "unrated"
    page.selectbox(key="open_claim_picker").select(first.id)
    click(page, "Open claim")
    assert by_label(page.selectbox, "Verdict").value == "false"
    assert app_store.get_claim(article.id, first.id).verdict is Verdict.UNRATED


def test_saving_a_claim_forgets_its_draft(page: AppTest, app_store: Repository, article: Article) -> None:
    mark(page, 0, "40 warships")
    save(page, notes="checked")
    assert page.session_state["claim_drafts"] == {}


def test_enter_in_the_words_box_marks_them(page: AppTest, article: Article) -> None:
    page.selectbox(key="fallback_sentence").select(0)
    page.text_input(key="fallback_quote").input("12,000 sailors").run()
    assert not page.exception
    assert any(text.value == "12,000 sailors" for text in page.text)
    assert any(m.value == "#### New claim" for m in page.markdown)


# --- every widget key in state.py --------------------------------------------------------------------

ANNOTATE_FILES = ["app_pages/annotate.py", "claim_panel.py", "suggestion_panel.py", "claim_form.py"]


@pytest.mark.parametrize("name", ANNOTATE_FILES)
def test_every_widget_key_of_the_annotate_page_is_named_in_state(name: str) -> None:
    """A key written as a literal ("cancel_new", f"switch_{id}") is one state.py does not know of."""
    import ast
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "annotator" / name
    if not path.exists():
        pytest.skip(f"{name} is not part of this version")
    literal_keys = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if isinstance(value, ast.JoinedStr):
                    written = isinstance(value.values[0], ast.Constant)  # f"switch_{…}"
                else:
                    written = isinstance(value, ast.Constant)
                if keyword.arg == "key" and written:
                    literal_keys.append(f"line {node.lineno}: {ast.unparse(value)}")
    assert literal_keys == []
