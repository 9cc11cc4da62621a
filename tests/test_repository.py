"""The one contract every repository backend keeps; each test runs against every backend."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claims.annotations import apply_changes
from claims.errors import DuplicateClaim, InvalidClaim, NotFound, VersionConflict
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimStatus,
    ClaimType,
    Decision,
    Source,
    SuggestionDecision,
    Verdict,
    utc_now,
)
from claims.store.contract import ConflictingArticle, Repository
from claims.store.memory import MemoryRepository

ArticleMaker = Callable[..., Article]
ClaimMaker = Callable[..., Claim]


@pytest.fixture
def stored(repo: Repository, article: Article) -> Article:
    repo.add_article(article)
    return article


@pytest.fixture
def claim(repo: Repository, stored: Article, make_claim: ClaimMaker) -> Claim:
    claim = make_claim(stored, "4 million euros", claim_type="statistic", claimant="The council")
    repo.add_claim(claim)
    return claim


def newer(claim: Claim, **changes: object) -> Claim:
    return claim.model_copy(update={**changes, "version": claim.version + 1})


# -- articles


def test_a_repository_names_where_it_keeps_its_data(repo: Repository) -> None:
    assert isinstance(repo.location, str) and repo.location


def test_an_added_article_reads_back_equal(repo: Repository, article: Article) -> None:
    assert repo.add_article(article) is True
    assert repo.get_article(article.id) == article


def test_adding_the_same_article_twice_stores_it_once(repo: Repository, article: Article) -> None:
    assert repo.add_article(article) is True
    changed = article.model_copy(update={"title": "Something else"})
    assert repo.add_article(changed) is False
    assert repo.get_article(article.id).title == article.title
    assert [summary.id for summary in repo.list_articles()] == [article.id]


def test_articles_are_listed_as_summaries_in_the_order_they_were_added(
    repo: Repository, make_article: ArticleMaker
) -> None:
    articles = [make_article(article_id) for article_id in ("zeta", "alpha", "mid")]
    for article in articles:
        repo.add_article(article)
    assert repo.list_articles() == [article.summary() for article in articles]


def test_getting_an_unknown_article_raises_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound, match="no article with id 'nope'"):
        repo.get_article("nope")


def test_article_ids_that_are_awkward_file_names_are_kept_apart(
    repo: Repository, make_article: ArticleMaker
) -> None:
    ids = ["a/b", "a%2Fb", ".hidden", "..", "", "x" * 300, "Ünïcode id", "a b"]
    for article_id in ids:
        assert repo.add_article(make_article(article_id)) is True
    assert [summary.id for summary in repo.list_articles()] == ids
    for article_id in ids:
        assert repo.get_article(article_id).id == article_id


def test_deleting_an_article_removes_its_claims(
    repo: Repository, stored: Article, claim: Claim, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    other = make_article("other")
    repo.add_article(other)
    kept = make_claim(other, "Mayor Jan Peeters")
    repo.add_claim(kept)
    repo.add_claim(make_claim(stored, "the new harbour wall"))

    assert repo.delete_article(stored.id, by="bo") == 2

    with pytest.raises(NotFound):
        repo.get_article(stored.id)
    with pytest.raises(NotFound):
        repo.get_claim(stored.id, claim.id)
    with pytest.raises(NotFound):
        repo.list_claims(stored.id)
    assert repo.list_claims() == [kept]
    assert [summary.id for summary in repo.list_articles()] == [other.id]


def test_deleting_an_article_without_claims_returns_zero(repo: Repository, stored: Article) -> None:
    assert repo.delete_article(stored.id, by="bo") == 0
    assert repo.list_articles() == []


def test_deleting_an_unknown_article_raises_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.delete_article("nope", by="bo")


def test_a_deleted_article_can_be_added_again_without_its_old_claims(
    repo: Repository, stored: Article, claim: Claim
) -> None:
    repo.delete_article(stored.id, by="bo")
    assert repo.add_article(stored) is True
    assert repo.list_claims(stored.id) == []


# -- claims


def test_an_added_claim_reads_back_equal(repo: Repository, claim: Claim) -> None:
    assert repo.get_claim(claim.article_id, claim.id) == claim


def test_adding_a_claim_to_an_unknown_article_raises_not_found(
    repo: Repository, article: Article, make_claim: ClaimMaker
) -> None:
    with pytest.raises(NotFound, match="article"):
        repo.add_claim(make_claim(article, "4 million euros"))


def test_adding_a_claim_with_an_existing_id_raises_duplicate_claim(repo: Repository, claim: Claim) -> None:
    with pytest.raises(DuplicateClaim, match=claim.id):
        repo.add_claim(claim.model_copy(update={"notes": "a second copy"}))
    assert repo.list_claims(claim.article_id) == [claim]


def test_getting_an_unknown_claim_raises_not_found(repo: Repository, claim: Claim) -> None:
    with pytest.raises(NotFound, match="no claim with id 'nope'"):
        repo.get_claim(claim.article_id, "nope")
    with pytest.raises(NotFound, match="no article with id 'nope'"):
        repo.get_claim("nope", claim.id)


def test_claims_are_listed_per_article_in_the_order_they_were_added(
    repo: Repository, stored: Article, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    other = make_article("other")
    repo.add_article(other)
    quotes = ["opposition denied", "4 million euros", "Mayor Jan Peeters"]
    mine = [make_claim(stored, quote) for quote in quotes]
    theirs = make_claim(other, "harbour wall")
    for claim in [mine[0], theirs, *mine[1:]]:
        repo.add_claim(claim)
    assert repo.list_claims(stored.id) == mine
    assert repo.list_claims(other.id) == [theirs]
    assert sorted(repo.list_claims(), key=lambda c: c.id) == sorted([*mine, theirs], key=lambda c: c.id)


def test_listing_claims_of_an_unknown_article_raises_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.list_claims("nope")


def test_an_empty_store_lists_nothing(repo: Repository) -> None:
    assert repo.list_articles() == []
    assert repo.list_claims() == []


def test_an_update_bumps_the_version_and_records_the_editor(repo: Repository, claim: Claim) -> None:
    edit = apply_changes(
        ClaimChanges(status=ClaimStatus.IN_PROGRESS, verdict=Verdict.FALSE), claim.version, by="bo"
    )
    updated = repo.update_claim(claim.article_id, claim.id, edit)
    assert (updated.version, updated.updated_by, updated.status) == (2, "bo", ClaimStatus.IN_PROGRESS)
    assert updated.created_by == "ana"
    assert repo.get_claim(claim.article_id, claim.id) == updated


def test_an_update_can_clear_a_field_and_the_clearing_is_stored(repo: Repository, claim: Claim) -> None:
    assert claim.claimant is not None
    edit = apply_changes(ClaimChanges(claimant=None), claim.version, by="bo")
    repo.update_claim(claim.article_id, claim.id, edit)
    assert repo.get_claim(claim.article_id, claim.id).claimant is None


def test_update_with_a_stale_version_is_refused_with_a_conflict(repo: Repository, claim: Claim) -> None:
    opened = repo.get_claim(claim.article_id, claim.id)
    first = apply_changes(ClaimChanges(verdict=Verdict.MISLEADING), opened.version, by="bo")
    saved = repo.update_claim(claim.article_id, claim.id, first)

    second = apply_changes(ClaimChanges(notes="mine"), opened.version, by="cy", opened=opened)
    with pytest.raises(VersionConflict) as raised:
        repo.update_claim(claim.article_id, claim.id, second)

    assert raised.value.changed_by == "bo"
    assert raised.value.changed_fields == ["verdict"]
    assert "bo" in str(raised.value) and "verdict" in str(raised.value)
    assert repo.get_claim(claim.article_id, claim.id) == saved


def test_successive_updates_each_need_the_latest_version(repo: Repository, claim: Claim) -> None:
    current = claim
    for note in ("one", "two", "three"):
        edit = apply_changes(ClaimChanges(notes=note), current.version, by="bo")
        current = repo.update_claim(claim.article_id, claim.id, edit)
    assert (current.version, current.notes) == (4, "three")
    assert repo.get_claim(claim.article_id, claim.id) == current


def test_updating_an_unknown_claim_raises_not_found_without_calling_the_edit(
    repo: Repository, claim: Claim
) -> None:
    def edit(current: Claim) -> Claim:
        raise AssertionError("the edit must not run")

    with pytest.raises(NotFound, match="claim"):
        repo.update_claim(claim.article_id, "nope", edit)
    with pytest.raises(NotFound, match="article"):
        repo.update_claim("nope", claim.id, edit)


def test_an_edit_that_fails_leaves_the_claim_as_it_was(repo: Repository, claim: Claim) -> None:
    def edit(current: Claim) -> Claim:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        repo.update_claim(claim.article_id, claim.id, edit)
    assert repo.get_claim(claim.article_id, claim.id) == claim


def test_deleting_a_claim_returns_it_and_removes_only_it(
    repo: Repository, stored: Article, claim: Claim, make_claim: ClaimMaker
) -> None:
    other = make_claim(stored, "harbour wall")
    repo.add_claim(other)
    assert repo.delete_claim(claim.article_id, claim.id, by="bo") == claim
    assert repo.list_claims(stored.id) == [other]
    with pytest.raises(NotFound):
        repo.get_claim(claim.article_id, claim.id)


def test_deleting_an_unknown_claim_raises_not_found(repo: Repository, claim: Claim) -> None:
    with pytest.raises(NotFound, match="claim"):
        repo.delete_claim(claim.article_id, "nope", by="bo")
    with pytest.raises(NotFound, match="article"):
        repo.delete_claim("nope", claim.id, by="bo")


# -- merge


def test_merge_adds_new_articles_and_their_claims(
    repo: Repository, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    articles = [make_article("one"), make_article("two")]
    claims = [make_claim(articles[0], "4 million euros"), make_claim(articles[1], "harbour wall")]

    report = repo.merge(articles, claims)

    assert (report.articles.added, report.articles.skipped) == (2, 0)
    assert (report.claims.added, report.claims.updated, report.claims.skipped) == (2, 0, 0)
    assert [summary.id for summary in repo.list_articles()] == ["one", "two"]
    assert repo.get_article("two") == articles[1]
    assert repo.list_claims("one") == [claims[0]]
    assert repo.list_claims("two") == [claims[1]]


def test_merge_skips_an_article_already_stored_without_changing_it(
    repo: Repository, stored: Article, claim: Claim
) -> None:
    incoming = stored.model_copy(update={"title": "Rewritten"})
    report = repo.merge([incoming], [])
    assert (report.articles.added, report.articles.skipped) == (0, 1)
    assert repo.get_article(stored.id) == stored
    assert repo.list_claims(stored.id) == [claim]


def test_merge_replaces_a_claim_only_with_a_newer_version(
    repo: Repository, stored: Article, claim: Claim, make_claim: ClaimMaker
) -> None:
    other = make_claim(stored, "harbour wall")
    repo.add_claim(other)
    newer_claim = newer(claim, verdict=Verdict.TRUE, updated_by="bo")
    older_other = other.model_copy(update={"notes": "an old copy"})

    report = repo.merge([], [newer_claim, older_other])

    assert (report.claims.added, report.claims.updated, report.claims.skipped) == (0, 1, 1)
    assert repo.get_claim(stored.id, claim.id) == newer_claim
    assert repo.get_claim(stored.id, other.id) == other
    assert [c.id for c in repo.list_claims(stored.id)] == [claim.id, other.id]


def test_merge_decides_a_repeated_claim_against_the_copy_merged_before_it(
    repo: Repository, stored: Article, make_claim: ClaimMaker
) -> None:
    first = make_claim(stored, "harbour wall")
    second = newer(first, notes="second")
    report = repo.merge([], [first, second, first])
    assert (report.claims.added, report.claims.updated, report.claims.skipped) == (1, 1, 1)
    assert repo.list_claims(stored.id) == [second]


def test_merge_counts_a_repeated_article_once(repo: Repository, article: Article) -> None:
    report = repo.merge([article, article], [])
    assert (report.articles.added, report.articles.skipped) == (1, 1)
    assert len(repo.list_articles()) == 1


def test_merge_of_a_claim_for_an_unknown_article_raises_not_found(
    repo: Repository, stored: Article, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    stray = make_claim(make_article("elsewhere"), "harbour wall")
    with pytest.raises(NotFound, match="elsewhere"):
        repo.merge([], [stray])
    assert repo.list_claims() == []


def test_a_merge_refused_for_a_missing_article_changes_nothing(
    repo: Repository,
    stored: Article,
    claim: Claim,
    make_article: ArticleMaker,
    make_claim: ClaimMaker,
) -> None:
    stray = make_claim(make_article("elsewhere"), "harbour wall")
    with pytest.raises(NotFound, match="elsewhere"):
        repo.merge([make_article("new")], [newer(claim, notes="merged"), stray])
    assert [summary.id for summary in repo.list_articles()] == [stored.id]
    assert repo.list_claims() == [claim]


def test_merging_everything_from_one_store_into_an_empty_one_copies_it(
    repo: Repository, stored: Article, claim: Claim, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    other = make_article("other")
    repo.add_article(other)
    repo.add_claim(make_claim(other, "opposition denied", claim_type="denial", source=Source(name="Reuters")))
    articles = [repo.get_article(summary.id) for summary in repo.list_articles()]

    copy = MemoryRepository()
    copy.merge(articles, repo.list_claims())
    again = repo.merge(articles, repo.list_claims())

    assert copy.list_articles() == repo.list_articles()
    assert sorted(copy.list_claims(), key=lambda c: c.id) == sorted(repo.list_claims(), key=lambda c: c.id)
    assert (again.articles.skipped, again.claims.skipped) == (2, 2)


# -- suggestion decisions


def decision_on(article: Article, quote: str, verdict: Decision, by: str = "ana") -> SuggestionDecision:
    start = article.text.index(quote)
    return SuggestionDecision(
        article_id=article.id,
        start=start,
        end=start + len(quote),
        claim_type=ClaimType.STATISTIC,
        quote=quote,
        decision=verdict,
        by=by,
        at=utc_now(),
    )


def test_suggestion_decisions_are_remembered_per_article(
    repo: Repository, stored: Article, make_article: ArticleMaker
) -> None:
    other = make_article("other")
    repo.add_article(other)
    rejected = decision_on(stored, "4 million euros", Decision.REJECTED)
    accepted = decision_on(other, "harbour wall", Decision.ACCEPTED, by="ben")
    repo.record_decisions(stored.id, [rejected])
    repo.record_decisions(other.id, [accepted])
    assert repo.list_decisions(stored.id) == [rejected]
    assert sorted(repo.list_decisions(), key=lambda d: d.by) == [rejected, accepted]


def test_decisions_for_an_unknown_article_are_refused(repo: Repository, stored: Article) -> None:
    with pytest.raises(NotFound):
        repo.record_decisions("nope", [])
    with pytest.raises(NotFound):
        repo.list_decisions("nope")


def test_a_decision_filed_under_another_article_is_refused(
    repo: Repository, stored: Article, make_article: ArticleMaker
) -> None:
    other = make_article("other")
    repo.add_article(other)
    with pytest.raises(InvalidClaim, match="article_id"):
        repo.record_decisions(stored.id, [decision_on(other, "harbour wall", Decision.REJECTED)])
    assert repo.list_decisions() == []


def test_deleting_an_article_forgets_its_decisions(repo: Repository, stored: Article) -> None:
    repo.record_decisions(stored.id, [decision_on(stored, "4 million euros", Decision.REJECTED)])
    repo.delete_article(stored.id, by="bo")
    assert repo.list_decisions() == []


def test_documents_hold_every_article_and_claim_as_json_records(
    repo: Repository, stored: Article, claim: Claim, make_article: ArticleMaker
) -> None:
    other = make_article("other")
    repo.add_article(other)
    snapshot = repo.documents()
    assert sorted((Article.model_validate(a) for a in snapshot.articles), key=lambda a: a.id) == sorted(
        [stored, other], key=lambda a: a.id
    )
    assert snapshot.claims == [claim.model_dump(mode="json")]


# -- revisions


def test_the_revision_changes_with_every_write_and_only_then(
    repo: Repository, article: Article, make_claim: ClaimMaker
) -> None:
    seen = [repo.revision()]

    def changed() -> bool:
        seen.append(repo.revision())
        return seen[-1] != seen[-2]

    repo.add_article(article)
    assert changed()
    claim = make_claim(article, "4 million euros")
    repo.add_claim(claim)
    assert changed()
    repo.list_claims(), repo.list_articles(), repo.get_claim(article.id, claim.id), repo.documents()
    assert not changed()
    repo.update_claim(article.id, claim.id, apply_changes(ClaimChanges(notes="x"), 1, by="bo"))
    assert changed()
    repo.record_decisions(article.id, [decision_on(article, "harbour wall", Decision.REJECTED)])
    assert changed()
    repo.merge([], [newer(repo.get_claim(article.id, claim.id))])
    assert changed()
    repo.delete_claim(article.id, claim.id, by="bo")
    assert changed()
    repo.delete_article(article.id, by="bo")
    assert changed()
    assert len(set(seen)) == len(seen) - 1  # every write gave a revision never seen before


def test_importing_an_article_already_present_keeps_the_revision(repo: Repository, stored: Article) -> None:
    before = repo.revision()
    assert repo.add_article(stored) is False
    assert repo.revision() == before


def test_a_refused_merge_keeps_the_revision_and_the_data(
    repo: Repository, stored: Article, claim: Claim, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    before = (repo.revision(), repo.list_articles(), repo.list_claims())
    stray = make_claim(make_article("elsewhere"), "harbour wall")
    with pytest.raises(NotFound):
        repo.merge([make_article("new")], [newer(claim, notes="merged"), stray])
    assert (repo.revision(), repo.list_articles(), repo.list_claims()) == before


# -- deletions record who


def test_deleting_a_claim_records_who_did_it_with_the_claim_as_it_was(
    repo: Repository, stored: Article, claim: Claim
) -> None:
    repo.delete_claim(stored.id, claim.id, by="ben")
    [deletion] = repo.list_deletions()
    assert (deletion.kind, deletion.id, deletion.article_id, deletion.by) == (
        "claim",
        claim.id,
        stored.id,
        "ben",
    )
    assert deletion.claim == claim


def test_deleting_an_article_records_who_did_it(repo: Repository, stored: Article, claim: Claim) -> None:
    repo.delete_article(stored.id, by="cy")
    [deletion] = repo.list_deletions()
    assert (deletion.kind, deletion.id, deletion.by, deletion.claim) == ("article", stored.id, "cy", None)


def test_a_refused_deletion_records_nothing(repo: Repository, stored: Article) -> None:
    with pytest.raises(NotFound):
        repo.delete_claim(stored.id, "nope", by="ben")
    with pytest.raises(NotFound):
        repo.delete_article("nope", by="ben")
    assert repo.list_deletions() == []


def test_deletions_are_part_of_the_documents_with_the_decisions(
    repo: Repository, stored: Article, make_claim: ClaimMaker
) -> None:
    decision = decision_on(stored, "4 million euros", Decision.REJECTED)
    repo.record_decisions(stored.id, [decision])
    claim = make_claim(stored, "harbour wall")
    repo.add_claim(claim)
    repo.delete_claim(stored.id, claim.id, by="ben")
    snapshot = repo.documents()
    assert snapshot.decisions == [decision.model_dump(mode="json")]
    assert [record["by"] for record in snapshot.deletions] == ["ben"]


# -- merges check every claim against the text that ends up stored


def test_a_merge_bringing_a_stored_article_with_another_text_is_refused_whole(
    repo: Repository, stored: Article, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    rewritten = make_article(
        stored.id, sentences=["The council spent nothing.", "Mayor Jan Peeters said so."]
    )
    claim = make_claim(rewritten, "spent nothing")
    with pytest.raises(ConflictingArticle, match=stored.id):
        repo.merge([make_article("new"), rewritten], [claim])
    assert [summary.id for summary in repo.list_articles()] == [stored.id]
    assert repo.get_article(stored.id) == stored and repo.list_claims() == []


def test_a_merge_bringing_one_article_twice_with_different_texts_is_refused(
    repo: Repository, make_article: ArticleMaker
) -> None:
    first = make_article("twice")
    second = make_article("twice", sentences=["Another text."])
    with pytest.raises(ConflictingArticle, match="twice"):
        repo.merge([first, second], [])
    assert repo.list_articles() == []


def test_a_merged_claim_that_does_not_fit_the_stored_text_is_refused(
    repo: Repository, stored: Article, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    elsewhere = make_article(stored.id, sentences=["Totally different words here and there."])
    misfit = make_claim(elsewhere, "different words")
    with pytest.raises(InvalidClaim, match="does not match article"):
        repo.merge([], [misfit])
    assert repo.list_claims() == []


def test_merged_decisions_and_deletions_are_added_once(
    repo: Repository, stored: Article, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    other = make_article("other")
    decisions = [decision_on(stored, "4 million euros", Decision.REJECTED), decision_on(other, "harbour wall",
                 Decision.ACCEPTED)]  # fmt: skip
    claim = make_claim(stored, "harbour wall")
    source = MemoryRepository()
    source.add_article(stored)
    source.add_claim(claim)
    source.delete_claim(stored.id, claim.id, by="ben")
    deletions = source.list_deletions()

    first = repo.merge([other], [], decisions, deletions)
    again = repo.merge([other], [], [*decisions, decisions[0]], deletions)

    assert (first.decisions.added, first.deletions.added) == (2, 1)
    assert (again.decisions.added, again.decisions.skipped, again.deletions.skipped) == (0, 3, 1)
    assert repo.list_decisions(stored.id) == decisions[:1]
    assert repo.list_decisions(other.id) == decisions[1:]
    assert repo.list_deletions() == deletions


def test_a_merge_of_a_decision_for_an_unknown_article_is_refused(
    repo: Repository, make_article: ArticleMaker
) -> None:
    with pytest.raises(NotFound, match="nowhere"):
        repo.merge([], [], [decision_on(make_article("nowhere"), "harbour wall", Decision.REJECTED)])


def test_a_merge_that_changes_nothing_keeps_the_revision(
    repo: Repository, stored: Article, claim: Claim
) -> None:
    before = repo.revision()
    report = repo.merge([stored], [claim])
    assert (report.articles.skipped, report.claims.skipped) == (1, 1)
    assert repo.revision() == before
