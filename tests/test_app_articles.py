"""The Articles page under AppTest: sign-in, paste, list, open and delete articles."""

from __future__ import annotations

from typing import Any

from app_support import SAMPLE_ARTICLE, by_label, click, store_claim
from streamlit.testing.v1 import AppTest

from claims.annotations import new_claim, parse_draft
from claims.formats.articles import read_article_file
from claims.store.contract import Repository

BODY = "The navy said 12,000 sailors took part.\nThe ministry denied that the drills were aimed at anyone."


def paste(at: AppTest, title: str, body: str, url: str = "") -> None:
    by_label(at.text_input, "Title").input(title)
    by_label(at.text_input, "URL").input(url)
    by_label(at.text_area, "Body: one paragraph per line").input(body)
    click(at, "Import article")


def article_table(at: AppTest) -> Any:
    """The table of stored articles: the one that can be selected."""
    return next(table for table in at.dataframe if table.key and table.key.startswith("article_table"))


def select_row(at: AppTest, position: int) -> None:
    """Select a row of the stored articles, as a click on it in the browser would."""
    at.session_state[article_table(at).key] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    at.run()
    assert not at.exception


def test_the_app_asks_for_the_editors_name_before_anything_else(
    app_store: Repository, app_script: str
) -> None:
    at = AppTest.from_file(app_script, default_timeout=60).run()
    assert "Enter your name" in at.info[0].value
    by_label(at.sidebar.text_input, "Your name").input("  Ana Ruiz ")
    by_label(at.sidebar.button, "Start editing").click()
    at.run()
    assert not at.exception
    assert at.session_state["editor"] == "Ana Ruiz"
    assert any(text.value == "Ana Ruiz" for text in at.sidebar.text)
    assert at.title[0].value == "Articles"


def test_the_sidebar_shows_the_open_store_and_its_counts(app: AppTest, app_store: Repository) -> None:
    assert any(text.value == "claims.json" and text.help == app_store.location for text in app.sidebar.text)
    assert any("0 articles" in caption.value for caption in app.sidebar.caption)


def test_the_sidebar_counts_follow_changes_made_by_other_editors(app: AppTest, app_store: Repository) -> None:
    assert any("0 articles" in caption.value for caption in app.sidebar.caption)
    app_store.add_article(read_article_file(SAMPLE_ARTICLE)[0])
    app.run()
    assert any("1 article · 7 sentences · 0 claims" in caption.value for caption in app.sidebar.caption)


def test_pasting_an_article_stores_it_with_the_editor_and_lists_it(
    app: AppTest, app_store: Repository
) -> None:
    paste(app, "Harbour drills", BODY, "https://news.example/drills")
    assert "1 imported, 0 already present, 0 failed" in app.success[0].value
    [stored] = app_store.list_articles()
    assert (stored.title, stored.imported_by, stored.sentence_count) == ("Harbour drills", "ana", 2)
    assert app.dataframe[-1].value["title"].tolist() == ["Harbour drills"]


def test_pasting_the_same_article_again_says_it_is_already_present(
    app: AppTest, app_store: Repository
) -> None:
    paste(app, "Harbour drills", BODY)
    paste(app, "Another title", BODY)
    assert "0 imported, 1 already present" in app.success[0].value
    assert len(app_store.list_articles()) == 1


def test_a_malformed_url_is_refused_with_a_clear_message_and_nothing_stored(
    app: AppTest, app_store: Repository
) -> None:
    paste(app, "Harbour drills", BODY, "news.example/drills")
    assert "1 failed" in app.error[0].value
    assert "expected the article's URL as a web address" in app.dataframe[0].value["why"][0]
    assert app_store.list_articles() == []


def test_an_empty_body_is_refused(app: AppTest, app_store: Repository) -> None:
    paste(app, "Nothing", "   \n  ")
    assert "has no text" in app.dataframe[0].value["why"][0]
    assert app_store.list_articles() == []


def test_the_table_counts_claims_and_their_statuses(app: AppTest, app_store: Repository) -> None:
    article = read_article_file(SAMPLE_ARTICLE)[0]
    app_store.add_article(article)
    for quote, status in (("12,000 sailors", "new"), ("40 warships", "approved")):
        store_claim(app_store, article, quote, by="ben", status=status)
    app.run()
    row = app.dataframe[0].value.iloc[0]
    assert (row["claims"], row["status"], row["last editor"]) == (2, "1 new · 1 approved", "ben")
    assert row["sentences"] == article.sentence_count


def test_annotate_opens_the_selected_article(app: AppTest, app_store: Repository) -> None:
    paste(app, "Harbour drills", BODY)
    select_row(app, 0)
    click(app, "Annotate")
    assert app.session_state["article_id"] == app_store.list_articles()[0].id
    assert app.selectbox(key="article_picker").value == app_store.list_articles()[0].id


def test_deleting_an_article_asks_first_and_takes_its_claims_with_it(
    app: AppTest, app_store: Repository
) -> None:
    article = read_article_file(SAMPLE_ARTICLE)[0]
    app_store.add_article(article)
    draft = parse_draft({"article_id": article.id, "start": 0, "end": 8})
    app_store.add_claim(new_claim(article, draft, by="ben"))
    app.run()
    select_row(app, 0)
    click(app, "Delete…")
    assert "and its 1 claim? This cannot be undone." in app.warning[0].value
    assert app_store.list_articles() != []
    click(app, "Yes, delete")
    assert app_store.list_articles() == [] and app_store.list_claims() == []


def test_cancelling_a_delete_keeps_the_article(app: AppTest, app_store: Repository) -> None:
    paste(app, "Harbour drills", BODY)
    select_row(app, 0)
    click(app, "Delete…")
    assert app.warning[0].value == "Delete **Harbour drills**? This cannot be undone."  # no "its 0 claims"
    click(app, "Cancel")
    assert not app.warning
    assert len(app_store.list_articles()) == 1


def selected_captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption if caption.value.startswith("Selected:")]


def test_nothing_is_selected_until_the_editor_picks_a_row(app: AppTest, app_store: Repository) -> None:
    paste(app, "Harbour drills", BODY)
    assert selected_captions(app) == []
    assert by_label(app.button, "Annotate").disabled and by_label(app.button, "Delete…").disabled
    select_row(app, 0)
    assert selected_captions(app) == ["Selected: **Harbour drills**"]
    assert not by_label(app.button, "Annotate").disabled


def test_a_selection_never_moves_to_another_article_when_the_list_changes(
    app: AppTest, app_store: Repository
) -> None:
    paste(app, "Harbour drills", BODY)
    select_row(app, 0)
    app_store.add_article(read_article_file(SAMPLE_ARTICLE)[0])  # another editor: now the first row
    app.run()
    assert article_table(app).value["title"].tolist()[1] == "Harbour drills"
    assert selected_captions(app) == []
    assert by_label(app.button, "Delete…").disabled


def upload(at: AppTest, *files: tuple[str, bytes]) -> None:
    at.tabs[1].file_uploader[0].set_value([(name, data, "text/plain") for name, data in files])
    at.run()
    click(at, "Import files")


def test_the_uploader_is_empty_after_an_import(app: AppTest, app_store: Repository) -> None:
    upload(app, ("drills.txt", BODY.encode()))
    assert "1 imported, 0 already present, 0 failed" in app.success[0].value
    [uploader] = app.file_uploader
    assert not uploader.value
    assert by_label(app.button, "Import files").disabled
    upload(app, ("harbour.txt", SAMPLE_ARTICLE.read_bytes()))
    assert "1 imported, 0 already present, 0 failed" in app.success[0].value
    assert app.dataframe[0].value["file"].tolist() == ["harbour.txt"]
    assert len(app_store.list_articles()) == 2


def test_import_results_show_control_characters_in_file_names_as_escapes(
    app: AppTest, app_store: Repository
) -> None:
    name = "drills\x1b[31m\u202etxt.exe\n.txt"
    upload(app, (name, b"\xff\xfe not text"))
    [row] = app.dataframe[0].value.to_dict("records")
    assert row["file"] == "drills\\x1b[31m\\u202etxt.exe\\n.txt"
    assert row["result"] == "failed"
    assert not any(char in cell for cell in row.values() for char in "\x1b\u202e\n")


def test_a_delete_question_is_dropped_when_its_row_is_no_longer_selected(
    app: AppTest, app_store: Repository
) -> None:
    paste(app, "Harbour drills", BODY)
    select_row(app, 0)
    click(app, "Delete…")
    app_store.add_article(read_article_file(SAMPLE_ARTICLE)[0])  # the list changes: nothing is selected
    app.run()
    assert not app.warning
    select_row(app, 1)  # Harbour drills again: it must be asked for again
    assert not app.warning
    assert len(app_store.list_articles()) == 2
