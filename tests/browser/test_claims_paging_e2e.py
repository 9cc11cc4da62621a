"""The claims table over more claims than one page, in Chromium: an edit on page 2, then one after
re-sorting, then one more, each saved on the claim it was made on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from local_app import StreamlitServer
from playwright.sync_api import Page, expect
from test_annotator_e2e import Annotator, choose, go_to, serve_app, sign_in, watched
from test_claims_table_e2e import COLUMNS, data_grid, edit_claim, grid_column, listed, save_table_edits

from claims.annotations import new_claim
from claims.formats.articles import make_article
from claims.models import ClaimDraft

pytestmark = pytest.mark.browser
__all__ = ["watched"]  # a fixture used by name

CLAIMS = 130  # two pages of 100


@pytest.fixture
def fleet(serve_streamlit: Any, tmp_path: Path) -> Annotator:
    """The app over one article with a claim, status new, on each of its 130 sentences."""
    store = tmp_path / "store" / "claims.json"
    body = " ".join(f"Ship {n} carried {n + 1} sailors to the port." for n in range(CLAIMS))
    article = make_article(body, title="Fleet report")
    claims = [
        new_claim(article, ClaimDraft(article_id=article.id, start=s.start, end=s.end), by="Ben Okafor")
        for s in article.sentences
    ]
    serve = serve_app(serve_streamlit, store)
    serve.repository().merge([article], claims)
    return serve


def shown_quotes(page: Page, count: int) -> list[str]:
    """The quotes of the table's first `count` rows."""
    return grid_column(data_grid(page), COLUMNS.index("quote"))[:count]


def test_edits_on_page_2_after_a_new_sort_and_once_more_each_land_on_their_claim(
    fleet: Annotator, watched: Page
) -> None:
    page = watched
    sign_in(page, fleet)
    StreamlitServer.wait_until_idle(page)
    go_to(page, "Claims")
    expect(page.get_by_text(f"rows 1–100 of {CLAIMS} matching · {CLAIMS} claims in all")).to_be_visible()
    expect(page.get_by_text("page 1 of 2", exact=True)).to_be_visible()

    page.get_by_role("button", name="Next page ▶").click()
    expect(page.get_by_text(f"rows 101–{CLAIMS} of {CLAIMS} matching")).to_be_visible()
    StreamlitServer.wait_until_idle(page)
    first = shown_quotes(page, 3)[2]
    edit_claim(page, first, "status", "dropped")
    expect(page.get_by_role("button", name="Next page ▶")).to_be_disabled()  # paging waits for the edit
    save_table_edits(page, [f"“{first}” — status: new → dropped"])

    # A new sort starts at page 1; its third row is another claim than any edited so far.
    StreamlitServer.wait_until_idle(page)  # the sort is enabled again once the save's rerun is over
    expect(page.get_by_role("button", name="◀ Previous page")).to_be_enabled()
    choose(page, page.get_by_test_id("stMain"), "Sort", "oldest change first")
    expect(page.get_by_text("page 1 of 2", exact=True)).to_be_visible()
    StreamlitServer.wait_until_idle(page)
    second = shown_quotes(page, 3)[2]
    assert second != first
    edit_claim(page, second, "status", "in progress")
    save_table_edits(page, [f"“{second}” — status: new → in progress"])

    StreamlitServer.wait_until_idle(page)
    third = shown_quotes(page, 2)[1]
    assert third not in (first, second)
    edit_claim(page, third, "verdict", "half true")
    save_table_edits(page, [f"“{third}” — verdict: unrated → half true"])

    statuses, verdicts = listed(fleet.store), listed(fleet.store, "verdict")
    assert {quote: status for quote, status in statuses.items() if status != "new"} == {
        first: "dropped",
        second: "in_progress",
    }
    rated = {quote: verdict for quote, verdict in verdicts.items() if verdict != "unrated"}
    assert rated == {third: "half_true"}
    assert {claim.quote: claim.status for claim in fleet.repository().list_claims()} == statuses
