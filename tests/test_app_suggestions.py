"""Suggestions on the Annotate page under AppTest: open, accept (editing first), reject, all of a kind."""

from __future__ import annotations

import pytest
from app_support import by_label, click
from streamlit.testing.v1 import AppTest

from claims.models import Article, ClaimOrigin, ClaimType, Decision
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.ranking import SuggestionView, in_view
from claims.suggest.review import open_suggestions, suggestion_id


@pytest.fixture
def article(stored_sample: Article) -> Article:
    return stored_sample


@pytest.fixture
def page(app: AppTest, article: Article) -> AppTest:
    app.switch_page("app_pages/annotate.py").run()
    assert not app.exception
    return app


def open_suggestion(at: AppTest, quote: str, claim_type: ClaimType, article: Article) -> str:
    """Open one candidate, whatever the default view shows: these tests act on particular candidates."""
    at.toggle(key="show_low_scores").set_value(True).run()
    suggestion = next(
        s
        for s in suggest_claims(article.text, article.sentences)
        if s.quote == quote and s.claim_type is claim_type
    )
    at.selectbox(key="suggestion_picker").select(suggestion_id(suggestion))
    click(at, "Open suggestion")
    return suggestion_id(suggestion)


def test_the_picker_offers_the_best_claims_until_asked_for_all_then_every_candidate(
    page: AppTest, article: Article
) -> None:
    every = suggest_claims(article.text, article.sentences)
    best = in_view(every, len(article.sentences), SuggestionView.BEST)
    assert len({s.sentence_index for s in best}) <= round(len(article.sentences) / 3)
    assert len(page.selectbox(key="suggestion_picker").options) == len(best)
    page.toggle(key="show_all_suggestions").set_value(True).run()
    every_claim = in_view(every, len(article.sentences), SuggestionView.ALL)
    assert len(every_claim) > len(best)
    assert len(page.selectbox(key="suggestion_picker").options) == len(every_claim)
    page.toggle(key="show_low_scores").set_value(True).run()
    assert len(page.selectbox(key="suggestion_picker").options) == len(every)
    page.toggle(key="show_suggestions").set_value(False).run()
    assert not [s for s in page.selectbox if s.key == "suggestion_picker"]


def test_an_attributed_figure_is_one_suggestion_accepted_with_its_type_and_source(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    every = suggest_claims(article.text, article.sentences)
    best = in_view(every, len(article.sentences), SuggestionView.BEST)
    statistic = next(s for s in best if s.claim_type is ClaimType.STATISTIC)
    assert statistic.source == "national statistics office" and statistic.quote.startswith("Unemployment")
    page.selectbox(key="suggestion_picker").select(suggestion_id(statistic))
    click(page, "Open suggestion")
    assert any("likely worth checking" in caption.value for caption in page.caption)
    assert any("source\\: national statistics office" in caption.value for caption in page.caption)
    click(page, "Accept…")
    click(page, "Save claim")
    [claim] = app_store.list_claims(article.id)
    assert claim.claim_type is ClaimType.STATISTIC
    assert claim.source is not None and claim.source.name == "national statistics office"


def test_an_open_suggestion_says_why_it_was_proposed(page: AppTest, article: Article) -> None:
    open_suggestion(page, "as many as 12,000 sailors", ClaimType.STATISTIC, article)
    assert any(m.value == "#### Suggested statistic" for m in page.markdown)
    assert any(text.value == "as many as 12,000 sailors" for text in page.text)
    assert any("score" in caption.value for caption in page.caption)


def test_accepting_opens_the_form_prefilled_and_saves_a_claim_from_the_suggestion(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    open_suggestion(page, "$4bn over three years", ClaimType.STATISTIC, article)
    click(page, "Accept…")
    assert by_label(page.selectbox, "Type").value == "statistic"
    by_label(page.text_input, "Claimant (who made it)").input("Mark Ellis's office")
    click(page, "Save claim")
    [claim] = app_store.list_claims(article.id)
    assert (claim.quote, claim.origin) == ("$4bn over three years", ClaimOrigin.SUGGESTION)
    assert claim.claimant == "Mark Ellis's office"
    [decision] = app_store.list_decisions(article.id)
    assert (decision.decision, decision.claim_id, decision.by) == (Decision.ACCEPTED, claim.id, "ana")


def test_a_rejected_suggestion_disappears_and_is_remembered_with_the_editor(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    rejected = open_suggestion(page, "40 warships", ClaimType.STATISTIC, article)
    before = len(page.selectbox(key="suggestion_picker").options)
    click(page, "Reject")
    picker = page.selectbox(key="suggestion_picker")
    assert len(picker.options) == before - 1
    assert rejected not in picker.options
    [decision] = app_store.list_decisions(article.id)
    assert (decision.decision, decision.quote, decision.by) == (Decision.REJECTED, "40 warships", "ana")
    assert app_store.list_claims() == []


def test_accepting_all_statistics_in_a_sentence_makes_a_claim_of_each(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    open_suggestion(page, "3.2%", ClaimType.STATISTIC, article)
    button = next(b for b in page.button if b.label.startswith("Accept") and "in sentence 5" in b.label)
    count = int(button.label.split()[2])
    button.click()
    page.run()
    assert not page.exception
    claims = app_store.list_claims(article.id)
    assert len(claims) == count >= 2
    assert {c.claim_type for c in claims} == {ClaimType.STATISTIC} and {c.created_by for c in claims} == {
        "ana"
    }
    assert all(c.origin is ClaimOrigin.SUGGESTION for c in claims)


def test_rejecting_all_denials_in_the_article_records_each(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    open_suggestion(page, "dismissed the claim as propaganda", ClaimType.DENIAL, article)
    button = next(
        b for b in page.button if b.label.startswith("Reject") and b.label.endswith("in the article")
    )
    button.click()
    page.run()
    decisions = app_store.list_decisions(article.id)
    assert decisions and all(
        d.decision is Decision.REJECTED and d.claim_type is ClaimType.DENIAL for d in decisions
    )
    assert str(len(decisions)) in button.label


def test_the_overview_counts_accepted_and_rejected_suggestions(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    open_suggestion(page, "40 warships", ClaimType.STATISTIC, article)
    click(page, "Reject")
    open_suggestion(page, "as many as 12,000 sailors", ClaimType.STATISTIC, article)
    click(page, "Accept…")
    click(page, "Save claim")
    page.switch_page("app_pages/overview.py").run()
    assert not page.exception
    metrics = {metric.label: metric.value for metric in page.metric}
    assert (metrics["Suggestions accepted"], metrics["Suggestions rejected"]) == ("1", "1")
    assert metrics["Accepted of decided"] == "50%"


def test_suggestions_on_the_same_span_can_each_be_opened(page: AppTest, article: Article) -> None:
    every = suggest_claims(article.text, article.sentences)
    shown = open_suggestions(every, [], [])
    first, second = next(
        (a, b) for a in shown for b in shown if a != b and (a.start, a.end) == (b.start, b.end)
    )
    open_suggestion(page, first.quote, first.claim_type, article)
    click(page, f"Also suggested here: {second.claim_type.value}")
    assert any(m.value == f"#### Suggested {second.claim_type.value}" for m in page.markdown)


def test_marking_the_words_of_a_suggestion_prefills_the_form_and_saving_accepts_it(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    page.selectbox(key="fallback_sentence").select(0)
    page.text_input(key="fallback_quote").input("as many as 12,000 sailors")
    click(page, "Use this span")
    assert any("Saving accepts this suggestion" in caption.value for caption in page.caption)
    assert by_label(page.selectbox, "Type").value == "statistic"
    click(page, "Save claim")
    [claim] = app_store.list_claims(article.id)
    assert (claim.quote, claim.origin, claim.claim_type) == (
        "as many as 12,000 sailors", ClaimOrigin.SUGGESTION, ClaimType.STATISTIC,
    )  # fmt: skip
    [decision] = app_store.list_decisions(article.id)
    assert (decision.decision, decision.claim_id) == (Decision.ACCEPTED, claim.id)


def test_words_sharing_too_little_with_any_suggestion_make_a_manual_claim(
    page: AppTest, app_store: Repository, article: Article
) -> None:
    page.selectbox(key="fallback_sentence").select(0)
    page.text_input(key="fallback_quote").input("joint exercise with two allied fleets in the Baltic")
    click(page, "Use this span")
    assert not any("Saving accepts" in caption.value for caption in page.caption)
    click(page, "Save claim")
    [claim] = app_store.list_claims(article.id)
    assert claim.origin is ClaimOrigin.MANUAL and app_store.list_decisions(article.id) == []


def test_the_url_names_the_open_suggestion(page: AppTest, article: Article) -> None:
    opened = open_suggestion(page, "40 warships", ClaimType.STATISTIC, article)
    assert page.query_params == {"article": article.id, "suggestion": opened}
