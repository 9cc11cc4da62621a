"""ClaimReview JSON-LD: only the desk's approved verdicts, shaped and checked as Google's fact-check markup
asks, refused rather than written when invalid, and safe to embed in a web page."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from records_support import at_status

from claims.annotations import new_claim, parse_draft
from claims.errors import ClaimReviewInvalid
from claims.formats.articles import make_article
from claims.formats.claimreview import check_claimreview, claim_review, claim_reviews, claimant_of
from claims.formats.export import export_bytes, export_chunks, export_records
from claims.formats.output import write_output
from claims.formats.script_safe import script_safe_json
from claims.models import Article, Claim, ClaimStatus, DeskSettings, PublisherSettings
from claims.settings import save_settings
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository

HOSTILE = "</script><script>window.pwned = 1</script><!--"
HOSTILE_URL = "https://news.example/a?x=1&y=</script><script>window.pwned=1</script>"
UNSAFE_BYTES = (b"<", b">", b"&", "\u2028".encode(), "\u2029".encode())
DESK = DeskSettings(
    publisher=PublisherSettings(
        name="Harbour Desk",
        url="https://desk.example",
        logo="https://desk.example/logo.png",
        review_url="https://desk.example/checks/{id}",
    )
)
APPROVED_AT = dt.datetime(2024, 3, 4, 15, 0, tzinfo=dt.UTC)
PUBLISHED_AT = dt.datetime(2024, 3, 5, 9, 0, tzinfo=dt.UTC)


def reviewed(claim: Claim, status: ClaimStatus = ClaimStatus.APPROVED) -> Claim:
    """The claim as the workflow leaves it approved (by ben) or published."""
    stamps: dict[str, Any] = {"approved_by": "ben", "approved_at": APPROVED_AT}
    if status is ClaimStatus.PUBLISHED:
        stamps |= {"published_by": "ben", "published_at": PUBLISHED_AT}
    return at_status(claim, status).model_copy(update=stamps)


def add(
    repo: Repository, article: Article, quote: str, status: ClaimStatus, stamped: bool = True, **fields: Any
) -> Claim:
    """A claim by ana, stored with `status` (and, when approved or published and `stamped`, the stamps)."""
    start = article.text.index(quote)
    draft = parse_draft({"article_id": article.id, "start": start, "end": start + len(quote), **fields})
    claim = new_claim(article, draft, by="ana")
    if stamped and status in (ClaimStatus.APPROVED, ClaimStatus.PUBLISHED):
        claim = reviewed(claim, status)
    repo.add_claim(at_status(claim, status))
    return claim


def hostile_store(repo: Repository | None = None) -> tuple[Repository, Article]:
    """An approved rated claim whose article title, URL, quote and claimant try to end a script element."""
    repo = repo if repo is not None else MemoryRepository()
    article = make_article(
        f"The mayor said {HOSTILE} & more \u2028 was spent. Nobody denied it.",
        title=f"Harbour {HOSTILE} & wall",
        url=HOSTILE_URL,
        date=dt.date(2024, 3, 1),
    )
    repo.add_article(article)
    add(repo, article, f"{HOSTILE} & more \u2028 was spent", ClaimStatus.APPROVED,
        claimant=f"Mayor {HOSTILE}", verdict="false")  # fmt: skip
    return repo, article


@pytest.fixture
def desk_store(repo: Repository) -> tuple[Repository, Article]:
    article = make_article(
        "Putin said 200,000 troops massed. He denied it. "
        "The ministry said 5 people were hurt. Nobody agreed.",
        title="Drills",
        url="https://n.example/a",
        date=dt.date(2024, 3, 1),
    )
    repo.add_article(article)
    return repo, article


def test_only_approved_and_published_claims_with_a_verdict_get_a_review(
    desk_store: tuple[Repository, Article],
) -> None:
    repo, article = desk_store
    normalised = "200,000 Russian troops massed at the border."
    approved = add(repo, article, "200,000 troops massed", ClaimStatus.APPROVED, claimant="Vladimir Putin",
                   verdict="mostly_false", claim_reviewed=normalised)  # fmt: skip
    published = add(repo, article, "He denied it", ClaimStatus.PUBLISHED, claimant="Vladimir Putin",
                    verdict="misleading")  # fmt: skip
    add(repo, article, "5 people were hurt", ClaimStatus.DROPPED, claimant="The ministry", verdict="false")
    add(repo, article, "Nobody agreed", ClaimStatus.NEEDS_REVIEW, claimant="Nobody", verdict="true")
    add(repo, article, "Putin said", ClaimStatus.IN_PROGRESS)

    reviews = json.loads(export_bytes(repo, "claimreview", settings=DESK))

    assert [review["identifier"] for review in reviews] == [approved.id, published.id]
    first, second = reviews
    assert first["claimReviewed"] == normalised
    assert first["reviewRating"] == {
        "@type": "Rating", "alternateName": "Mostly false",
        "ratingValue": 2, "bestRating": 5, "worstRating": 1,
    }  # fmt: skip
    assert first["datePublished"] == "2024-03-04" and second["datePublished"] == "2024-03-05"
    assert second["claimReviewed"] == "He denied it"  # no normalised claim text: the quote
    assert second["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading"}


def test_a_review_carries_the_desk_the_claim_and_its_appearance(
    desk_store: tuple[Repository, Article],
) -> None:
    repo, article = desk_store
    claim = add(repo, article, "200,000 troops massed", ClaimStatus.PUBLISHED, claimant="Vladimir Putin",
                verdict="false")  # fmt: skip
    [review] = json.loads(export_bytes(repo, "claimreview", settings=DESK))
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == f"https://desk.example/checks/{claim.id}"
    assert review["author"] == {
        "@type": "Organization", "name": "Harbour Desk", "url": "https://desk.example",
        "logo": {"@type": "ImageObject", "url": "https://desk.example/logo.png"},
    }  # fmt: skip
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Vladimir Putin"},
        "datePublished": "2024-03-01",
        "appearance": {"@type": "NewsArticle", "url": "https://n.example/a", "headline": "Drills"},
    }
    assert check_claimreview(review) == []


@pytest.mark.parametrize(
    ("claimant", "kind"),
    [("Vladimir Putin", "Person"), ("The ministry", "Organization"), ("Reuters", "Organization"),
     ("NATO", "Organization"), ("Jan Peeters", "Person"), ("Ministry of Defence", "Organization")],
)  # fmt: skip
def test_the_claimant_is_a_person_or_an_organisation(claimant: str, kind: str) -> None:
    assert claimant_of(claimant) == {"@type": kind, "name": claimant}


@pytest.mark.parametrize(
    ("verdict", "value"),
    [("false", 1), ("mostly_false", 2), ("half_true", 3), ("mostly_true", 4), ("true", 5)],
)
def test_five_point_verdicts_are_rated_one_to_five(verdict: str, value: int) -> None:
    repo, article = desk_store_in_memory()
    add(repo, article, "200,000 troops massed", ClaimStatus.APPROVED, claimant="Putin", verdict=verdict)
    [review] = json.loads(export_bytes(repo, "claimreview", settings=DESK))
    rating = review["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (value, 5, 1)
    assert check_claimreview(review) == []


def desk_store_in_memory() -> tuple[Repository, Article]:
    repo = MemoryRepository()
    article = make_article("Putin said 200,000 troops massed. He denied it.", title="Drills",
                           url="https://n.example/a", date=dt.date(2024, 3, 1))  # fmt: skip
    repo.add_article(article)
    return repo, article


@pytest.mark.parametrize(
    ("publisher", "missing"),
    [
        ({"review_url": "https://desk.example/checks/{id}"}, ["author"]),
        ({"url": "https://desk.example", "review_url": "https://desk.example/c/{id}"}, ["author.name"]),
        ({"name": "Harbour Desk"}, ["url"]),
    ],
)
def test_an_unconfigured_desk_is_refused_naming_the_missing_field_per_claim(
    repo: Repository, publisher: dict[str, str], missing: list[str]
) -> None:
    _, article = desk_store_in_memory()
    repo.add_article(article)
    claim = add(
        repo, article, "200,000 troops massed", ClaimStatus.APPROVED, claimant="Putin", verdict="false"
    )
    settings = DeskSettings(publisher=PublisherSettings(**publisher))
    with pytest.raises(ClaimReviewInvalid) as refused:
        export_bytes(repo, "claimreview", settings=settings)
    assert refused.value.problems == {claim.id: missing}
    assert f"claim {claim.id}: {missing[0]}" in str(refused.value)


def test_each_claim_is_named_with_what_it_lacks(repo: Repository) -> None:
    article = make_article("Someone said 200,000 troops massed. He denied it.")  # no URL, title or date
    repo.add_article(article)
    anonymous = add(repo, article, "200,000 troops massed", ClaimStatus.APPROVED, verdict="false")
    named = add(repo, article, "He denied it", ClaimStatus.PUBLISHED, False, claimant="Putin", verdict="true")
    with pytest.raises(ClaimReviewInvalid) as refused:
        export_bytes(repo, "claimreview", settings=DESK)
    assert refused.value.problems == {
        anonymous.id: [
            "itemReviewed.author.name",
            "itemReviewed.datePublished",
            "itemReviewed.appearance.url",
        ],
        named.id: ["datePublished", "itemReviewed.datePublished", "itemReviewed.appearance.url"],
    }


def test_a_refused_export_writes_no_byte_and_keeps_the_old_file(tmp_path: Path) -> None:
    repo, article = desk_store_in_memory()
    add(repo, article, "200,000 troops massed", ClaimStatus.APPROVED, claimant="Putin", verdict="false")
    target = tmp_path / "reviews.jsonld"
    target.write_bytes(b"old")
    with pytest.raises(ClaimReviewInvalid):
        write_output(target, export_chunks(repo, "claimreview", settings=DeskSettings()))
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["reviews.jsonld"]


def test_the_desk_comes_from_the_settings_file_beside_the_store(tmp_path: Path) -> None:
    location = tmp_path / "store" / "claims.json"
    repo, _ = hostile_store(open_repository(location))
    save_settings(str(location), DESK)
    [review] = json.loads(export_bytes(repo, "claimreview"))
    assert review["author"]["name"] == "Harbour Desk"
    assert review["url"] == f"https://desk.example/checks/{review['identifier']}"


def valid_review() -> dict[str, Any]:
    repo, article = desk_store_in_memory()
    add(repo, article, "200,000 troops massed", ClaimStatus.APPROVED, claimant="Putin", verdict="false")
    [record] = export_records(repo).claims
    return claim_review(record, DESK.publisher)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.pop("claimReviewed"), "claimReviewed"),
        (lambda r: r.update(claimReviewed="  "), "claimReviewed"),
        (lambda r: r.pop("reviewRating"), "reviewRating"),
        (lambda r: r["reviewRating"].pop("alternateName"), "reviewRating.alternateName"),
        (lambda r: r["reviewRating"].pop("bestRating"), "reviewRating.bestRating"),
        (lambda r: r["reviewRating"].update(ratingValue="1"), "reviewRating.ratingValue (not a number)"),
        (lambda r: r["reviewRating"].update(worstRating=0), "reviewRating.worstRating (at least 1)"),
        (lambda r: r["reviewRating"].update(ratingValue=6),
         "reviewRating.ratingValue (between worstRating and bestRating)"),
        (lambda r: r["reviewRating"].update(bestRating=1),
         "reviewRating.bestRating (greater than worstRating)"),
        (lambda r: r.update(url="/checks/1"), "url (not an absolute http(s) address)"),
        (lambda r: r["author"].update({"@type": "Thing"}), "author.@type (Organization or Person)"),
        (lambda r: r["author"]["logo"].pop("url"), "author.logo.url"),
        (lambda r: r.update(datePublished="March 4"), "datePublished (not a date YYYY-MM-DD)"),
        (lambda r: r.pop("itemReviewed"), "itemReviewed"),
        (lambda r: r["itemReviewed"].update({"@type": "CreativeWork"}), "itemReviewed.@type (Claim)"),
        (lambda r: r["itemReviewed"]["appearance"].pop("url"), "itemReviewed.appearance.url"),
    ],
)  # fmt: skip
def test_the_check_names_each_missing_or_invalid_property(change: Any, problem: str) -> None:
    review = copy.deepcopy(valid_review())
    assert check_claimreview(review) == []
    change(review)
    assert check_claimreview(review) == [problem]


def test_a_verdict_off_the_scale_needs_only_its_name() -> None:
    review = valid_review()
    review["reviewRating"] = {"@type": "Rating", "alternateName": "Misleading"}
    assert check_claimreview(review) == []


def test_claimreview_export_has_no_character_that_could_end_a_script_element() -> None:
    repo, _ = hostile_store()
    exported = export_bytes(repo, "claimreview", settings=DESK)
    for unsafe in UNSAFE_BYTES:
        assert unsafe not in exported
    assert b"\\u003c/script\\u003e" in exported


def test_escaped_claimreview_parses_as_the_same_reviews_with_the_hostile_text_intact() -> None:
    repo, article = hostile_store()
    records = export_records(repo).claims
    [review] = json.loads(export_bytes(repo, "claimreview", settings=DESK))
    assert review == claim_reviews(records, DESK.publisher)[0]
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
