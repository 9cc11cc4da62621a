"""A ClaimReview export embedded in a web page, as Google asks publishers to, runs nothing in Chromium."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from playwright.sync_api import Page

from claims.annotations import new_claim, parse_draft
from claims.formats.articles import make_article
from claims.formats.export import export_bytes
from claims.models import ClaimStatus, DeskSettings, PublisherSettings, utc_now
from claims.store.memory import MemoryRepository
from tests.records_support import at_status

pytestmark = pytest.mark.browser

ATTACK = "</script><script>window.pwned = 1</script><!--<script>"


def hostile_reviews() -> bytes:
    """The ClaimReview export of one approved claim whose title, URL, quote and claimant carry script."""
    repo = MemoryRepository()
    article = make_article(
        f"The mayor said {ATTACK} cost 4 million euros. Nobody denied it.",
        title=f"Harbour {ATTACK} wall",
        date=dt.date(2026, 11, 30),
        url="https://news.example/a?x=</script><script>window.pwned=2</script>",
    )
    repo.add_article(article)
    quote = f"{ATTACK} cost 4 million euros"
    start = article.text.index(quote)
    draft = parse_draft(
        {
            "article_id": article.id,
            "start": start,
            "end": start + len(quote),
            "claimant": f"Mayor {ATTACK}",
            "verdict": "mostly_false",
        }
    )
    rated = new_claim(article, draft, by="ana").model_copy(
        update={"rated_by": "ana", "approved_by": "ben", "approved_at": utc_now()}
    )
    repo.add_claim(at_status(rated, ClaimStatus.APPROVED))
    desk = PublisherSettings(
        name=f"Desk {ATTACK}", url="https://desk.example", review_url="https://desk.example/checks/{id}"
    )
    return export_bytes(repo, "claimreview", settings=DeskSettings(publisher=desk))


def embed(json_ld: str) -> str:
    return (
        "<!doctype html><html><head><title>Fact check</title>"
        f'<script type="application/ld+json">{json_ld}</script>'
        '</head><body><p id="end">The fact check.</p></body></html>'
    )


def test_an_embedded_claimreview_runs_no_script_and_reads_back_as_the_same_json(page: Page) -> None:
    exported = hostile_reviews()
    page.set_content(embed(exported.decode("utf-8")))
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("script").count() == 1
    read_back: Any = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert read_back == json.loads(exported)
    assert read_back[0]["claimReviewed"].startswith(ATTACK)
    assert page.locator("#end").text_content() == "The fact check."
