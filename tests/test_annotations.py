"""Creating and editing claims: span checks, vocabulary, versions and conflicts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.annotations import (
    EDITABLE_FIELDS,
    apply_changes,
    changes_from,
    check_span,
    merge_fields,
    new_claim,
    parse_changes,
    parse_draft,
)
from claims.errors import InvalidClaim, VersionConflict
from claims.formats.articles import make_article
from claims.models import (
    Article,
    ClaimChanges,
    ClaimDraft,
    ClaimFields,
    ClaimStatus,
    ClaimType,
    Evidence,
    Source,
    Verdict,
)

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
    edit = apply_changes(ClaimChanges(status=ClaimStatus.IN_PROGRESS, claimant="Reuters"), 1, by="ben")
    edited = edit(claim)
    assert (edited.version, edited.updated_by, edited.created_by) == (2, "ben", "ana")
    assert edited.status is ClaimStatus.IN_PROGRESS and edited.claimant == "Reuters"
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


# --- three-way merge of a claim's labels (base: the version I opened; mine; theirs) -----------------

_names = st.one_of(st.none(), st.sampled_from(["Ana Ruiz", "The navy", "Reuters"]))
fields_strategy = st.builds(
    ClaimFields,
    claim_type=st.sampled_from(list(ClaimType)),
    claimant=_names,
    source=st.one_of(st.none(), st.builds(Source, name=st.sampled_from(["Reuters", "AFP"]))),
    status=st.sampled_from(list(ClaimStatus)),
    verdict=st.sampled_from(list(Verdict)),
    evidence=st.lists(st.builds(Evidence, note=st.sampled_from(["a", "b"])), max_size=2),
    notes=st.text(max_size=20),
)


@given(fields_strategy, fields_strategy)
def test_merging_when_only_i_changed_gives_mine(base: ClaimFields, mine: ClaimFields) -> None:
    merged = merge_fields(base, mine, base)
    assert merged.clashes == []
    assert merged.result() == mine


@given(fields_strategy, fields_strategy)
def test_merging_when_only_they_changed_gives_theirs(base: ClaimFields, theirs: ClaimFields) -> None:
    merged = merge_fields(base, base, theirs)
    assert merged.clashes == []
    assert merged.result() == theirs


@given(fields_strategy, fields_strategy)
def test_the_same_change_on_both_sides_is_no_clash(base: ClaimFields, both: ClaimFields) -> None:
    assert merge_fields(base, both, both).clashes == []
    assert merge_fields(base, both, both).result() == both


@given(fields_strategy, fields_strategy, fields_strategy, st.data())
def test_changes_to_different_fields_are_both_kept(
    base: ClaimFields, a: ClaimFields, b: ClaimFields, data: st.DataObject
) -> None:
    names = list(EDITABLE_FIELDS)
    mine_fields = set(data.draw(st.lists(st.sampled_from(names), unique=True)))
    mine = base.model_copy(update={n: getattr(a, n) for n in mine_fields})
    theirs = base.model_copy(update={n: getattr(b, n) for n in names if n not in mine_fields})
    merged = merge_fields(base, mine, theirs)
    assert merged.clashes == []
    result = merged.result()
    for name in names:
        assert getattr(result, name) == getattr(mine if name in mine_fields else theirs, name)


@given(fields_strategy, fields_strategy, fields_strategy)
def test_a_clash_is_a_field_both_changed_differently_and_takes_the_side_chosen(
    base: ClaimFields, mine: ClaimFields, theirs: ClaimFields
) -> None:
    merged = merge_fields(base, mine, theirs)
    for name in EDITABLE_FIELDS:
        clashing = getattr(base, name) not in (getattr(mine, name), getattr(theirs, name)) and getattr(
            mine, name
        ) != getattr(theirs, name)
        assert (name in merged.clashes) == clashing
    keep_mine = merged.result(dict.fromkeys(merged.clashes, "mine"))
    keep_theirs = merged.result()
    for name in merged.clashes:
        assert getattr(keep_mine, name) == getattr(mine, name)
        assert getattr(keep_theirs, name) == getattr(theirs, name)


def test_a_merge_ignores_ids_and_history_of_the_claims_compared(article: Article) -> None:
    opened = new_claim(article, draft_for(article, "200,000 troops"), by="ana")
    theirs = opened.model_copy(update={"verdict": Verdict.FALSE, "version": 2, "updated_by": "ben"})
    mine = ClaimFields.model_validate(opened.model_dump() | {"notes": "Check the ministry's figure."})
    merged = merge_fields(opened, mine, theirs)
    assert (merged.changed_by_me, merged.changed_by_them, merged.clashes) == (["notes"], ["verdict"], [])
    edit = apply_changes(changes_from(merged.result()), 2, "ana")
    saved = edit(theirs)
    assert (saved.verdict, saved.notes, saved.version) == (Verdict.FALSE, "Check the ministry's figure.", 3)


def test_choosing_a_side_for_a_field_nobody_clashed_on_is_refused(article: Article) -> None:
    base = ClaimFields()
    merged = merge_fields(base, base.model_copy(update={"notes": "mine"}), base)
    with pytest.raises(InvalidClaim, match="notes"):
        merged.result({"notes": "theirs"})


def test_changes_from_clears_a_claimant_set_to_none(article: Article) -> None:
    claim = new_claim(article, draft_for(article, "200,000 troops", claimant="Putin"), by="ana")
    cleared = apply_changes(changes_from(ClaimFields()), 1, "ben")(claim)
    assert cleared.claimant is None
