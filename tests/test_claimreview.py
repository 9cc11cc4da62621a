"""ClaimReview JSON-LD: shaped as schema.org and Google describe it, and safe to embed in a web page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from claims.annotations import new_claim, parse_draft
from claims.cli import cli
from claims.errors import ClaimReviewSettingsError
from claims.formats.articles import make_article
from claims.formats.claimreview import ReviewPublisher, claim_reviews, render_claimreview
from claims.formats.export import export_bytes, export_records
from claims.formats.script_safe import script_safe_json
from claims.models import Article
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository

HOSTILE = "</script><script>window.pwned = 1</script><!--"
HOSTILE_URL = "https://news.example/a?x=1&y=</script><script>window.pwned=1</script>"
UNSAFE_BYTES = (b"<", b">", b"&", "\u2028".encode(), "\u2029".encode())


def hostile_store(repo: Repository | None = None) -> tuple[Repository, Article]:
    """A rated claim whose article title, URL, quote and claimant all try to end a script element."""
    repo = repo if repo is not None else MemoryRepository()
    article = make_article(
        f"The mayor said {HOSTILE} & more \u2028 was spent. Nobody denied it.",
        title=f"Harbour {HOSTILE} & wall",
        url=HOSTILE_URL,
        date=dt.date(2024, 3, 1),
    )
    repo.add_article(article)
    quote = f"{HOSTILE} & more \u2028 was spent"
    start = article.text.index(quote)
    draft = parse_draft(
        {
            "article_id": article.id,
            "start": start,
            "end": start + len(quote),
            "claimant": f"Mayor {HOSTILE}",
            "verdict": "false",
        }
    )
    repo.add_claim(new_claim(article, draft, by="ana"))
    return repo, article


def test_claimreview_export_has_no_character_that_could_end_a_script_element() -> None:
    repo, _ = hostile_store()
    exported = export_bytes(repo, "claimreview")
    for unsafe in UNSAFE_BYTES:
        assert unsafe not in exported
    assert b"\\u003c/script\\u003e" in exported


def test_escaped_claimreview_parses_as_the_same_reviews_with_the_hostile_text_intact() -> None:
    repo, article = hostile_store()
    records = export_records(repo).claims
    [review] = json.loads(render_claimreview(records, ReviewPublisher()))
    assert review == claim_reviews(records)[0]
    assert review["claimReviewed"] == f"{HOSTILE} & more \u2028 was spent"
    assert review["itemReviewed"]["author"]["name"] == f"Mayor {HOSTILE}"
    assert review["itemReviewed"]["appearance"]["headline"] == f"Harbour {HOSTILE} & wall"
    assert review["itemReviewed"]["appearance"]["url"] == article.url


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet=st.characters(exclude_categories=["Cs"])), children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values)
def test_script_safe_json_parses_back_to_the_same_value_and_holds_no_unsafe_character(value: Any) -> None:
    encoded = script_safe_json(value, indent=2)
    assert json.loads(encoded) == value
    for unsafe in UNSAFE_BYTES:
        assert unsafe not in encoded


@given(st.text(alphabet='\\<>&\u2028\u2029"/ab'))
def test_backslashes_next_to_escaped_characters_keep_their_meaning(text: str) -> None:
    assert json.loads(script_safe_json({"t": text})) == {"t": text}


def test_a_review_carries_what_google_asks_for_when_the_desk_is_configured() -> None:
    repo, article = hostile_store()
    publisher = ReviewPublisher(
        name="Harbour Desk", url="https://desk.example", review_url="https://desk.example/checks/{id}"
    )
    [review] = claim_reviews(export_records(repo).claims, publisher)
    [claim] = repo.list_claims()
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Harbour Desk",
        "url": "https://desk.example",
    }
    assert review["url"] == f"https://desk.example/checks/{claim.id}"
    assert review["datePublished"] == claim.updated_at.date().isoformat()
    assert review["reviewRating"] == {
        "@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
    }  # fmt: skip
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2024-03-01"
    assert item["author"] == {"@type": "Person", "name": claim.claimant}
    assert item["appearance"] == {
        "@type": "NewsArticle", "url": article.url, "headline": article.title, "datePublished": "2024-03-01",
    }  # fmt: skip


def test_without_a_configured_desk_a_review_names_no_author_and_no_url() -> None:
    repo, _ = hostile_store()
    [review] = claim_reviews(export_records(repo).claims, ReviewPublisher())
    assert "author" not in review and "url" not in review


def test_the_desk_comes_from_the_environment_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_PUBLISHER", "Harbour Desk")
    monkeypatch.setenv("CLAIMS_REVIEW_URL", "https://desk.example/checks#{id}")
    repo, _ = hostile_store()
    [review] = json.loads(export_bytes(repo, "claimreview"))
    assert review["author"] == {"@type": "Organization", "name": "Harbour Desk"}
    assert review["url"] == f"https://desk.example/checks#{review['identifier']}"


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"name": "Desk", "review_url": "desk.example/{id}"}, "review URL 'desk.example/{id}'"),
        ({"name": "Desk", "url": "javascript:alert(1)"}, "publisher URL 'javascript:alert(1)'"),
        ({"url": "https://desk.example"}, "without the publisher's name"),
    ],
)
def test_unusable_publisher_settings_are_refused_naming_them(settings: dict[str, str], named: str) -> None:
    with pytest.raises(ClaimReviewSettingsError, match=re.escape(named)):
        ReviewPublisher(**settings)


def test_cli_claimreview_export_takes_the_publisher_options(tmp_path: Path) -> None:
    db = tmp_path / "store" / "claims.json"
    hostile_store(open_repository(db))
    output = tmp_path / "reviews.jsonld"
    result = CliRunner().invoke(
        cli,
        ["export", "--format", "claimreview", "--publisher", "Harbour Desk", "--review-url",
         "https://desk.example/checks/{id}", "-o", str(output), "--db", str(db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = output.read_bytes()
    assert b"</script" not in written
    [review] = json.loads(written)
    assert review["author"]["name"] == "Harbour Desk"
    assert review["url"] == f"https://desk.example/checks/{review['identifier']}"


def test_cli_refuses_publisher_options_for_other_formats(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--format", "csv", "--publisher", "Desk", "--db", str(tmp_path / "claims.json")]
    )
    assert result.exit_code == 2
    assert "apply to --format claimreview" in result.output


def test_cli_names_a_bad_review_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["export", "--format", "claimreview", "--review-url", "/checks/{id}", "--db", str(tmp_path / "c")],
    )
    assert result.exit_code == 1
    assert "review URL '/checks/{id}'" in result.output


def test_the_app_warns_about_a_bad_review_url_instead_of_failing_the_download_silently(
    app_script: str, app_store: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMS_REVIEW_URL", "desk.example/{id}")
    at = AppTest.from_file(app_script, default_timeout=60)
    at.session_state["editor"] = "ana"
    at.run()
    assert not at.exception
    assert "CLAIMS_REVIEW_URL or --review-url" in at.warning[0].value
