"""Choosing claims and changing many at once: filters, change sets (plan, apply, undo), the app's words."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.annotations import apply_changes
from claims.change_sets import apply_edits, plan_edits, undo_edits
from claims.errors import InvalidClaim
from claims.filtering import ClaimFilter, filter_claims
from claims.labels import describe, from_label, label
from claims.models import Article, Claim, ClaimChanges, ClaimStatus, ClaimType, Evidence, Source, Verdict
from claims.store import open_repository, tinydb_store
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.workflow import TRANSITIONS, Step

ArticleMaker = Callable[..., Article]
ClaimMaker = Callable[..., Claim]

BACKENDS = ("memory", "tinydb")  # as the `repo` fixture of conftest.py
SENTENCES = tuple(f"Claim number {n} says {n * 7} ships sailed." for n in range(8))


@pytest.fixture
def eight(repo: Repository, make_article: ArticleMaker, make_claim: ClaimMaker) -> list[Claim]:
    """Eight stored claims of one article, each with a status of its own where there are enough."""
    article = make_article("fleet", SENTENCES, title="Fleet movements")
    repo.add_article(article)
    statuses = list(ClaimStatus)
    claims = []
    for n in range(8):
        claim = make_claim(article, f"{n * 7} ships", status=statuses[n % len(statuses)])
        repo.add_claim(claim)
        claims.append(claim)
    return claims


def stored(repo: Repository) -> dict[str, Claim]:
    return {claim.id: claim for claim in repo.list_claims()}


def someone_else_sets(repo: Repository, claim: Claim, by: str = "ben", **fields: object) -> Claim:
    current = repo.get_claim(claim.article_id, claim.id)
    change = ClaimChanges.model_validate(fields)
    return repo.update_claim(claim.article_id, claim.id, apply_changes(change, current.version, by))


# --- the app's words -------------------------------------------------------------------------------


def test_every_vocabulary_value_has_a_word_without_underscores_that_reads_back() -> None:
    for vocabulary in (ClaimStatus, Verdict, ClaimType):
        for value in vocabulary:
            assert "_" not in label(value)
            assert from_label(vocabulary, label(value)) is value
            assert from_label(vocabulary, value.value) is value
    assert label(ClaimStatus.IN_PROGRESS) == "in progress"
    assert label(Verdict.MOSTLY_FALSE) == "mostly false"


def test_a_word_outside_the_vocabulary_is_refused_listing_the_words() -> None:
    with pytest.raises(ValueError, match="'done' is not one of: new, in progress"):
        from_label(ClaimStatus, "done")


def test_values_are_described_in_words() -> None:
    assert describe(ClaimStatus.NEEDS_REVIEW) == "needs review"
    assert describe(None) == "(none)"
    assert describe(Source(name="Reuters")) == "Reuters"


# --- filters ---------------------------------------------------------------------------------------


def test_text_search_looks_in_quote_claimant_source_and_notes_but_not_the_title(
    make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    article = make_article(title="Harbour wall")
    claims = [
        make_claim(article, "4 million euros", claimant="Council", notes="tender papers"),
        make_claim(article, "finished on time", source=Source(name="Reuters")),
        make_claim(article, "denied that any tender was held"),
    ]
    articles = {article.id: article.summary()}

    def found(**chosen: str) -> list[str]:
        return [c.quote for c in filter_claims(claims, ClaimFilter.model_validate(chosen), articles)]

    assert found(text="TENDER") == ["4 million euros", "denied that any tender was held"]
    assert found(text="council") == ["4 million euros"]
    assert found(text="reuters") == ["finished on time"]
    assert found(text="harbour") == []


def test_the_article_title_filter_keeps_the_claims_of_matching_articles_only(
    make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    harbour = make_article(title="Harbour wall")
    bridge = make_article("bridge", ("The bridge cost 9 million euros.",), title="A new bridge")
    claims = [make_claim(harbour, "4 million euros"), make_claim(bridge, "9 million euros")]
    articles = {a.id: a.summary() for a in (harbour, bridge)}
    shown = filter_claims(claims, ClaimFilter(title=" BRIDGE "), articles)
    assert [c.quote for c in shown] == ["9 million euros"]
    assert filter_claims(claims, ClaimFilter(title="bridge"), None) == []


# --- planning a change set -------------------------------------------------------------------------


def test_a_plan_keeps_only_the_fields_that_really_change(eight: list[Claim]) -> None:
    first, second = eight[0], eight[1]
    planned = plan_edits(
        {
            first.id: ClaimChanges(status=ClaimStatus.IN_PROGRESS, verdict=first.verdict),
            second.id: ClaimChanges(status=second.status),
        },
        {c.id: c for c in eight},
        "ana",
    )
    assert [edit.seen.id for edit in planned] == [first.id]
    assert [(f.field, f.old, f.new) for f in planned[0].fields] == [("status", "new", "in progress")]


def test_a_plan_can_clear_a_claimant_and_says_so(eight: list[Claim], repo: Repository) -> None:
    claim = someone_else_sets(repo, eight[0], claimant="Mayor Peeters")
    planned = plan_edits({claim.id: ClaimChanges(claimant=None)}, {claim.id: claim}, "ana")
    assert [(f.field, f.old, f.new) for f in planned[0].fields] == [("claimant", "Mayor Peeters", "(none)")]
    outcome = apply_edits(repo, planned, "ana")
    assert repo.get_claim(claim.article_id, claim.id).claimant is None
    assert len(outcome.applied) == 1


def test_a_plan_needs_an_editor_name(eight: list[Claim]) -> None:
    with pytest.raises(InvalidClaim, match="say who"):
        plan_edits({eight[0].id: ClaimChanges(status=ClaimStatus.DROPPED)}, {eight[0].id: eight[0]}, " ")


# --- applying and undoing --------------------------------------------------------------------------


def test_applying_changes_exactly_the_planned_claims(repo: Repository, eight: list[Claim]) -> None:
    before = stored(repo)
    planned = plan_edits(
        {
            eight[3].id: ClaimChanges(status=ClaimStatus.PUBLISHED),  # approved: the next step
            eight[5].id: ClaimChanges(verdict=Verdict.FALSE),
        },
        before,
        "ana",
    )
    outcome = apply_edits(repo, planned, "ana")
    after = stored(repo)
    assert outcome.refused == []
    assert {a.after.id for a in outcome.applied} == {eight[3].id, eight[5].id}
    changed = {claim_id for claim_id in after if after[claim_id] != before[claim_id]}
    assert changed == {eight[3].id, eight[5].id}
    assert after[eight[3].id].status is ClaimStatus.PUBLISHED and after[eight[3].id].version == 2
    assert after[eight[5].id].verdict is Verdict.FALSE and after[eight[5].id].updated_by == "ana"


def test_a_claim_changed_by_someone_else_is_refused_saying_who_changed_what_and_the_rest_saved(
    repo: Repository, eight: list[Claim]
) -> None:
    seen = stored(repo)
    someone_else_sets(repo, eight[1], status=ClaimStatus.DROPPED, notes="checked with the port")
    planned = plan_edits({c.id: ClaimChanges(status=ClaimStatus.DROPPED) for c in eight[:3]}, seen, "ana")
    outcome = apply_edits(repo, planned, "ana")
    assert [a.after.id for a in outcome.applied] == [eight[0].id, eight[2].id]
    [refused] = outcome.refused
    assert refused.quote == eight[1].quote
    assert refused.reason.startswith("ben changed status to dropped, notes at ")
    assert refused.reason.endswith("since you opened it; your change was not saved.")
    assert repo.get_claim(eight[1].article_id, eight[1].id).notes == "checked with the port"


def test_a_claim_deleted_since_is_refused_and_the_rest_saved(repo: Repository, eight: list[Claim]) -> None:
    seen = stored(repo)
    repo.delete_claim(eight[0].article_id, eight[0].id, by="Carla Diaz")
    planned = plan_edits({c.id: ClaimChanges(status=ClaimStatus.DROPPED) for c in eight[:2]}, seen, "ana")
    outcome = apply_edits(repo, planned, "ana")
    assert [r.reason for r in outcome.refused] == [
        "it was deleted since you opened it; your change was not saved."
    ]
    assert repo.get_claim(eight[1].article_id, eight[1].id).status is ClaimStatus.DROPPED


OPEN = (ClaimStatus.NEW, ClaimStatus.IN_PROGRESS)  # what a dropped claim can be reopened as


def test_undo_restores_every_claim_of_a_bulk_change(repo: Repository, eight: list[Claim]) -> None:
    before = stored(repo)
    opened = [c for c in eight if c.status in OPEN]
    planned = plan_edits({c.id: ClaimChanges(status=ClaimStatus.DROPPED) for c in opened}, before, "ana")
    assert len(planned) == len(opened) == 4
    done = apply_edits(repo, planned, "ana")
    assert {stored(repo)[c.id].status for c in opened} == {ClaimStatus.DROPPED}
    undone = undo_edits(repo, done, "ana")
    assert undone.refused == [] and len(undone.applied) == 4
    assert {i: c.status for i, c in stored(repo).items()} == {i: c.status for i, c in before.items()}
    # Reopening is a step back: the undo says why in each claim's thread.
    assert all("undid" in stored(repo)[c.id].comments[-1].text for c in opened)


def test_undo_leaves_a_claim_changed_since_as_it_is_and_reports_it(
    repo: Repository, eight: list[Claim]
) -> None:
    before = stored(repo)
    opened = [c for c in eight if c.status in OPEN]
    planned = plan_edits({c.id: ClaimChanges(status=ClaimStatus.DROPPED) for c in opened}, before, "ana")
    done = apply_edits(repo, planned, "ana")
    someone_else_sets(repo, eight[0], notes="dropped: a duplicate")
    undone = undo_edits(repo, done, "ana")
    assert [(r.claim_id, r.reason.split(" at ")[0]) for r in undone.refused] == [
        (eight[0].id, "ben changed notes")
    ]
    now = stored(repo)
    assert now[eight[0].id].status is ClaimStatus.DROPPED
    for claim in eight:
        if claim.id != eight[0].id:
            assert now[claim.id].status is before[claim.id].status


@contextmanager
def fresh_repository(backend: str) -> Iterator[Repository]:
    if backend == "memory":
        yield MemoryRepository()
        return
    with tempfile.TemporaryDirectory() as folder:
        yield open_repository(Path(folder) / "claims.json")


def store_fleet(
    repo: Repository, statuses: list[ClaimStatus], make_article: ArticleMaker, make_claim: ClaimMaker
) -> list[Claim]:
    article = make_article("fleet", SENTENCES[: len(statuses)], title="Fleet")
    repo.add_article(article)
    # Rated by ana on two independent sources, so that another editor may approve them.
    sources = [Evidence(url="https://reuters.example/ships"), Evidence(url="https://apnews.example/fleet")]
    claims = [
        make_claim(article, f"{n * 7} ships", status=s, verdict=Verdict.FALSE, evidence=sources)
        for n, s in enumerate(statuses)
    ]
    for claim in claims:
        repo.add_claim(claim)
    return claims


@pytest.mark.parametrize("backend", BACKENDS)
# The builders are plain functions, the same for every example.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    statuses=st.lists(st.sampled_from(ClaimStatus), min_size=1, max_size=8),
    target=st.sampled_from(ClaimStatus),
    meddled=st.sets(st.integers(0, 7)),
)
def test_bulk_change_then_undo_restores_every_claim_nobody_else_touched(
    backend: str,
    statuses: list[ClaimStatus],
    target: ClaimStatus,
    meddled: set[int],
    make_article: ArticleMaker,
    make_claim: ClaimMaker,
) -> None:
    with fresh_repository(backend) as repo:
        claims = store_fleet(repo, statuses, make_article, make_claim)
        seen = stored(repo)
        # A plan carries no comment: it holds the forward steps to `target` (the Claims table's bulk status).
        moving = [c for c in claims if TRANSITIONS[c.status].get(target) is Step.FORWARD]
        planned = plan_edits({c.id: ClaimChanges(status=target) for c in moving}, seen, "bo")
        done = apply_edits(repo, planned, "bo")
        assert {a.after.id for a in done.applied} == {c.id for c in moving} and done.refused == []
        assert all(stored(repo)[c.id].status is (target if c in moving else c.status) for c in claims)
        touched = {claims[i].id for i in meddled if i < len(claims)}
        for claim in claims:
            if claim.id in touched:
                someone_else_sets(repo, claim, notes="seen by ben")
        undone = undo_edits(repo, done, "bo")
        changed_by_us = {c.id for c in moving}
        # The undo steps back (with its comment), except where the table has no way back (dropped ->
        # approved, say): those are refused, named, and left as the change set left them.
        no_way_back = {c.id for c in moving if c.status not in TRANSITIONS[target]}
        assert {r.claim_id for r in undone.refused} == (touched & changed_by_us) | no_way_back
        now = stored(repo)
        for claim in claims:
            kept = claim.id in changed_by_us and (claim.id in touched or claim.id in no_way_back)
            assert now[claim.id].status is (target if kept else claim.status)


def test_a_table_save_is_all_or_nothing_when_the_disk_fills_midway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_article: ArticleMaker, make_claim: ClaimMaker
) -> None:
    repo = open_repository(tmp_path / "claims.json")
    claims = store_fleet(repo, [ClaimStatus.NEW] * 3, make_article, make_claim)
    seen = stored(repo)
    planned = plan_edits({c.id: ClaimChanges(status=ClaimStatus.DROPPED) for c in claims}, seen, "ana")
    calls = {"write": 0}

    def write_then_fill(*args: Any, **kwargs: Any) -> None:
        calls["write"] += 1
        if calls["write"] > 1:
            raise OSError(28, "No space left on device")
        real_write(*args, **kwargs)

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    real_write = tinydb_store.write_atomically
    monkeypatch.setattr(tinydb_store, "write_atomically", write_then_fill)  # one claim a write, before
    monkeypatch.setattr(tinydb_store, "commit", full_disk)  # every claim in one journal, now
    with pytest.raises(OSError, match="No space left"):
        apply_edits(repo, planned, "ana")
    monkeypatch.undo()
    assert stored(repo) == seen
