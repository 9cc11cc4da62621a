"""The span selector in real Chromium: drags give Python offsets, clicks open highlights, markup is text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from span_selector_page import fixed_article

pytestmark = pytest.mark.browser

PAGE_SCRIPT = Path(__file__).with_name("span_selector_page.py")
TEXT = fixed_article()[0]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


# Finds a quote among the article's text nodes (inside the component's shadow root) and returns
# viewport points just inside its first and last characters.
QUOTE_ENDS_JS = """
(article, quote) => {
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push([node, all.length]);
    all += node.data;
  }
  const at = all.indexOf(quote);
  if (at < 0) throw new Error(`not in the article: ${quote}`);
  const rectOf = (index, length) => {
    let k = nodes.length - 1;
    while (nodes[k][1] > index) k--;
    const range = document.createRange();
    range.setStart(nodes[k][0], index - nodes[k][1]);
    range.setEnd(nodes[k][0], index - nodes[k][1] + length);
    return range.getBoundingClientRect();
  };
  const lastLength = /[\\uDC00-\\uDFFF]$/.test(quote) ? 2 : 1;
  const first = rectOf(at, quote.codePointAt(0) > 0xffff ? 2 : 1);
  const last = rectOf(at + quote.length - lastLength, lastLength);
  return {
    start: [first.left + 1, first.top + first.height / 2],
    end: [last.right - 1, last.top + last.height / 2],
  };
}
"""


@pytest.fixture(scope="module")
def app(serve_streamlit: Any) -> Any:
    return serve_streamlit(PAGE_SCRIPT)


@pytest.fixture
def article(app: Any, page: Page) -> Iterator[Locator]:
    """The fixed article, loaded in a fresh session; fails the test if the page raised a JS error."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    app.open(page)
    located = page.get_by_test_id("span-selector")  # Playwright locators pierce the shadow root
    expect(located.locator(".ss-seg").first).to_be_visible()
    yield located
    assert errors == []


def drag_over(page: Page, article: Locator, quote: str) -> None:
    """Select the quote with a real mouse drag, from inside its first to inside its last character."""
    ends = article.evaluate(QUOTE_ENDS_JS, quote)
    page.mouse.move(*ends["start"])
    page.mouse.down()
    page.mouse.move(*ends["end"], steps=12)
    page.mouse.up()


def shown(page: Page) -> dict[str, Any]:
    """What the page prints: {"count": events so far, "last": the last event, "runs": script runs}."""
    return dict(json.loads(page.get_by_test_id("stCode").inner_text()))


def event_number(page: Page, count: int) -> dict[str, Any]:
    """Wait until the page has received `count` events and return the last one."""
    expect(page.get_by_test_id("stCode")).to_contain_text(f'"count": {count},')
    output = shown(page)
    assert output["count"] == count
    return dict(output["last"])


def python_span(quote: str) -> dict[str, Any]:
    start = TEXT.index(quote)
    return {"action": "select", "start": start, "end": start + len(quote)}


def test_dragging_over_a_phrase_reports_its_python_offsets_once(page: Page, article: Locator) -> None:
    drag_over(page, article, "200,000 troops")
    assert event_number(page, 1) == python_span("200,000 troops")
    runs = shown(page)["runs"]
    page.get_by_role("button", name="Rerun").click()
    expect(page.get_by_test_id("stCode")).to_contain_text(f'"runs": {runs + 1}')
    assert shown(page)["count"] == 1  # a trigger value: the next run does not report it again


def test_a_selection_after_an_emoji_and_an_accent_has_code_point_offsets(
    page: Page, article: Locator
) -> None:
    start = TEXT.index("about 3,000")
    assert len(TEXT[:start].encode("utf-16-le")) // 2 != start  # JavaScript counts differently here
    drag_over(page, article, "about 3,000 cups")
    assert event_number(page, 1) == python_span("about 3,000 cups")


def test_a_selection_across_sentences_leaves_out_the_sentence_number(page: Page, article: Locator) -> None:
    drag_over(page, article, "the border. Locals greeted")
    assert event_number(page, 1) == python_span("the border. Locals greeted")


def test_a_selection_across_paragraphs_keeps_the_break_between_them(page: Page, article: Locator) -> None:
    drag_over(page, article, "a day.\n\nA caption")
    assert event_number(page, 1) == python_span("a day.\n\nA caption")


def test_a_selection_starting_on_a_space_is_trimmed(page: Page, article: Locator) -> None:
    drag_over(page, article, " 200,000 troops")
    assert event_number(page, 1) == python_span("200,000 troops")


def test_clicking_a_highlight_opens_the_innermost_one(page: Page, article: Locator) -> None:
    article.locator(".ss-seg", has_text="200,000 troops").click()
    assert event_number(page, 1) == {"action": "open", "id": "suggestion-number", "kind": "suggestion"}
    article.locator(".ss-seg", has_text="were massed").click()
    assert event_number(page, 2) == {"action": "open", "id": "claim-troops", "kind": "claim"}
    article.locator(".ss-seg", has_text="40%").click()
    assert event_number(page, 3) == {"action": "open", "id": "claim-budget", "kind": "claim"}


def test_clicking_plain_text_reports_nothing(page: Page, article: Locator) -> None:
    article.locator(".ss-seg", has_text="Officials said").click()
    drag_over(page, article, "massed")
    assert event_number(page, 1) == python_span("massed")  # the click before it sent no event


def test_unsafe_markup_is_shown_literally_and_runs_nothing(page: Page, article: Locator) -> None:
    expect(article).to_contain_text(
        '<script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2">'
    )
    expect(article).to_contain_text("**bold** and [a link](javascript:alert(1))")
    assert article.locator("script, img, a, strong, b").count() == 0
    assert page.evaluate("window.__xss") is None


def test_highlights_are_drawn_in_place_and_look_clean(page: Page, article: Locator) -> None:
    claim = article.locator('.ss-claim[data-open="claim-troops"]').first
    expect(claim).to_have_attribute("title", "Troops")
    nested = article.locator('[data-open="suggestion-number"]')
    expect(nested).to_have_class("ss-seg ss-hl ss-claim ss-suggestion")
    expect(nested).to_have_attribute("title", "A number\nTroops")
    expect(article.locator(".ss-sentence")).to_have_count(4)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "span_selector.png"), full_page=True)


def test_a_long_article_draws_as_one_element_quickly(app: Any, page: Page) -> None:
    app.open(page, "/?sentences=200")
    article = page.get_by_test_id("span-selector")
    expect(article.locator(".ss-sentence")).to_have_count(200)
    assert article.locator(".ss-hl[data-open]").count() >= 100
    assert page.locator(".stBidiComponent").count() == 1
    draw_ms = float(article.get_attribute("data-draw-ms") or "inf")
    print(f"drew 200 sentences and 100 highlights in {draw_ms} ms")
    assert draw_ms < 500
    page.screenshot(path=str(RESULTS / "span_selector_long.png"))
