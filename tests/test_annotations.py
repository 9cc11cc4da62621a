"""Creating and editing claims: span checks, vocabulary, versions and conflicts."""

from __future__ import annotations

import pytest

from claims.annotations import apply_changes, check_span, new_claim, parse_changes, parse_draft
from claims.errors import InvalidClaim, VersionConflict
from claims.formats.articles import make_article
from claims.models import Article, ClaimChanges, ClaimDraft, ClaimStatus, ClaimType, Verdict

BODY = "The drills involved as many as 200,000 troops.\nPutin has repeatedly denied that claim."


@pytest.fixture
def article() -> Article:
    return make_article(BODY, title="Drills")


def draft_for(article: Article, quote: str, **fields: object) -> ClaimDraft:
    start = article.text.index(quote)
    return parse_draft({"article_id": article.id, "start": start, "end": start + len(quote), **fields})


def test_new_claim_takes_its_quote_from_the_article(article: Article) -> None:
    claim = new_claim(article, draft_for(article, "200,000 troops", claim_type="statistic"), by="ana")
    assert claim.quote == "200,000 troops"
    assert article.text[claim.start : claim.end] == claim.quote
    assert (claim.version, claim.created_by, claim.updated_by) == (1, "ana", "ana")
    assert claim.claim_type is ClaimType.STATISTIC
    assert claim.status is ClaimStatus.NEW and claim.verdict is Verdict.UNRATED


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(-1, 4, "start"), (500, 510, "start"), (10, 10, "end"), (10, 5, "end"), (10, 999, "end")],
)
def test_span_outside_the_article_is_refused_naming_the_field(
    article: Article, start: int, end: int, field: str
) -> None:
    with pytest.raises(InvalidClaim) as raised:
        check_span(article, start, end, None)
    assert raised.value.field == field
    assert str(start if field == "start" else end) in str(raised.value)


def test_quote_that_does_not_match_the_text_is_refused(article: Article) -> None:
    with pytest.raises(InvalidClaim, match="quote='200,000 tanks'.*does not match"):
        check_span(article, 34, 48, "200,000 tanks")


def test_span_of_only_white_space_is_refused(article: Article) -> None:
    newline = BODY.index("\n")
    with pytest.raises(InvalidClaim, match="white space"):
        check_span(article, newline, newline + 1, None)


def test_unknown_vocabulary_value_is_refused_naming_field_and_value() -> None:
    with pytest.raises(InvalidClaim) as raised:
        parse_draft({"article_id": "a", "start": 0, "end": 3, "status": "done"})
    assert raised.value.field == "status"
    assert "'done'" in str(raised.value)
    assert "approved" in str(raised.value)


def test_malformed_source_url_is_refused_naming_the_nested_field() -> None:
    with pytest.raises(InvalidClaim, match=r"source\.url='reuters dot com'"):
        parse_draft(
            {"article_id": "a", "start": 0, "end": 3, "source": {"name": "Reuters", "url": "reuters dot com"}}
        )


def test_editing_bumps_the_version_and_records_the_editor(article: Article) -> None:
    claim = new_claim(article, draft_for(article, "200,000 troops"), by="ana")
    edit = apply_changes(ClaimChanges(status=ClaimStatus.APPROVED, claimant="Reuters"), 1, by="ben")
    edited = edit(claim)
    assert (edited.version, edited.updated_by, edited.created_by) == (2, "ben", "ana")
    assert edited.status is ClaimStatus.APPROVED and edited.claimant == "Reuters"
    assert edited.verdict is claim.verdict
    assert edited.updated_at >= claim.updated_at


def test_an_edit_can_clear_the_claimant_but_not_the_status(article: Article) -> None:
    claim = new_claim(article, draft_for(article, "200,000 troops", claimant="Putin"), by="ana")
    edited = apply_changes(parse_changes({"claimant": None, "status": None}), 1, by="ben")(claim)
    assert edited.claimant is None
    assert edited.status is ClaimStatus.NEW


def test_a_stale_version_is_refused_saying_who_changed_what(article: Article) -> None:
    opened = new_claim(article, draft_for(article, "200,000 troops"), by="ana")
    theirs = apply_changes(ClaimChanges(verdict=Verdict.FALSE), 1, by="ben")(opened)
    mine = apply_changes(ClaimChanges(status=ClaimStatus.APPROVED), 1, by="cleo", opened=opened)
    with pytest.raises(VersionConflict) as raised:
        mine(theirs)
    message = str(raised.value)
    assert "ben" in message and "verdict" in message and "your version 1, now 2" in message


def test_an_editor_name_is_required(article: Article) -> None:
    with pytest.raises(InvalidClaim, match="created_by"):
        new_claim(article, draft_for(article, "200,000 troops"), by="  ")
