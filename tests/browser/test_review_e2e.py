"""Two-person review in Chromium: two editors, each in a browser of their own, on one served app. Ana rates a
claim and sends it to review and is offered no Approve; Ben approves it; after a reload Ana sees it approved,
with Ben in its timeline. Saves test-results/claim_timeline.png (the claim panel with its timeline)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from test_annotate_e2e import ARRIVAL_TIMEOUT_MS, sign_in_if_asked
from test_annotator_e2e import HARBOUR_FILE, Annotator, choose, claim_form, seed, serve_app

from claims.actions import comment_on
from claims.formats.articles import read_article_file
from claims.models import ClaimStatus, Evidence

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
QUOTE = "40 warships"


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Each step waits for a rerun; on a machine shared by many jobs one can take over 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@contextmanager
def editor(browser: Browser, name: str) -> Iterator[Page]:
    """A browser of its own for one editor (its own name cookie); fails on a script error in it."""
    context = browser.new_context(viewport={"width": 1600, "height": 2400})  # the whole panel in view
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert problems == [], f"{name}: {problems}"


def open_claim(page: Page, annotator: Annotator, place: str, name: str) -> Locator:
    """The claim panel of the claim at `place` (article and claim in the query), signed in as `name`."""
    annotator.server.open(page, f"/annotate?{place}")
    sign_in_if_asked(page, name)
    expect(page.get_by_test_id("span-selector").locator(".ss-sentence").first).to_be_visible(
        timeout=ARRIVAL_TIMEOUT_MS
    )
    annotator.server.wait_until_idle(page)
    return claim_form(page, "Save changes")


def test_one_editor_rates_another_approves_and_the_rater_sees_it_in_the_timeline(
    serve_streamlit: Any, tmp_path: Path, browser: Browser
) -> None:
    annotator = serve_app(serve_streamlit, tmp_path / "store" / "claims.json")
    repo = annotator.repository()
    harbour = read_article_file(HARBOUR_FILE)[0]
    repo.add_article(harbour)
    claim = seed(
        repo,
        harbour,
        QUOTE,
        "Ana Ruiz",
        status="in_progress",
        claim_type="statistic",
        claimant="The navy",
        assignee="Ben Okafor",
        evidence=[
            Evidence(url="https://www.reuters.com/navy-drills", title="Navy drills", publisher="Reuters"),
            Evidence(url="https://apnews.com/harbour", title="Harbour exercise", publisher="AP"),
        ],
    )
    comment_on(repo, claim, "Ana Ruiz", "@Ben Okafor can you review this once I rate it?")
    place = f"article={harbour.id}&claim={claim.id}"

    with editor(browser, "Ana Ruiz") as ana, editor(browser, "Ben Okafor") as ben:
        # Ana rates the claim and sends it to review.
        panel = open_claim(ana, annotator, place, "Ana Ruiz")
        choose(ana, panel, "Verdict", "false")
        choose(ana, panel, "Status", "needs review")
        panel.get_by_role("button", name="Save changes").click()
        expect(panel.get_by_text("Waiting for another editor's review")).to_be_visible()
        expect(panel.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
        rated = repo.get_claim(claim.article_id, claim.id)
        assert (rated.status, rated.rated_by) == (ClaimStatus.NEEDS_REVIEW, "Ana Ruiz")

        # Ben, mentioned in the thread, finds it in his My claims and approves it.
        panel = open_claim(ben, annotator, place, "Ben Okafor")
        expect(ben.get_by_text("My claims (1)")).to_be_visible()
        panel.get_by_role("button", name="Approve", exact=True).click()
        expect(panel.get_by_role("button", name="Publish", exact=True)).to_be_visible()
        approved = repo.get_claim(claim.article_id, claim.id)
        assert (approved.status, approved.approved_by) == (ClaimStatus.APPROVED, "Ben Okafor")

        # Ana reloads: approved, and the timeline names Ben's step.
        ana.reload()
        sign_in_if_asked(ana, "Ana Ruiz")
        panel = claim_form(ana, "Save changes")
        timeline = panel.locator(f".st-key-timeline-{claim.id}")
        expect(timeline).to_contain_text("Status: needs review → approved")
        expect(timeline.get_by_text("Ben Okafor", exact=True)).to_be_visible()
        expect(timeline).to_contain_text("Verdict: unrated → false")
        expect(panel.get_by_role("combobox", name="Status")).to_have_value("approved")
        RESULTS.mkdir(exist_ok=True)
        timeline.scroll_into_view_if_needed()
        panel.screenshot(path=RESULTS / "claim_timeline.png")
