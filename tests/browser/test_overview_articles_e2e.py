"""The Overview and Articles pages in Chromium: bars in workflow order, and an uploader that empties itself.

The Overview test leaves a picture of the page at test-results/overview.png to look at, and copies it
to docs/overview.png (the README's) when UPDATE_DOCS_SCREENSHOT=1 is set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from local_app import StreamlitServer
from playwright.sync_api import Locator, Page, expect
from test_claims_table_e2e import steady_box

from claims.annotations import apply_changes, new_claim, parse_draft
from claims.formats.articles import read_article_file
from claims.models import ClaimChanges, ClaimStatus, Verdict
from claims.store import open_repository
from tests.records_support import at_status

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
HARBOUR_FILE = REPO_ROOT / "samples" / "harbour_exercise.txt"
UNSAFE_FILE = REPO_ROOT / "samples" / "unsafe_markup.txt"
EDITOR = "Ana Ruiz"
WIDTH = 1400
CHART_TIMEOUT = 30_000  # ms; a machine shared with other test runs can be slow to draw

# The y-axis labels of a Vega-Lite chart (drawn as SVG), top to bottom as they appear on screen.
Y_AXIS_LABELS_JS = """
chart => [...chart.querySelectorAll('[aria-roledescription="axis"]')]
    .filter(axis => (axis.getAttribute('aria-label') || '').startsWith('Y-axis'))
    .flatMap(axis => [...axis.querySelectorAll('.role-axis-label text')])
    .map(label => [label.textContent, label.getBoundingClientRect().top])
    .sort((a, b) => a[1] - b[1])
    .map(([text]) => text)
"""


def y_axis_labels(chart: Locator, count: int) -> list[str]:
    """The chart's y-axis labels top to bottom, once it has drawn `count` of them."""
    y_axis = chart.locator('[aria-roledescription="axis"][aria-label^="Y-axis"]')
    y_axis.locator(".role-axis-label text").nth(count - 1).wait_for(timeout=CHART_TIMEOUT)
    labels: list[str] = chart.evaluate(Y_AXIS_LABELS_JS)
    return labels


def sign_in(page: Page, server: Any) -> None:
    server.open(page)
    page.get_by_role("textbox", name="Your name").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    expect(page.get_by_test_id("stSidebar").get_by_text(EDITOR, exact=True)).to_be_visible()


def go_to(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def add_files(page: Page, *paths: Path) -> Locator:
    """Put files in the uploader and import them; returns the summary line."""
    page.get_by_role("tab", name="Upload files").click()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(1)  # the last import's has gone
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(list(paths))
    for path in paths:
        expect(page.get_by_role("button", name=f"Remove {path.name}")).to_be_visible()
    page.get_by_role("button", name="Import files").click()
    # The summary of the last import may read the same: wait until this one has emptied the uploader.
    for path in paths:
        expect(page.get_by_role("button", name=f"Remove {path.name}")).to_have_count(0)
    return page.get_by_test_id("stAlertContentSuccess")


def test_overview_bars_run_in_workflow_order_in_the_apps_words(
    serve_streamlit: Any, tmp_path: Path, page: Page
) -> None:
    store = tmp_path / "store" / "claims.json"
    repo = open_repository(store)
    article = read_article_file(HARBOUR_FILE)[0]
    repo.add_article(article)
    for quote, status, verdict in (
        ("as many as 12,000 sailors", "needs_review", "mostly_true"),
        ("$4bn over three years", "approved", "false"),
        ("40 warships", "approved", "true"),
        ("3.2%", "in_progress", "unrated"),
    ):
        start = article.text.index(quote)
        fields = {"start": start, "end": start + len(quote), "verdict": verdict}
        made = new_claim(article, parse_draft({"article_id": article.id, **fields}), by="Ben Okafor")
        claim = at_status(made, ClaimStatus(status))  # as the workflow left it (records are not replayed)
        repo.add_claim(claim)
    # The last one edited by someone else: "Recent changes" shows it first, as edited.
    repo.update_claim(
        article.id,
        claim.id,
        apply_changes(ClaimChanges(verdict=Verdict.HALF_TRUE), claim.version, EDITOR),
    )

    page.set_viewport_size({"width": WIDTH, "height": 900})
    sign_in(page, serve_streamlit("annotator/streamlit_app.py", env={"CLAIMS_DB": str(store)}))
    go_to(page, "Overview")
    charts = page.get_by_test_id("stVegaLiteChart")
    # Statuses, verdicts, weekly throughput; the chart library loads on first use.
    expect(charts).to_have_count(3, timeout=CHART_TIMEOUT)
    by_status, by_verdict = charts.all()[:2]

    assert y_axis_labels(by_status, 6) == [
        "new", "in progress", "needs review", "approved", "published", "dropped",
    ]  # fmt: skip
    assert y_axis_labels(by_verdict, 9) == [
        "true", "mostly true", "half true", "mostly false", "false",
        "misleading", "unproven", "not checkable", "unrated",
    ]  # fmt: skip
    expect(page.get_by_role("heading", name="Recent changes")).to_be_visible()

    picture = REPO_ROOT / "test-results" / "overview.png"
    picture.parent.mkdir(exist_ok=True)
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": max(900, height)})
    page.screenshot(path=str(picture), animations="disabled")
    assert picture.stat().st_size < 300_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        shutil.copyfile(picture, REPO_ROOT / "docs" / "overview.png")


def test_the_uploader_is_empty_after_an_import_so_the_next_one_brings_only_new_files(
    serve_streamlit: Any, tmp_path: Path, page: Page
) -> None:
    store = tmp_path / "store" / "claims.json"
    server = serve_streamlit("annotator/streamlit_app.py", env={"CLAIMS_DB": str(store)})
    sign_in(page, server)

    # add_files waits until the uploader has emptied itself after the import.
    expect(add_files(page, HARBOUR_FILE)).to_have_text("1 imported, 0 already present, 0 failed")
    server.wait_until_idle(page)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(1)
    expect(page.get_by_role("button", name="Import files")).to_be_disabled()

    # Before, the uploader still held the first file, so this said "1 imported, 1 already present".
    expect(add_files(page, UNSAFE_FILE)).to_have_text("1 imported, 0 already present, 0 failed")
    assert len(open_repository(store).list_articles()) == 2


def test_an_article_is_selected_only_by_clicking_its_row_and_annotate_opens_that_one(
    serve_streamlit: Any, tmp_path: Path, page: Page
) -> None:
    store = tmp_path / "store" / "claims.json"
    repo = open_repository(store)
    harbour = read_article_file(HARBOUR_FILE)[0]
    repo.add_article(harbour)
    repo.add_article(read_article_file(UNSAFE_FILE)[0])  # imported last: the first row
    sign_in(page, serve_streamlit("annotator/streamlit_app.py", env={"CLAIMS_DB": str(store)}))

    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Select an article in the table to annotate or delete it.")).to_be_visible()
    expect(main.get_by_text("Selected:")).to_have_count(0)
    expect(page.get_by_role("button", name="Annotate")).to_be_disabled()
    expect(page.get_by_role("button", name="Delete…")).to_be_disabled()

    # The table is drawn on a canvas: click the second row's selection box (rows are 35 px high).
    table = main.get_by_test_id("stDataFrame")
    StreamlitServer.wait_until_idle(page)
    table.scroll_into_view_if_needed()  # below the fold at 900 px, under the search and sort
    box = steady_box(table)
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 + 17)
    expect(main.get_by_text(f"Selected: {harbour.title}")).to_be_visible()
    page.get_by_role("button", name="Annotate").click()
    expect(page.get_by_role("heading", name=harbour.title, exact=True)).to_be_visible()
