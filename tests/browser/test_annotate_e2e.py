"""The Annotate page in Chromium: the URL keeps the place, drafts are guarded, conflicts merge,
the form stays with the text, the keyboard path is short, and a selection can accept a suggestion.

Each test serves the real app over its own TinyDB store, prepared through the core.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from test_annotator_e2e import HARBOUR_FILE, Annotator, claim_form, mark_with_mouse, seed, serve_app
from test_span_selector import drag_over

from annotator.claim_form import DETAILS
from claims.formats.articles import make_article, read_article_file
from claims.models import Article, ClaimOrigin, ClaimType, Decision, Verdict

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
LONG_TITLE = "A long article about harbour budgets"
# Drawing an article the first time includes finding its suggestions; on a loaded machine that takes
# longer than expect()'s 5 s.
ARRIVAL_TIMEOUT_MS = 30_000


def long_article(sentences: int = 80) -> Article:
    lines = [
        f"Report {i} says the council spent {i * 1000 + 250:,} euros on the harbour in district {i}."
        for i in range(sentences)
    ]
    text = "\n".join(" ".join(lines[i : i + 4]) for i in range(0, sentences, 4))
    return make_article(text, title=LONG_TITLE)


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Each step here waits for a rerun; on a machine shared by many jobs one can take over 5 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def harbour() -> Article:
    return read_article_file(HARBOUR_FILE)[0]


@pytest.fixture
def annotator(serve_streamlit: Any, tmp_path: Path, harbour: Article) -> Annotator:
    served = serve_app(serve_streamlit, tmp_path / "store" / "claims.json")
    served.repository().add_article(harbour)
    return served


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    """Script errors in the page; the test fails if there were any."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    yield found
    assert found == []


def arrive(page: Page, annotator: Annotator, query: str, name: str = "Ana Ruiz") -> Locator:
    """Load the Annotate page at this query string, sign in if asked, return the article once drawn."""
    annotator.server.open(page, f"/annotate?{query}")
    sign_in_if_asked(page, name)
    article = page.get_by_test_id("span-selector")
    expect(article.locator(".ss-sentence").first).to_be_visible(timeout=ARRIVAL_TIMEOUT_MS)
    # The article shows before the run that drew it ends (and a signed-in rerun may follow): wait, so
    # focus and clicks land on the widgets that stay.
    annotator.server.wait_until_idle(page)
    return article


def sign_in_if_asked(page: Page, name: str) -> None:
    box = page.get_by_role("textbox", name="Your name")
    main = page.get_by_test_id("span-selector").locator(".ss-sentence").first
    expect(box.or_(main)).to_be_visible(timeout=ARRIVAL_TIMEOUT_MS)
    if box.is_visible():
        box.fill(name)
        page.get_by_role("button", name="Start editing").click()


# --- a reload or a link keeps the place ----------------------------------------------------------


def test_reload_back_and_forward_land_on_the_article_and_claim_in_the_url(
    annotator: Annotator, harbour: Article, page: Page, errors: list[str]
) -> None:
    repo = annotator.repository()
    first = seed(repo, harbour, "40 warships", "Ben Okafor", claimant="first")
    second = seed(repo, harbour, "as many as 12,000 sailors", "Ben Okafor", claimant="second")
    article = arrive(page, annotator, f"article={harbour.id}")
    claimant = page.locator(".st-key-claim_panel").get_by_role("textbox", name="Claimant (who made it)")

    article.locator(f'.ss-claim[data-open="{first.id}"]').first.click()
    expect(claimant).to_have_value("first")
    expect(page).to_have_url(f"{annotator.server.url}/annotate?article={harbour.id}&claim={first.id}")
    article.locator(f'.ss-claim[data-open="{second.id}"]').first.click()
    expect(claimant).to_have_value("second")
    expect(page).to_have_url(f"{annotator.server.url}/annotate?article={harbour.id}&claim={second.id}")

    page.reload()
    sign_in_if_asked(page, "Ana Ruiz")
    expect(claimant).to_have_value("second")
    page.go_back()
    expect(claimant).to_have_value("first")
    expect(page).to_have_url(f"{annotator.server.url}/annotate?article={harbour.id}&claim={first.id}")
    page.go_forward()
    expect(claimant).to_have_value("second")


def test_a_link_to_a_claim_that_is_gone_says_so(
    annotator: Annotator, harbour: Article, page: Page, errors: list[str]
) -> None:
    arrive(page, annotator, f"article={harbour.id}&claim=deleted-claim")
    expect(page.get_by_text("This claim no longer exists in this article")).to_be_visible()


# --- drafts: nothing typed is thrown away silently ---------------------------------------------------


def test_reloading_with_unsaved_notes_asks_first_and_keeps_them(
    annotator: Annotator, harbour: Article, page: Page, errors: list[str]
) -> None:
    article = arrive(page, annotator, f"article={harbour.id}")
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    # A form nobody typed into: a reload goes ahead without asking.
    form = mark_with_mouse(page, article, "40 warships")
    annotator.server.wait_until_idle(page)
    page.reload()
    sign_in_if_asked(page, "Ana Ruiz")
    assert dialogs == []

    form = mark_with_mouse(page, article, "as many as 12,000 sailors")
    form.get_by_text(DETAILS).click()  # notes sit with the other details, closed for a new claim
    notes = form.get_by_role("textbox", name="Notes")
    notes.click()
    page.keyboard.type("Ask the navy for the crew list.")  # not yet sent to Python: still in the box
    page.evaluate("setTimeout(() => location.reload(), 0)")
    deadline = time.monotonic() + 10
    while not dialogs and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    expect(notes).to_have_value("Ask the navy for the crew list.")

    # Sent to Python (the box lost focus): a reload asks too.
    page.keyboard.press("Tab")
    annotator.server.wait_until_idle(page)
    page.evaluate("setTimeout(() => location.reload(), 0)")
    deadline = time.monotonic() + 10
    while len(dialogs) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload", "beforeunload"]
    expect(form.get_by_role("textbox", name="Notes")).to_have_value("Ask the navy for the crew list.")

    # Saved: nothing left to lose, so a reload goes ahead without asking (once the page has heard so
    # from the server: a reload in the same instant as the click may still ask, which is safe).
    form.get_by_role("button", name="Save claim").click()
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_be_visible()
    annotator.server.wait_until_idle(page)
    page.reload()
    sign_in_if_asked(page, "Ana Ruiz")
    expect(article.locator(".ss-claim")).to_have_count(1)
    assert dialogs == ["beforeunload", "beforeunload"]
    [claim] = annotator.repository().list_claims(harbour.id)
    assert claim.notes == "Ask the navy for the crew list."


# --- conflicts keep the editor's work -------------------------------------------------------------------


def test_two_editors_save_one_claim_and_the_second_applies_theirs_on_top(
    annotator: Annotator, harbour: Article, browser: Browser
) -> None:
    repo = annotator.repository()
    claim = seed(repo, harbour, "40 warships", "Ben Okafor", claim_type="statistic")
    query = f"article={harbour.id}&claim={claim.id}"
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}) for _ in range(2)]
    try:
        ana, ben = (context.new_page() for context in contexts)
        for tab, name in ((ana, "Ana Ruiz"), (ben, "Ben Okafor")):
            tab.set_default_timeout(15_000)
            arrive(tab, annotator, query, name)
        ana_form, ben_form = claim_form(ana, "Save changes"), claim_form(ben, "Save changes")

        ben_form.get_by_test_id("stSelectbox").filter(has=ben.get_by_text("Verdict", exact=True)).click()
        ben.get_by_role("option", name="false", exact=True).click()
        ben_form.get_by_role("button", name="Save changes").click()
        expect(ben.get_by_text("version 2 · created by Ben Okafor")).to_be_visible()

        notes = "The navy's own release says 38 warships."
        ana_form.get_by_role("textbox", name="Notes").fill(notes)
        ana_form.get_by_role("button", name="Save changes").click()
        expect(ana.get_by_text("Ben Okafor saved this claim at")).to_be_visible()
        expect(ana_form.get_by_role("textbox", name="Notes")).to_have_value(notes)  # my work stays
        expect(ana_form.get_by_test_id("stText").filter(has_text=notes)).to_be_visible()  # in full
        expect(ana_form.get_by_text("Ben Okafor's, ")).to_be_visible()
        assert claim.id not in ana_form.inner_text()
        RESULTS.mkdir(exist_ok=True)
        ana.screenshot(path=str(RESULTS / "annotate_conflict.png"))
        ana_form.get_by_role("button", name="Apply my changes on top of theirs").click()
        expect(ana.get_by_text("version 3 · created by Ben Okafor")).to_be_visible()
        stored = repo.get_claim(harbour.id, claim.id)
        assert (stored.verdict, stored.notes, stored.version, stored.updated_by) == (
            Verdict.FALSE, notes, 3, "Ana Ruiz",
        )  # fmt: skip
    finally:
        for context in contexts:
            context.close()


# --- the form stays with the text ---------------------------------------------------------------------


def test_selecting_words_low_in_a_long_article_brings_the_form_into_view_and_focus(
    annotator: Annotator, page: Page, errors: list[str]
) -> None:
    long = long_article()
    annotator.repository().add_article(long)
    article = arrive(page, annotator, f"article={long.id}")
    last = long.sentences[-1]
    quote = last.text.split(" spent ")[1].split(" on ")[0]
    article.locator(f'.ss-sentence[data-n="{last.index + 1}"]').scroll_into_view_if_needed()
    drag_over(page, article, quote)
    panel = page.locator(".st-key-claim_panel")
    type_field = panel.get_by_role("combobox", name="Type")
    expect(type_field).to_be_focused()
    expect(panel.get_by_role("button", name="Save claim")).to_be_in_viewport()
    expect(panel.get_by_test_id("stText").filter(has_text=quote)).to_be_in_viewport()
    # Tab moves along the form's rows: Type, Claimant; Source cited, Source URL; Status, Verdict.
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
    assert order == ["Claimant (who made it)", "Source cited", "Source URL", "Status", "Verdict"]
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "annotate_long_article.png"))


class Keys:
    """The keyboard, counting every key pressed (each character typed is one press)."""

    def __init__(self, page: Page) -> None:
        self.page, self.presses = page, 0

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses += len(text)


def test_marking_a_claim_by_keyboard_takes_few_key_presses(
    annotator: Annotator, harbour: Article, page: Page, errors: list[str]
) -> None:
    """From the control just above the article to a saved claim, counting every key pressed."""
    arrive(page, annotator, f"article={harbour.id}")
    page.get_by_role("switch", name="Low scores too").focus()
    keys, began = Keys(page), time.monotonic()
    keys.press("Tab", 2)  # the toggle's help, then the sentence picker straight after the article
    expect(page.get_by_role("combobox", name="Sentence")).to_be_focused()
    keys.type("sailors")  # the picker searches the sentences
    keys.press("Enter")
    keys.press("Tab")  # the words box
    keys.type("as many as 12,000 sailors")
    keys.press("Enter")  # marks them; focus moves into the form
    panel = page.locator(".st-key-claim_panel")
    expect(panel.get_by_role("combobox", name="Type")).to_be_focused()
    keys.type("stat")
    keys.press("Enter")
    keys.press("Tab")
    keys.type("The navy")
    keys.press("Tab", 6)  # Source cited, Source URL, Status, Verdict, the (closed) details, Save claim
    expect(panel.get_by_role("button", name="Save claim")).to_be_focused()
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_be_visible()
    seconds = time.monotonic() - began
    [claim] = annotator.repository().list_claims(harbour.id)
    assert (claim.quote, claim.claim_type, claim.claimant) == (
        "as many as 12,000 sailors", ClaimType.STATISTIC, "The navy",
    )  # fmt: skip
    typed = len("sailors") + len("as many as 12,000 sailors") + len("stat") + len("The navy")
    figures = {"keyboard_presses": keys.presses, "of_them_typed_text": typed, "seconds": round(seconds, 1)}
    print(json.dumps(figures))
    assert keys.presses - typed <= 15


def test_marking_a_claim_with_the_mouse_takes_a_drag_and_two_clicks(
    annotator: Annotator, harbour: Article, page: Page, errors: list[str]
) -> None:
    article = arrive(page, annotator, f"article={harbour.id}")
    began = time.monotonic()
    panel = mark_with_mouse(page, article, "two allied fleets")
    panel.get_by_role("combobox", name="Type").click()
    page.get_by_role("option", name="event", exact=True).click()
    panel.get_by_role("button", name="Save claim").click()
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_be_visible()
    print(json.dumps({"mouse": {"drags": 1, "clicks": 3, "seconds": round(time.monotonic() - began, 1)}}))
    [claim] = annotator.repository().list_claims(harbour.id)
    assert claim.quote == "two allied fleets"


# --- a selection that is a suggestion accepts it --------------------------------------------------------


def test_selecting_nearly_a_suggestion_opens_it_prefilled_and_saving_accepts_it(
    annotator: Annotator, harbour: Article, page: Page, errors: list[str]
) -> None:
    article = arrive(page, annotator, f"article={harbour.id}")
    # the suggestion is "as many as 12,000 sailors"
    panel = mark_with_mouse(page, article, "many as 12,000 sailors")
    expect(panel.get_by_text("Saving accepts this suggestion")).to_be_visible()
    expect(panel.get_by_role("combobox", name="Type")).to_have_value("statistic")
    panel.get_by_role("button", name="Save claim").click()
    expect(page.get_by_role("heading", name="Claim", exact=True)).to_be_visible()
    repo = annotator.repository()
    [claim] = repo.list_claims(harbour.id)
    assert (claim.quote, claim.origin, claim.claim_type) == (
        "many as 12,000 sailors", ClaimOrigin.SUGGESTION, ClaimType.STATISTIC,
    )  # fmt: skip
    [decision] = repo.list_decisions(harbour.id)
    assert (decision.decision, decision.claim_id, decision.quote, decision.by) == (
        Decision.ACCEPTED, claim.id, "as many as 12,000 sailors", "Ana Ruiz",
    )  # fmt: skip
