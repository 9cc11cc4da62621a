"""Suggestions in the served annotator, in Chromium: dashed underlines, accept (editing first), reject.

Each test serves the real app over its own TinyDB store holding the harbour sample, and checks what
the editor sees against what claims.suggest.review computes and what the store records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from local_app import StreamlitServer
from playwright.sync_api import Locator, Page, expect
from test_annotator_e2e import (
    EDITOR,
    HARBOUR_FILE,
    HARBOUR_TITLE,
    Annotator,
    claim_form,
    go_to,
    open_article,
    serve_app,
    sign_in,
)

from annotator.palette import STATUS_COLOURS
from claims.formats.importing import import_paths
from claims.models import Article, ClaimOrigin, ClaimStatus, ClaimType, Decision, Suggestion
from claims.suggest.engine import suggest_claims
from claims.suggest.ranking import SuggestionView, in_view
from claims.suggest.review import open_in_view, suggestion_id
from claims.suggest.scores import score_in_words

pytestmark = pytest.mark.browser


@pytest.fixture
def annotator(serve_streamlit: Any, tmp_path: Path) -> Annotator:
    """The app over a store that already holds the harbour article."""
    store = tmp_path / "store" / "claims.json"
    served = serve_app(serve_streamlit, store)
    [result] = import_paths(served.repository(), [HARBOUR_FILE], by="setup")
    assert result.status == "imported", result
    return served


@pytest.fixture
def harbour(annotator: Annotator) -> Article:
    [summary] = annotator.repository().list_articles()
    return annotator.repository().get_article(summary.id)


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The page; the test fails if a script error happened in it."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []


def suggestion(article: Article, quote: str, claim_type: ClaimType) -> Suggestion:
    return next(
        s
        for s in suggest_claims(article.text, article.sentences)
        if s.quote == quote and s.claim_type is claim_type
    )


def clickable_ids(suggestions: Iterable[Suggestion]) -> set[str]:
    """The ids the article can open with a click: of two suggestions on the same span the later one wins
    (the other is still in the tooltip and the keyboard picker)."""
    by_span = {(s.start, s.end): suggestion_id(s) for s in suggestions}
    return set(by_span.values())


def drawn_suggestion_ids(article: Locator) -> set[str]:
    """The suggestion ids the article's dashed segments open."""
    ids = article.locator('.ss-suggestion[data-open^="s:"]').evaluate_all(
        "spans => spans.map(span => span.dataset.open)"
    )
    return set(ids)


def segment(article: Locator, item_id: str) -> Locator:
    return article.locator(f'[data-open="{item_id}"]')


def expected_open(
    annotator: Annotator, article: Article, view: SuggestionView = SuggestionView.BEST
) -> set[str]:
    repo = annotator.repository()
    every = suggest_claims(article.text, article.sentences)
    claims, decisions = repo.list_claims(article.id), repo.list_decisions(article.id)
    return clickable_ids(open_in_view(every, claims, decisions, len(article.sentences), view))


def open_suggestion(page: Page, article: Locator, found: Suggestion) -> None:
    """Click the suggestion's dashed text and wait for its panel."""
    segment(article, suggestion_id(found)).first.click()
    expect(page.get_by_role("heading", name=f"Suggested {found.claim_type.value}")).to_be_visible()
    expect(page.get_by_test_id("stText").filter(has_text=found.quote)).to_have_text(found.quote)
    StreamlitServer.wait_until_idle(page)  # the run also writes the URL, which the next click's rerun carries


def css_rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def metric(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


# --- the tests ---------------------------------------------------------------------------------------


def test_suggestions_are_dashed_and_only_the_best_show_until_asked_for_all_then_every_candidate(
    annotator: Annotator, harbour: Article, watched: Page
) -> None:
    page = watched
    sign_in(page, annotator)
    article = open_article(page, HARBOUR_TITLE)
    best = expected_open(annotator, harbour)
    first = sorted(best)[0]
    expect(segment(article, first).first).to_be_visible()
    assert drawn_suggestion_ids(article) == best
    every_claim = expected_open(annotator, harbour, SuggestionView.ALL)
    every = expected_open(annotator, harbour, SuggestionView.EVERY_CANDIDATE)
    assert len(every) > len(every_claim) > len(best)  # the sample has more claims, and overlapping candidates
    styles = segment(article, first).evaluate_all(
        "spans => spans.map(span => getComputedStyle(span).textDecorationStyle)"
    )
    assert set(styles) == {"dashed"}
    assert article.locator(".ss-claim").count() == 0

    page.get_by_text("Show all suggestions", exact=True).click()
    more = sorted(every_claim - best)[0]
    expect(segment(article, more).first).to_be_visible()
    assert drawn_suggestion_ids(article) == every_claim

    page.get_by_text("Low scores too", exact=True).click()
    low = sorted(every - every_claim)[0]
    expect(segment(article, low).first).to_be_visible()
    assert drawn_suggestion_ids(article) == every

    page.get_by_text("Low scores too", exact=True).click()
    page.get_by_text("Show all suggestions", exact=True).click()
    expect(segment(article, low)).to_have_count(0)
    expect(segment(article, more)).to_have_count(0)
    assert drawn_suggestion_ids(article) == best


def test_an_editor_accepts_one_suggestion_and_rejects_another_for_good(
    annotator: Annotator, harbour: Article, watched: Page
) -> None:
    page = watched
    sign_in(page, annotator)
    article = open_article(page, HARBOUR_TITLE)
    every = suggest_claims(harbour.text, harbour.sentences)
    best = in_view(every, len(harbour.sentences), SuggestionView.BEST)
    # The figure the statistics office gave, with its source, is among the best of the sample.
    statistic = next(s for s in best if s.claim_type is ClaimType.STATISTIC)
    accepted_id = suggestion_id(statistic)

    # Open it: the panel says why it was proposed, and the article outlines it.
    open_suggestion(page, article, statistic)
    panel = page.get_by_test_id("stMain")
    in_words = f"{score_in_words(statistic.score)} (score {statistic.score:.2f})"
    expect(panel.get_by_text(f"{in_words} · {statistic.reason}")).to_be_visible()
    expect(segment(article, accepted_id)).to_have_class(re.compile(r"\bss-selected\b"))

    # Accept: the claim form opens with the suggested type; saving makes a claim drawn solid.
    page.get_by_role("button", name="Accept…").click()
    form = claim_form(page, "Save claim")
    expect(form.get_by_role("combobox", name="Type")).to_have_value("statistic")
    form.get_by_role("button", name="Save claim").click()
    expect(article.locator(".ss-claim")).to_have_text([statistic.quote])
    expect(segment(article, accepted_id)).to_have_count(0)
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_be_visible()

    repo = annotator.repository()
    [claim] = repo.list_claims(harbour.id)
    assert (claim.quote, claim.start, claim.end) == (statistic.quote, statistic.start, statistic.end)
    assert (claim.claim_type, claim.origin, claim.created_by) == (
        ClaimType.STATISTIC,
        ClaimOrigin.SUGGESTION,
        EDITOR,
    )
    assert claim.source is not None and claim.source.name == statistic.source
    [decision] = repo.list_decisions(harbour.id)
    assert (decision.decision, decision.claim_id, decision.by) == (Decision.ACCEPTED, claim.id, EDITOR)
    drawn = article.locator(f'.ss-claim[data-open="{claim.id}"]')
    expect(drawn).to_have_css("background-color", css_rgb(STATUS_COLOURS[ClaimStatus.NEW]))
    assert f"suggested {statistic.claim_type.value}" not in (drawn.get_attribute("title") or "")

    # Reject another: it leaves the article, the next best claim takes its place, and the store
    # remembers who rejected it.
    other = next(s for s in best if s != statistic)
    rejected_id = suggestion_id(other)
    open_suggestion(page, article, other)
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(segment(article, rejected_id)).to_have_count(0)
    expect(page.get_by_role("heading", name=f"Suggested {other.claim_type.value}")).to_have_count(0)
    rejections = [d for d in repo.list_decisions(harbour.id) if d.decision is Decision.REJECTED]
    assert [(d.quote, d.claim_type, d.by) for d in rejections] == [(other.quote, other.claim_type, EDITOR)]
    assert len(repo.list_claims(harbour.id)) == 1
    refilled = expected_open(annotator, harbour)
    assert refilled and not refilled & {accepted_id, rejected_id}
    expect(segment(article, sorted(refilled)[0]).first).to_be_visible()
    assert drawn_suggestion_ids(article) == refilled

    # A new session (a reload; the browser remembers the editor's name) still does not show it.
    page.reload()
    annotator.server.wait_until_idle(page)
    expect(page.get_by_role("heading", name=HARBOUR_TITLE, exact=True)).to_be_visible()
    expect(article.locator(".ss-claim")).to_have_text([statistic.quote])
    expect(segment(article, sorted(refilled)[0]).first).to_be_visible()
    expect(segment(article, rejected_id)).to_have_count(0)
    assert drawn_suggestion_ids(article) == expected_open(annotator, harbour)

    # The overview counts both decisions.
    go_to(page, "Overview")
    expect(metric(page, "Suggestions accepted")).to_have_text("1")
    expect(metric(page, "Suggestions rejected")).to_have_text("1")
    expect(metric(page, "Accepted of decided")).to_have_text("50%")
