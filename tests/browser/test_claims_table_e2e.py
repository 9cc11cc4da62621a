"""The claims table in Chromium: every edit lands on the claim the editor meant, bulk changes ask first
and can be undone, and what an editor needs fits a 1400 px window.

The store is checked the way a script would, with `python -m claims list`. st.data_editor draws a
glide-data-grid canvas: cells are reached with the keyboard from the top-left one (see `edit_cell`),
and read from the accessibility table the grid keeps beside the canvas (`grid_column`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from local_app import StreamlitServer
from playwright.sync_api import FloatRect, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_annotator_e2e import HARBOUR_FILE, REPO_ROOT, Annotator, choose, go_to, serve_app, sign_in, watched

from annotator.tables import CLAIM_COLUMN_WIDTHS
from claims.annotations import apply_changes, new_claim, parse_draft
from claims.formats.articles import read_article_file
from claims.models import ClaimChanges, ClaimStatus
from claims.store import open_repository
from tests.records_support import at_status

pytestmark = pytest.mark.browser
# `watched` is a fixture used by name (a page that fails its test on a script error or a dialog);
# listing it here tells linters the import is meant.
__all__ = ["watched"]

# Eight claims of the sample article with their statuses (there are six, so two repeat).
SEEDED = {
    "12,000 sailors": "new",
    "40 warships": "in_progress",
    "purely defensive": "needs_review",
    "$4bn over three years": "approved",
    "a reckless waste": "published",
    "repeatedly denied": "dropped",
    "fell by a third since 2019": "new",
    "disrupt fishing for weeks": "in_progress",
}
COLUMNS = list(CLAIM_COLUMN_WIDTHS)  # the table's first columns, in order
HEADER_HEIGHT = 35  # pixels, glide-data-grid's header and row height in Streamlit
ROW_HEIGHT = 35


@pytest.fixture
def desk(serve_streamlit: Any, tmp_path: Path) -> Annotator:
    """The app over a store of eight claims by another editor."""
    store = tmp_path / "store" / "claims.json"
    repo = open_repository(store)
    article = read_article_file(HARBOUR_FILE)[0]
    repo.add_article(article)
    for quote, status in SEEDED.items():
        start = article.text.index(quote)
        draft = parse_draft({"article_id": article.id, "start": start, "end": start + len(quote)})
        repo.add_claim(at_status(new_claim(article, draft, by="Ben Okafor"), ClaimStatus(status)))
    return serve_app(serve_streamlit, store)


def listed(store: Path, field: str = "status") -> dict[str, Any]:
    """One field of every stored claim by quote, as `python -m claims list` prints them."""
    printed = subprocess.run(
        [sys.executable, "-m", "claims", "list", "--db", str(store)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return {record["quote"]: record[field] for record in map(json.loads, printed.stdout.splitlines())}


# --- driving st.data_editor -----------------------------------------------------------------------


def data_grid(page: Page) -> Locator:
    """The claims table (the page's only data editor)."""
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("canvas").first).to_be_visible()
    return grid


def grid_column(grid: Locator, column: int) -> list[str]:
    """The texts of one column, top row first, from the grid's accessibility table (once drawn)."""
    expect(grid.locator(f"#glide-cell-{column}-0")).to_be_attached()
    return grid.locator(f'td[id^="glide-cell-{column}-"]').all_inner_texts()


def row_of(grid: Locator, quote: str) -> int:
    """Where a claim is in the table now (the rows move: newest change first)."""
    quotes = grid_column(grid, COLUMNS.index("quote"))
    assert quote in quotes, f"{quote!r} not in the table: {quotes}"
    return quotes.index(quote)


def selected_cell(grid: Locator) -> tuple[int, int] | None:
    """The (row, column) the grid has selected, from its accessibility table, or None."""
    ids = grid.locator("td[aria-selected=true]").evaluate_all("cells => cells.map(c => c.id)")
    if len(ids) != 1:
        return None
    column, row = (int(n) for n in ids[0].removeprefix("glide-cell-").split("-"))
    return row, column


def select_cell(page: Page, grid: Locator, row: int, column: int) -> None:
    """Select one cell with the keyboard, as an editor would: click the top-left cell, then arrow keys.

    Under load the grid may take a key before it has the focus, or a click while the app is still
    drawing it; so each key is pressed only after the grid shows where the last one took it, and the
    path is worked out again from wherever the selection is.
    """
    for _ in range(row + column + 20):
        at = selected_cell(grid)
        if at == (row, column):
            return
        if at is None or page.evaluate("!document.activeElement?.closest('[data-testid=stDataFrame]')"):
            StreamlitServer.wait_until_idle(page)
            # In the middle of the window: a grid scrolled up under the app's header takes no clicks
            # (paging with the buttons below the grid scrolls it there).
            grid.evaluate("grid => grid.scrollIntoView({block: 'center'})")
            box = steady_box(grid.locator("canvas").first)
            page.mouse.click(box["x"] + 10, box["y"] + HEADER_HEIGHT + ROW_HEIGHT / 2)
        else:
            down, right = row - at[0], column - at[1]
            if down:
                page.keyboard.press("ArrowDown" if down > 0 else "ArrowUp")
            else:
                page.keyboard.press("ArrowRight" if right > 0 else "ArrowLeft")
        try:  # wait until the grid shows the move before deciding the next one
            page.wait_for_function(
                "([grid, before]) => { const c = grid.querySelector('td[aria-selected=true]');"
                " return c && c.id !== before; }",
                arg=[grid.element_handle(), f"glide-cell-{at[1]}-{at[0]}" if at else ""],
                timeout=2_000,
            )
        except PlaywrightTimeoutError:
            pass  # the key or click was lost: look again where the selection is
    raise AssertionError(f"could not select row {row}, column {column}: the grid has {selected_cell(grid)}")


def edit_cell(page: Page, grid: Locator, row: int, column: int, value: str) -> None:
    """Type a new value into one cell, as an editor would with the keyboard.

    Selects the cell (select_cell), opens its editor with Enter, puts the value in (a selectbox cell
    takes the option typed) and commits with Enter. An Enter the grid did not take is tried again.
    """
    editor = page.get_by_test_id("portal").locator(".gdg-clip-region")

    def open_editor() -> None:
        select_cell(page, grid, row, column)
        page.keyboard.press("Enter")

    StreamlitServer.until_visible(open_editor, editor)
    text_box = editor.locator("textarea")
    if text_box.count():  # a text cell: its box must hold the value before Enter commits it
        text_box.fill(value)
        expect(text_box).to_have_value(value)
    else:  # a selectbox cell: typing filters its options (listed outside the cell); Enter takes the one left
        expect(editor.locator("input").first).to_be_focused()
        page.keyboard.type(value)
        expect(page.get_by_role("option")).to_have_text([value])
    page.keyboard.press("Enter")
    expect(editor).to_have_count(0)
    expect(grid.locator(f"#glide-cell-{column}-{row}")).to_have_text(value)


def steady_box(element: Locator) -> FloatRect:
    """The element's box once it has stopped moving (the page settles after a rerun)."""
    last = None
    for _ in range(50):
        box = element.bounding_box()
        if box is not None and box == last:
            return box
        last = box
        element.page.wait_for_timeout(100)
    assert last is not None, "the grid is not drawn"
    return last


def edit_claim(page: Page, quote: str, column: str, value: str, unsaved: int = 1) -> None:
    """Edit a claim's cell, then wait for the app to count `unsaved` changes (its rerun is over)."""
    grid = data_grid(page)
    edit_cell(page, grid, row_of(grid, quote), COLUMNS.index(column), value)
    expect(
        page.get_by_text(f"{unsaved} unsaved change{'s' if unsaved != 1 else ''}", exact=True)
    ).to_be_visible()
    StreamlitServer.wait_until_idle(page)


def save_table_edits(page: Page, changes: list[str]) -> None:
    """Save the table's edits, checking the confirmation lists exactly these changes first."""
    count = len(changes)
    page.get_by_role("button", name=f"Save {count} change{'s' if count != 1 else ''}…").click()
    review = (
        page.get_by_test_id("stVerticalBlock")
        .filter(has=page.get_by_text(re.compile(r"^Save these changes to \d+ claims?\?$")))
        .last
    )
    expect(review.get_by_role("listitem")).to_have_text(changes)
    review.get_by_role("button", name=re.compile(r"^Yes, save \d+ claims?$")).click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(
        f"Saved {count} claim{'s' if count != 1 else ''}."
    )


def open_claims_page(page: Page, desk: Annotator) -> None:
    sign_in(page, desk)
    StreamlitServer.wait_until_idle(page)  # a click on the navigation during a rerun is lost
    go_to(page, "Claims")
    n = len(SEEDED)
    expect(page.get_by_text(f"rows 1–{n} of {n} matching · {n} claims in all")).to_be_visible()


# --- the tests ------------------------------------------------------------------------------------


def test_two_status_edits_saved_one_after_the_other_change_exactly_those_two_claims(
    desk: Annotator, watched: Page
) -> None:
    page = watched
    before = listed(desk.store)
    assert before == SEEDED
    open_claims_page(page, desk)

    search = page.get_by_role("textbox", name="Search quote, claimant, source, notes")
    edit_claim(page, "40 warships", "status", "dropped")
    expect(search).to_be_disabled()  # the rows stay what the edits refer to until saved or discarded
    save_table_edits(page, ["“40 warships” — status: in progress → dropped"])
    expect(search).to_be_enabled()
    # The save re-sorted the rows (newest change first): the next edit must still find its own claim.
    expect(page.get_by_role("button", name=re.compile(r"^Save \d+ changes?…$"))).to_have_count(0)
    edit_claim(page, "purely defensive", "status", "dropped")
    save_table_edits(page, ["“purely defensive” — status: needs review → dropped"])

    after = listed(desk.store)
    changed = {quote: (before[quote], after[quote]) for quote in before if after[quote] != before[quote]}
    assert changed == {
        "40 warships": ("in_progress", "dropped"),
        "purely defensive": ("needs_review", "dropped"),
    }


def test_verdict_and_claimant_edits_are_listed_then_saved_on_their_own_claims_and_can_be_undone(
    desk: Annotator, watched: Page
) -> None:
    page = watched
    open_claims_page(page, desk)
    edit_claim(page, "40 warships", "verdict", "misleading")
    edit_claim(page, "12,000 sailors", "claimant", "The navy", unsaved=2)
    save_table_edits(
        page,
        [
            "“40 warships” — verdict: unrated → misleading",
            "“12,000 sailors” — claimant: (none) → The navy",
        ],
    )
    verdicts = listed(desk.store, "verdict")
    claimants = listed(desk.store, "claimant")
    assert {q: v for q, v in verdicts.items() if v != "unrated"} == {"40 warships": "misleading"}
    assert {q: c for q, c in claimants.items() if c} == {"12,000 sailors": "The navy"}
    assert set(listed(desk.store, "updated_by").values()) == {"Ben Okafor", "Ana Ruiz"}

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("Undone: 2 claims back as they were.")
    assert set(listed(desk.store, "verdict").values()) == {"unrated"}
    assert set(listed(desk.store, "claimant").values()) == {None}


def test_a_bulk_change_asks_first_naming_the_count_and_undo_restores_every_claim(
    desk: Annotator, watched: Page
) -> None:
    page = watched
    before = listed(desk.store)
    open_claims_page(page, desk)
    main = page.get_by_test_id("stMain")
    apply = page.get_by_role("button", name="Apply to 8 matching claims…")
    expect(apply).to_be_disabled()  # no status chosen by default
    choose(page, main, "Set the status of every matching claim to", "in progress")
    apply.click()
    expect(main.get_by_text("Set status of 6 matching claims to in progress?")).to_be_visible()
    expect(main.get_by_text("(2 of the 8 matching already are in progress.)")).to_be_visible()
    assert listed(desk.store) == before  # asking wrote nothing

    page.get_by_role("button", name="Yes, set 6 claims").click()
    done = page.get_by_test_id("stAlertContentSuccess")
    # The two new claims move forward; the four further on would step back, which needs a comment.
    expect(done).to_have_text("Set status of 2 claims to in progress.")
    refused = page.get_by_test_id("stAlertContentError")
    expect(refused).to_have_count(4)
    for message in refused.all_inner_texts():
        assert "needs a comment saying why" in message
    moved = {quote for quote, status in before.items() if status == "new"}
    assert listed(desk.store) == {q: "in_progress" if q in moved else s for q, s in before.items()}

    page.get_by_role("button", name="Undo").click()
    expect(done).to_have_text("Undone: 2 claims back as they were.")
    assert listed(desk.store) == before
    grid = data_grid(page)
    quotes, statuses = (grid_column(grid, COLUMNS.index(column)) for column in ("quote", "status"))
    shown = dict(zip(quotes, statuses, strict=True))
    assert shown == {quote: status.replace("_", " ") for quote, status in before.items()}


def test_what_an_editor_needs_fits_a_1400_px_window_without_scrolling_sideways(
    desk: Annotator, watched: Page
) -> None:
    page = watched
    page.set_viewport_size({"width": 1400, "height": 900})
    open_claims_page(page, desk)
    scroller = data_grid(page).locator(".dvn-scroller")
    visible = scroller.evaluate("element => element.clientWidth")
    needed = ("quote", "link", "status", "verdict", "claimant", "editor", "updated")
    assert COLUMNS[: len(needed)] == list(needed)
    assert sum(CLAIM_COLUMN_WIDTHS[column] for column in needed) <= visible
    assert scroller.evaluate("element => element.scrollLeft") == 0
    picture = REPO_ROOT / "test-results" / "claims_table.png"
    picture.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(picture))


def test_a_table_edit_to_a_claim_someone_else_changed_meanwhile_is_refused_saying_who_and_the_rest_saved(
    desk: Annotator, watched: Page
) -> None:
    page = watched
    open_claims_page(page, desk)
    edit_claim(page, "$4bn over three years", "status", "published")
    edit_claim(page, "12,000 sailors", "status", "in progress", unsaved=2)
    repo = desk.repository()
    theirs = next(claim for claim in repo.list_claims() if claim.quote == "$4bn over three years")
    repo.update_claim(
        theirs.article_id,
        theirs.id,
        apply_changes(ClaimChanges(claimant="Mark Ellis"), theirs.version, "Carla Diaz"),
    )

    page.get_by_role("button", name="Save 2 changes…").click()
    review = page.get_by_test_id("stVerticalBlock").filter(has_text="Save these changes to 2 claims?").last
    review.screenshot(path=str(REPO_ROOT / "test-results" / "claims_table_confirm.png"))
    review.get_by_role("button", name="Yes, save 2 claims").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("Saved 1 claim.")
    expect(page.get_by_test_id("stAlertContentError")).to_have_text(
        re.compile(
            r"^“\$4bn over three years”: Carla Diaz changed claimant to Mark Ellis at \S+ \S+ UTC, "
            r"since you opened it; your change was not saved\.$"
        )
    )
    assert listed(desk.store)["$4bn over three years"] == "approved"
    assert listed(desk.store, "claimant")["$4bn over three years"] == "Mark Ellis"
    assert listed(desk.store)["12,000 sailors"] == "in_progress"


def test_edits_left_unsaved_when_the_editor_leaves_the_page_are_offered_again_on_return(
    desk: Annotator, watched: Page
) -> None:
    page = watched
    open_claims_page(page, desk)
    edit_claim(page, "40 warships", "status", "dropped")
    go_to(page, "Overview")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    go_to(page, "Claims")

    left = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_text("You left this page with")).last
    expect(left.get_by_role("listitem")).to_have_text(["“40 warships” — status: in progress → dropped"])
    assert listed(desk.store)["40 warships"] == "in_progress"  # nothing written behind the editor's back
    left.get_by_role("button", name="Save 1 left change").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("Saved 1 claim.")
    assert listed(desk.store) == {**SEEDED, "40 warships": "dropped"}
    expect(page.get_by_text("You left this page with")).to_have_count(0)
