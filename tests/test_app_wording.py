"""Every page counts in English: one claim, one suggestion, one edit is never "1 claims" or "all 1"."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from app_support import click, store_claim
from streamlit.testing.v1 import AppTest

from claims.models import Article
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.ranking import SuggestionView, in_view
from claims.suggest.review import suggestion_id

WRONG_COUNT = re.compile(
    r"\ball 1\b|\b1 (?:[a-z]+ )?(?:claims|suggestions|edits|changes|sentences|articles|files|decisions)\b"
)


def everything_said(at: AppTest) -> list[str]:
    """Every piece of text on the page an editor reads: labels, captions, messages, headings."""
    said: list[str] = [button.label for button in at.button]
    for kind in ("caption", "markdown", "subheader", "title", "success", "error", "warning", "info", "toast"):
        said.extend(element.value for element in at.get(kind))
    said.extend(metric.label for metric in at.metric)
    return said


def miscounted(at: AppTest) -> list[str]:
    return [text for text in everything_said(at) if WRONG_COUNT.search(text)]


@pytest.fixture
def one_claim(app: AppTest, app_store: Repository, stored_sample: Article) -> AppTest:
    store_claim(app_store, stored_sample, "12,000 sailors", claim_type="statistic", status="needs_review")
    app.run()
    return app


@pytest.mark.parametrize(
    "page", ["app_pages/articles.py", "app_pages/claims_table.py", "app_pages/overview.py"]
)
def test_pages_with_one_of_everything_say_one(one_claim: AppTest, page: str) -> None:
    one_claim.switch_page(page).run()
    assert not one_claim.exception
    assert miscounted(one_claim) == []


def test_one_edit_in_the_claims_table_is_one_edit(one_claim: AppTest) -> None:
    one_claim.switch_page("app_pages/claims_table.py").run()
    editor = next(table for table in one_claim.dataframe if table.editing_mode != "read_only")
    one_claim.session_state[editor.key] = {
        "edited_rows": {0: {"status": "dropped"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    one_claim.run()
    assert not one_claim.exception
    assert any(re.search(r"\b1 (?:[a-z]+ )?(?:edit|change)\b", text) for text in everything_said(one_claim))
    assert miscounted(one_claim) == []


def test_a_sentence_with_one_suggestion_of_a_kind_offers_to_accept_the_one(
    app: AppTest, stored_sample: Article
) -> None:
    every = suggest_claims(stored_sample.text, stored_sample.sentences)
    shown = in_view(every, len(stored_sample.sentences), SuggestionView.BEST)
    per_sentence = Counter((s.sentence_index, s.claim_type) for s in shown)
    lone = next(s for s in shown if per_sentence[(s.sentence_index, s.claim_type)] == 1)
    app.switch_page("app_pages/annotate.py").run()
    app.selectbox(key="suggestion_picker").select(suggestion_id(lone))
    click(app, "Open suggestion")
    kind = lone.claim_type.value
    labels = [button.label for button in app.button]
    assert f"Accept the 1 {kind} suggestion in sentence {lone.sentence_index + 1}" in labels
    assert miscounted(app) == []
