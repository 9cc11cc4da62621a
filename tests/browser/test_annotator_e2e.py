"""The whole annotator in Chromium, as an editor uses it: import, label with the mouse, review, download.

Each test serves the real app (annotator/streamlit_app.py) over its own TinyDB store and checks
what the editor sees against what the store holds. The README's screenshot comes from the last
test: it is written to test-results/annotate.png, and to docs/annotate.png when
UPDATE_DOCS_SCREENSHOT=1 is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from local_app import StreamlitServer
from playwright.sync_api import Locator, Page, expect
from test_span_selector import drag_over

from claims.annotations import new_claim, parse_draft
from claims.formats.articles import read_article_file
from claims.models import Article, Claim, ClaimStatus
from claims.store import open_repository
from claims.store.contract import Repository
from claims.workflow import FIRST_STATUSES
from tests.records_support import at_status

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
HARBOUR_FILE = REPO_ROOT / "samples" / "harbour_exercise.txt"
UNSAFE_FILE = REPO_ROOT / "samples" / "unsafe_markup.txt"
HARBOUR_TITLE = "Navy Says Joint Harbour Exercise Will Go Ahead Despite Protests"
UNSAFE_TITLE = "Council Vote <script>window.__xss = 1</script> Delayed"
QUOTE = "as many as 12,000 sailors"
EDITOR = "Ana Ruiz"
SCREENSHOT = "annotate.png"
SCREENSHOT_WIDTH = 1400

# Everything in the page that markup in an article could have turned into live HTML, looked for in
# the document and in every open shadow root (the span selector draws inside one).
LIVE_MARKUP_JS = """
() => {
  const found = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      const tag = element.tagName.toLowerCase();
      if (tag === "script" && element.textContent.includes("__xss")) found.push(element.outerHTML);
      if (tag === "img" && element.hasAttribute("onerror")) found.push(element.outerHTML);
      const href = element.getAttribute("href") || "";
      if (tag === "a" && /^javascript:/i.test(href)) found.push(element.outerHTML);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return found;
}
"""


@dataclass
class Annotator:
    """The served app and the store behind it."""

    server: Any
    store: Path

    def repository(self) -> Repository:
        return open_repository(self.store)


def serve_app(serve_streamlit: Any, store: Path) -> Annotator:
    return Annotator(serve_streamlit("annotator/streamlit_app.py", env={"CLAIMS_DB": str(store)}), store)


@pytest.fixture
def annotator(serve_streamlit: Any, tmp_path: Path) -> Annotator:
    return serve_app(serve_streamlit, tmp_path / "store" / "claims.json")


@pytest.fixture
def watched(page: Page) -> Iterator[Page]:
    """The page; the test fails if a script error or a dialog (alert, confirm) happened in it."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def refuse(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", refuse)
    yield page
    assert problems == []


# --- what the editor does --------------------------------------------------------------------------


def sign_in(page: Page, annotator: Annotator, name: str = EDITOR) -> None:
    annotator.server.open(page)
    expect(page.get_by_text("Enter your name in the sidebar to start")).to_be_visible()
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("button", name="Start editing").click()
    expect(page.get_by_test_id("stSidebar").get_by_text(name, exact=True)).to_be_visible()


def go_to(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
    expect(page.get_by_test_id("stSidebarNavLink").filter(has_text=title)).to_have_attribute(
        "aria-current", "page"
    )


def upload(page: Page, path: Path) -> Locator:
    """Add a file to the uploader and import; returns the summary (wait for the text you expect).

    Each import empties the uploader (a new one replaces it; the old one shows greyed until that run ends).
    """
    page.get_by_role("tab", name="Upload files").click()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(1)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)
    expect(page.get_by_role("button", name=f"Remove {path.name}")).to_be_visible()
    page.get_by_role("button", name="Import files").click()
    expect(page.get_by_role("button", name=f"Remove {path.name}")).to_have_count(0)  # imported: emptied
    return page.get_by_test_id("stAlertContentSuccess")


def choose(page: Page, within: Locator, label: str, option: str) -> None:
    """Pick an option of the selectbox with this label. A click that lands while the page is still
    settling after a rerun opens nothing, so it is tried again."""
    box = within.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    wanted = page.get_by_role("option", name=option, exact=True)
    StreamlitServer.until_visible(box.click, wanted)
    wanted.click()


def open_article(page: Page, title: str) -> Locator:
    """Pick the article on the Annotate page and return the span selector once it shows it."""
    go_to(page, "Annotate")
    choose(page, page.get_by_test_id("stMain"), "Article", title)
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    # The heading may show before the span selector has drawn the new article: wait for the run to end.
    StreamlitServer.wait_until_idle(page)
    return page.get_by_test_id("span-selector")  # Playwright locators pierce its shadow root


def claim_form(page: Page, submit: str) -> Locator:
    """The panel beside the article while it shows a claim form with this submit button."""
    panel = page.locator(".st-key-claim_panel")
    expect(panel.get_by_role("button", name=submit)).to_be_visible()
    return panel


def mark_with_mouse(page: Page, article: Locator, quote: str) -> Locator:
    """Drag over the quote until the panel shows the claim form for it; returns the panel. A drag that
    lands while a rerun is still redrawing the article selects nothing, so it is tried again."""
    marked = page.locator(".st-key-claim_panel").get_by_test_id("stText").filter(has_text=quote)
    StreamlitServer.until_visible(lambda: drag_over(page, article, quote), marked, timeout_ms=5_000)
    return claim_form(page, "Save claim")


def highlight_text(article: Locator, claim_id: str) -> str:
    """The text a claim's highlight covers (one highlight may be drawn as several segments)."""
    return "".join(article.locator(f'.ss-claim[data-open="{claim_id}"]').all_inner_texts())


# --- the tests ---------------------------------------------------------------------------------------


def test_an_editor_imports_labels_reviews_and_downloads_a_claim(annotator: Annotator, watched: Page) -> None:
    page = watched
    sign_in(page, annotator)

    expect(page.get_by_role("heading", name="Articles", exact=True)).to_be_visible()
    expect(upload(page, HARBOUR_FILE)).to_have_text("1 imported, 0 already present, 0 failed")
    expect(upload(page, UNSAFE_FILE)).to_have_text("1 imported, 0 already present, 0 failed")
    titles = {summary.title for summary in annotator.repository().list_articles()}
    assert titles == {HARBOUR_TITLE, UNSAFE_TITLE}

    # Label a claim with a mouse drag.
    article = open_article(page, HARBOUR_TITLE)
    form = mark_with_mouse(page, article, QUOTE)
    expect(page.get_by_role("heading", name="New claim")).to_be_visible()
    expect(page.get_by_test_id("stText").filter(has_text=QUOTE)).to_have_text(QUOTE)
    choose(page, form, "Type", "statistic")
    form.get_by_role("textbox", name="Claimant (who made it)").fill("The navy")
    form.get_by_role("textbox", name="Source cited").fill("Reuters")
    form.get_by_role("button", name="Save claim").click()
    expect(article.locator(".ss-claim")).to_have_text([QUOTE])

    [claim] = annotator.repository().list_claims()
    harbour = annotator.repository().get_article(claim.article_id)
    start = harbour.text.index(QUOTE)
    assert (claim.quote, claim.start, claim.end) == (QUOTE, start, start + len(QUOTE))
    assert (claim.claim_type.value, claim.claimant, claim.created_by) == ("statistic", "The navy", EDITOR)
    assert claim.source is not None and claim.source.name == "Reuters"
    assert highlight_text(article, claim.id) == QUOTE
    expect(page.get_by_text("7 sentences · 1 claim")).to_be_visible()

    # Close it, click its highlight, approve it.
    page.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Close").click()
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_have_count(0)
    article.locator(f'.ss-claim[data-open="{claim.id}"]').first.click()
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_be_visible()
    form = claim_form(page, "Save changes")
    expect(form.get_by_role("textbox", name="Claimant (who made it)")).to_have_value("The navy")
    choose(page, form, "Status", "in progress")
    form.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text(f"version 2 · created by {EDITOR}")).to_be_visible()
    started = annotator.repository().get_claim(claim.article_id, claim.id)
    assert (started.version, started.status, started.updated_by) == (2, ClaimStatus.IN_PROGRESS, EDITOR)

    # Download every claim as JSON.
    go_to(page, "Claims")
    expect(page.get_by_text("rows 1–1 of 1 matching · 1 claim in all")).to_be_visible()
    with page.expect_download() as download_info:
        # Under the "Download" heading; the label was "Download JSON" before the ClaimReview format.
        page.get_by_role("button", name=re.compile(r"^(Download )?JSON$")).click()
    download = download_info.value
    assert download.suggested_filename == "claims.json"
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    [row] = exported["claims"]
    assert (row["id"], row["quote"], row["status"], row["version"]) == (claim.id, QUOTE, "in_progress", 2)
    assert [s["text"] for s in row["sentences"]] == [harbour.sentences[0].text]
    assert row["article_title"] == HARBOUR_TITLE
    assert {a["title"] for a in exported["articles"]} == {HARBOUR_TITLE, UNSAFE_TITLE}

    # Markup in an article is text: shown as typed, never run.
    article = open_article(page, UNSAFE_TITLE)
    expect(article).to_contain_text('<script>window.__xss = 1; document.title = "pwned"</script>')
    expect(article).to_contain_text('<img src=x onerror="window.__xss = 2"> and **bold** _underline_')
    expect(article).to_contain_text("[link](javascript:alert(1)) $x^2$ <b>bold</b>.")
    assert "<script>" in page.get_by_test_id("stMain").inner_text()
    assert article.locator("script, img, a, b, strong, em, code").count() == 0
    assert page.locator("img[onerror]").count() == 0  # CSS locators pierce shadow roots too
    assert page.evaluate(LIVE_MARKUP_JS) == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.title() == "Claim annotator"


def seed(repo: Repository, article: Article, quote: str, by: str, **fields: object) -> Claim:
    start = article.text.index(quote)
    draft = parse_draft({"article_id": article.id, "start": start, "end": start + len(quote), **fields})
    status = ClaimStatus(str(fields.get("status", ClaimStatus.NEW)))
    first = {"status": status if status in FIRST_STATUSES else ClaimStatus.NEW}
    draft = parse_draft(
        {"article_id": article.id, "start": start, "end": start + len(quote), **fields, **first}
    )
    # A later status as a store holds it once the workflow brought the claim there (records are not replayed).
    claim = at_status(new_claim(article, draft, by=by), status)
    repo.add_claim(claim)
    return claim


@pytest.fixture
def short_store() -> Iterator[Path]:
    """A store at a short path: the sidebar of the README's screenshot shows it."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-"))
    yield folder / "claims.json"
    shutil.rmtree(folder, ignore_errors=True)


def test_the_readme_screenshot_shows_three_claims_in_three_colours_suggestions_dashed_and_one_open(
    serve_streamlit: Any, short_store: Path, watched: Page
) -> None:
    page = watched
    annotator = serve_app(serve_streamlit, short_store)
    repo = annotator.repository()
    harbour = read_article_file(HARBOUR_FILE)[0]
    repo.add_article(harbour)
    seed(repo, harbour, QUOTE, "Ben Okafor", claim_type="statistic", claimant="The navy",
         source={"name": "Reuters"}, status="approved", verdict="mostly_true")  # fmt: skip
    # The open claim's outline is drawn per segment, so it is one no suggestion splits: a box, not three.
    opened = seed(repo, harbour, "$4bn over three years", "Ana Ruiz",
                  claim_type="statistic", claimant="Mark Ellis's office", status="needs_review",
                  notes="Budget papers show $3.1bn; ask the office where $4bn comes from.")  # fmt: skip
    seed(repo, harbour, "fell by a third since 2019, to 3.2%, the lowest level on record", "Ana Ruiz",
         claim_type="statistic", claimant="national statistics office", status="in_progress")  # fmt: skip

    page.set_viewport_size({"width": SCREENSHOT_WIDTH, "height": 900})
    sign_in(page, annotator)
    article = open_article(page, HARBOUR_TITLE)
    # A suggestion inside a claim splits its highlight into several segments, so count colours.
    expect(article.locator(f'.ss-claim[data-open="{opened.id}"]').first).to_be_visible()
    colours = article.locator(".ss-claim").evaluate_all(
        "spans => spans.map(span => getComputedStyle(span).backgroundColor)"
    )
    assert len(set(colours)) == 3
    underlines = article.locator(".ss-suggestion").evaluate_all(
        "spans => spans.map(span => getComputedStyle(span).textDecorationStyle)"
    )
    assert underlines and set(underlines) == {"dashed"}
    assert article.locator(".ss-suggestion:not(.ss-claim)").count() > 0  # beside the claims too
    article.locator(f'.ss-claim[data-open="{opened.id}"]').first.click()
    expect(claim_form(page, "Save changes").get_by_role("textbox", name="Notes")).to_have_value(opened.notes)
    page.mouse.move(0, 0)  # no hover effect on a highlight in the picture

    picture = REPO_ROOT / "test-results" / SCREENSHOT
    picture.parent.mkdir(exist_ok=True)
    screenshot_whole_app(page, picture)
    assert picture.stat().st_size < 300_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(picture, REPO_ROOT / "docs" / SCREENSHOT)


def screenshot_whole_app(page: Page, path: Path) -> None:
    """Streamlit scrolls inside its main section, so make the window as tall as the content first."""
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": SCREENSHOT_WIDTH, "height": max(900, height)})
    # Leave out the empty padding Streamlit keeps below the content.
    bottom = page.get_by_test_id("stMainBlockContainer").evaluate(
        "block => block.firstElementChild.getBoundingClientRect().bottom"
    )
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": SCREENSHOT_WIDTH, "height": bottom + 40},
                    animations="disabled")  # fmt: skip
