"""The desk's workflow as every backend keeps it: each rule of claims/workflow.py stated once, through the
repository (memory, TinyDB, PostgreSQL), so that no store lets a claim skip a step or lose its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records_support import build_article, build_claim

from claims.actions import approve, comment_on, publish, send_back
from claims.annotations import apply_changes
from claims.errors import (
    ClaimsError,
    CommentRequired,
    NotAStep,
    SelfApproval,
    UnconfirmedEvidence,
    WorkflowError,
)
from claims.models import (
    Article,
    Claim,
    ClaimChanges,
    ClaimFilter,
    ClaimQuery,
    ClaimSort,
    ClaimStatus,
    Evidence,
    Verdict,
)
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository
from claims.store.queries import iso_week
from claims.workflow import TRANSITIONS, Step, next_statuses

NEW, IN_PROGRESS, NEEDS_REVIEW = ClaimStatus.NEW, ClaimStatus.IN_PROGRESS, ClaimStatus.NEEDS_REVIEW
APPROVED, PUBLISHED, DROPPED = ClaimStatus.APPROVED, ClaimStatus.PUBLISHED, ClaimStatus.DROPPED
QUOTE = "4 million euros"
# Two independent sources: enough for an approval without confirming.
TWO_SOURCES = [
    Evidence(url="https://www.reuters.example/harbour", publisher="Reuters", stance="refutes"),
    Evidence(url="https://apnews.example/harbour-wall", stance="supports"),
]
ALL_PAIRS = [(before, after) for before in ClaimStatus for after in ClaimStatus if before is not after]


@pytest.fixture
def article(repo: Repository) -> Article:
    stored = build_article()
    repo.add_article(stored)
    return stored


def stored_claim(
    repo: Repository,
    article: Article,
    status: ClaimStatus = NEW,
    *,
    by: str = "ana",
    verdict: Verdict = Verdict.FALSE,
    evidence: list[Evidence] | None = None,
    **fields: Any,
) -> Claim:
    """A claim stored at `status`, rated (by `by`, unless unrated) on two sources unless told otherwise."""
    claim = build_claim(
        article,
        QUOTE,
        by=by,
        status=status,
        verdict=verdict,
        evidence=TWO_SOURCES if evidence is None else evidence,
        **fields,
    )
    repo.add_claim(claim)
    return claim


def change(
    repo: Repository,
    claim: Claim,
    by: str,
    *,
    comment: str | None = None,
    confirmed: bool = False,
    **fields: Any,
) -> Claim:
    """One editor's change of the stored claim, through the function every door uses."""
    edit = apply_changes(
        ClaimChanges.model_validate(fields), None, by, comment=comment, evidence_confirmed=confirmed
    )
    return repo.update_claim(claim.article_id, claim.id, edit)


def unchanged(repo: Repository, claim: Claim, revision: str) -> bool:
    """Whether a refused change wrote nothing: the claim as it was, the store at the same revision."""
    return repo.get_claim(claim.article_id, claim.id) == claim and repo.revision() == revision


# -- the transition table


@pytest.mark.parametrize(("before", "after"), ALL_PAIRS, ids=[f"{b}->{a}" for b, a in ALL_PAIRS])
def test_every_step_of_the_table_is_allowed_and_every_other_refused(
    repo: Repository, article: Article, before: ClaimStatus, after: ClaimStatus
) -> None:
    claim = stored_claim(repo, article, before)
    revision = repo.revision()
    if after in TRANSITIONS[before]:
        moved = change(repo, claim, "bo", comment="as the desk decided", status=after)
        assert moved.status is after and moved.version == claim.version + 1
        assert repo.get_claim(claim.article_id, claim.id) == moved
    else:
        with pytest.raises(NotAStep, match=f"from {before.value.replace('_', ' ')} it can go to"):
            change(repo, claim, "bo", comment="as the desk decided", status=after)
        assert unchanged(repo, claim, revision)


@pytest.mark.parametrize(
    ("before", "after"),
    [(b, a) for b, steps in TRANSITIONS.items() for a, step in steps.items() if step is Step.BACK],
)
def test_a_step_back_without_a_comment_is_refused_and_with_one_the_reason_is_kept(
    repo: Repository, article: Article, before: ClaimStatus, after: ClaimStatus
) -> None:
    claim = stored_claim(repo, article, before)
    revision = repo.revision()
    with pytest.raises(CommentRequired, match="needs a comment saying why"):
        change(repo, claim, "bo", status=after)
    with pytest.raises(CommentRequired):
        change(repo, claim, "bo", comment="   ", status=after)
    assert unchanged(repo, claim, revision)

    moved = change(repo, claim, "bo", comment="The budget figure is from 2019, check again", status=after)
    stored = repo.get_claim(claim.article_id, claim.id)
    assert stored == moved and stored.status is after
    [reason] = stored.comments
    assert (reason.by, reason.text) == ("bo", "The budget figure is from 2019, check again")
    assert stored.history[-1].comment == reason.text
    assert stored.history[-1].changes[0].model_dump() == {"field": "status", "old": before, "new": after}


# -- two-person review


def test_the_editor_who_set_the_verdict_cannot_approve_it_and_nothing_is_written(
    repo: Repository, article: Article
) -> None:
    claim = stored_claim(repo, article, NEEDS_REVIEW, by="ana")
    revision = repo.revision()
    with pytest.raises(SelfApproval, match=r"ana set this claim's verdict \(false\), so another editor"):
        change(repo, claim, "ana", status=APPROVED)
    with pytest.raises(SelfApproval):
        approve(repo, claim, "ana", evidence_confirmed=True)
    assert unchanged(repo, claim, revision)


def test_another_editors_approval_records_who_approved_and_when(repo: Repository, article: Article) -> None:
    claim = stored_claim(repo, article, NEEDS_REVIEW, by="ana")
    approved = approve(repo, claim, "bo")
    assert approved.status is APPROVED and approved.approved_by == "bo"
    assert approved.approved_at is not None and approved.approved_at == approved.status_since
    assert approved.rated_by == "ana"
    assert repo.get_claim(claim.article_id, claim.id) == approved


def test_a_reviewer_who_changes_the_verdict_becomes_the_rater_and_cannot_approve(
    repo: Repository, article: Article
) -> None:
    claim = stored_claim(repo, article, NEEDS_REVIEW, by="ana")
    rerated = change(repo, claim, "bo", verdict=Verdict.MISLEADING)
    assert (rerated.rated_by, rerated.verdict) == ("bo", Verdict.MISLEADING)
    with pytest.raises(SelfApproval, match="bo set this claim's verdict"):
        approve(repo, rerated, "bo")
    assert approve(repo, rerated, "ana").approved_by == "ana"


@pytest.mark.parametrize(("before", "after"), [(IN_PROGRESS, NEEDS_REVIEW), (NEEDS_REVIEW, APPROVED)])
def test_an_unrated_claim_cannot_go_to_review_or_be_approved(
    repo: Repository, article: Article, before: ClaimStatus, after: ClaimStatus
) -> None:
    claim = stored_claim(repo, article, before, verdict=Verdict.UNRATED)
    revision = repo.revision()
    with pytest.raises(WorkflowError, match="without a verdict cannot be"):
        change(repo, claim, "bo", status=after)
    assert unchanged(repo, claim, revision)


@pytest.mark.parametrize("settled", [APPROVED, PUBLISHED])
def test_a_settled_verdict_cannot_change_until_the_claim_is_sent_back(
    repo: Repository, article: Article, settled: ClaimStatus
) -> None:
    claim = stored_claim(repo, article, settled)
    revision = repo.revision()
    with pytest.raises(WorkflowError, match="cannot change: send it back"):
        change(repo, claim, "bo", verdict=Verdict.TRUE)
    assert unchanged(repo, claim, revision)
    back = send_back(repo, claim, "bo", "the harbour figures were revised")
    assert change(repo, back, "bo", verdict=Verdict.TRUE).verdict is Verdict.TRUE


# -- evidence


@pytest.mark.parametrize(
    ("evidence", "enough"),
    [
        ([], False),
        ([Evidence(url="https://reuters.example/a", publisher="Reuters")], False),
        ([Evidence(url="https://www.reuters.example/a"), Evidence(url="https://reuters.example/b")], False),
        ([Evidence(publisher="Reuters"), Evidence(publisher=" reuters ")], False),
        ([Evidence(note="a phone call"), Evidence(url="https://reuters.example/a")], False),
        ([Evidence(url="https://one.example/a", publisher="AP"), Evidence(url="https://one.example/")], True),
        ([Evidence(url="https://one.example/a"), Evidence(url="https://two.example/a")], True),
        ([Evidence(publisher="Reuters"), Evidence(publisher="AP")], True),
    ],
    ids=["none", "one", "same-site-twice", "same-publisher-twice", "note-and-one", "two-publishers",
         "two-sites", "two-publishers-no-url"],
)  # fmt: skip
def test_approving_a_thinly_sourced_verdict_needs_confirmation(
    repo: Repository, article: Article, evidence: list[Evidence], enough: bool
) -> None:
    claim = stored_claim(repo, article, NEEDS_REVIEW, evidence=evidence)
    revision = repo.revision()
    if enough:
        assert approve(repo, claim, "bo").status is APPROVED
        return
    with pytest.raises(UnconfirmedEvidence, match="confirm that this is enough"):
        approve(repo, claim, "bo")
    assert unchanged(repo, claim, revision)
    assert approve(repo, claim, "bo", evidence_confirmed=True).status is APPROVED


# -- publication


def test_a_claim_walks_the_whole_workflow_and_each_step_is_stamped(
    repo: Repository, article: Article
) -> None:
    claim = stored_claim(repo, article, NEW, verdict=Verdict.UNRATED)
    with pytest.raises(NotAStep):
        publish(repo, claim, "bo")
    claim = change(repo, claim, "ana", status=IN_PROGRESS, assignee="ana")
    claim = change(repo, claim, "ana", verdict=Verdict.FALSE, conclusion="The wall cost 2.1 million.")
    claim = change(repo, claim, "ana", status=NEEDS_REVIEW)
    with pytest.raises(NotAStep, match="from needs review it can go to"):
        publish(repo, claim, "bo")
    claim = approve(repo, claim, "bo")
    published = publish(repo, claim, "cy")
    assert (published.rated_by, published.approved_by, published.published_by) == ("ana", "bo", "cy")
    assert published.published_at == published.status_since
    assert [event.version for event in published.history] == list(range(1, published.version + 1))
    statuses = [c.new for event in published.history for c in event.changes if c.field == "status"]
    assert statuses == ["in_progress", "needs_review", "approved", "published"]


# -- history


def test_every_change_appends_one_event_with_each_fields_old_and_new_value(
    repo: Repository, article: Article
) -> None:
    claim = stored_claim(repo, article, NEW, verdict=Verdict.UNRATED)
    before = repo.get_claim(claim.article_id, claim.id)
    after = change(repo, claim, "bo", status=IN_PROGRESS, verdict=Verdict.HALF_TRUE, notes="call the port")
    assert after.history[:-1] == before.history
    event = after.history[-1]
    assert (event.version, event.by, event.at) == (2, "bo", after.updated_at)
    assert {c.field: (c.old, c.new) for c in event.changes} == {
        "status": ("new", "in_progress"),
        "verdict": ("unrated", "half_true"),
        "notes": ("", "call the port"),
    }
    # An edit that changes nothing (and says nothing) writes nothing.
    assert change(repo, after, "bo", notes="call the port") == after


# A random walk's steps: (what, which) picked against the claim as it is.
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["status", "verdict", "notes", "assignee", "comment", "evidence"]),
        st.integers(0, 20),
        st.sampled_from(["ana", "bo", "cy"]),
    ),
    min_size=1,
    max_size=12,
)


def _random_edit(claim: Claim, what: str, pick: int) -> tuple[dict[str, Any], str | None]:
    if what == "status":
        allowed = next_statuses(claim.status)
        return {"status": allowed[pick % len(allowed)]}, f"step {pick}"
    if what == "verdict":
        return {"verdict": list(Verdict)[pick % len(Verdict)]}, None
    if what == "notes":
        return {"notes": f"note {pick}"}, None
    if what == "assignee":
        return {"assignee": ["ana", "bo", None][pick % 3]}, None
    if what == "evidence":
        return {"evidence": [*claim.evidence, Evidence(url=f"https://site{pick}.example/x")]}, None
    return {}, f"@bo see {pick}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_a_random_walk_of_edits_only_ever_extends_the_history(
    repo: Repository, article: Article, steps: list[tuple[str, int, str]]
) -> None:
    claim = stored_claim(repo, article, NEW, verdict=Verdict.UNRATED)
    for what, pick, by in steps:
        fields, comment = _random_edit(claim, what, pick)
        revision = repo.revision()
        try:
            after = change(repo, claim, by, comment=comment, **fields)
        except ClaimsError:
            assert unchanged(repo, claim, revision)  # a refused step writes nothing
            continue
        if after == claim:
            continue  # nothing changed, nothing said
        assert after.history[: len(claim.history)] == claim.history
        assert len(after.history) == len(claim.history) + 1
        event = after.history[-1]
        assert (event.version, event.by) == (after.version, by) == (claim.version + 1, by)
        for value in event.changes:
            assert value.old == claim.model_dump(mode="json")[value.field]
            assert value.new == after.model_dump(mode="json")[value.field]
        assert after.comments[: len(claim.comments)] == claim.comments
        assert repo.get_claim(claim.article_id, claim.id) == after
        claim = after


def test_a_merge_of_two_diverged_copies_keeps_both_threads_and_histories(
    repo: Repository, article: Article
) -> None:
    claim = stored_claim(repo, article, IN_PROGRESS)
    elsewhere = MemoryRepository()
    elsewhere.merge([article], [claim])
    here = comment_on(repo, claim, "ana", "Is the 4 million before or after tax?")
    there = comment_on(elsewhere, claim, "bo", "The port authority confirms 4 million.")
    there = change(elsewhere, there, "bo", notes="confirmed by phone")
    assert (here.version, there.version) == (claim.version + 1, claim.version + 2)

    report = repo.merge([article], [there])
    assert report.claims.updated == 1
    merged = repo.get_claim(claim.article_id, claim.id)
    assert merged.notes == "confirmed by phone" and merged.version == there.version
    assert {c.text for c in merged.comments} == {c.text for c in here.comments + there.comments}
    assert len(merged.comments) == 2
    events = [(e.version, e.by) for e in merged.history]
    assert sorted(events) == sorted({*[(e.version, e.by) for e in here.history + there.history]})
    assert [e.at for e in merged.history] == sorted(e.at for e in merged.history)
    # Loading the same copy again changes nothing more.
    assert repo.merge([article], [there]).claims.skipped == 1
    assert repo.get_claim(claim.article_id, claim.id) == merged


# -- "My claims"


def mine(repo: Repository, editor: str) -> set[str]:
    page = repo.query_claims(ClaimQuery(filter=ClaimFilter(mine=editor), limit=1000))
    assert (
        page.total
        == len(page.claims)
        == sum(repo.count_claims_by("status", ClaimFilter(mine=editor)).values())
    )
    return {claim.id for claim in page.claims}


def test_a_mention_puts_the_claim_in_my_claims_until_it_is_closed(repo: Repository, article: Article) -> None:
    stored_claim(repo, article, NEW, assignee="Bo Diaz")  # so the store knows Bo Diaz by name
    claim = stored_claim(repo, article, IN_PROGRESS)
    assert claim.id not in mine(repo, "Bo Diaz")
    commented = comment_on(repo, claim, "ana", "@bo diaz can you find the tender papers?")
    assert commented.comments[-1].mentions == ["Bo Diaz"]
    assert claim.id in mine(repo, "Bo Diaz")
    assert claim.id not in mine(repo, "ana")
    change(repo, commented, "ana", status=DROPPED)
    assert claim.id not in mine(repo, "Bo Diaz")


def test_my_claims_are_the_open_ones_assigned_mentioning_or_waiting_for_my_review(
    repo: Repository, article: Article
) -> None:
    ids = {
        "assigned": stored_claim(repo, article, IN_PROGRESS, assignee="bo").id,
        "assigned but published": stored_claim(repo, article, PUBLISHED, assignee="bo").id,
        "assigned but dropped": stored_claim(repo, article, DROPPED, assignee="bo").id,
        "rated by ana, to review": stored_claim(repo, article, NEEDS_REVIEW, by="ana").id,
        "rated by bo, to review": stored_claim(repo, article, NEEDS_REVIEW, by="bo").id,
        "approved, rated by ana": stored_claim(repo, article, APPROVED, by="ana").id,
        "someone else's": stored_claim(repo, article, IN_PROGRESS, assignee="cy").id,
    }
    mentioning = stored_claim(repo, article, NEW)
    comment_on(repo, mentioning, "cy", "@bo over to you")
    ids["mentioning bo"] = mentioning.id
    expected_bo = {"assigned", "rated by ana, to review", "mentioning bo"}
    assert mine(repo, "bo") == {ids[name] for name in expected_bo}
    assert mine(repo, "ana") == {ids["rated by bo, to review"]}
    assert mine(repo, "cy") == {
        ids[n] for n in ("someone else's", "rated by ana, to review", "rated by bo, to review")
    }
    assert repo.query_claims(ClaimQuery(filter=ClaimFilter(mine=""), limit=1000)).total == 8


# -- the review queue and throughput


def test_the_waiting_order_puts_the_longest_waiting_first_and_claims_without_a_time_before_all(
    repo: Repository, article: Article
) -> None:
    t0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    since = {"c1": t0 + dt.timedelta(hours=5), "c2": t0, "c3": None, "c4": t0,
             "c5": t0 - dt.timedelta(days=3), "c0": None}  # fmt: skip
    for claim_id, moment in since.items():
        claim = build_claim(article, QUOTE, status=NEEDS_REVIEW, verdict=Verdict.FALSE)
        repo.add_claim(claim.model_copy(update={"id": claim_id, "status_since": moment}))
    query = ClaimQuery(filter=ClaimFilter(statuses={NEEDS_REVIEW}), sort=ClaimSort.WAITING)
    assert [c.id for c in repo.query_claims(query).claims] == ["c0", "c3", "c5", "c2", "c4", "c1"]
    second_page = query.model_copy(update={"offset": 2, "limit": 3})
    assert [c.id for c in repo.query_claims(second_page).claims] == ["c5", "c2", "c4"]


def test_claims_are_counted_by_the_week_they_were_rated_approved_and_published(
    repo: Repository, article: Article
) -> None:
    sunday = dt.datetime(2026, 11, 29, 23, 59, tzinfo=dt.UTC)  # the last minute of 2026-W48
    monday = dt.datetime(2026, 11, 30, 0, 1, tzinfo=dt.UTC)  # 2026-W49
    new_year = dt.datetime(2026, 12, 31, 12, 0, tzinfo=dt.UTC)  # 2026-W53
    stamps = [(sunday, None, None), (monday, monday, None), (monday, new_year, new_year), (None, None, None)]
    for rated, approved, published in stamps:
        claim = build_claim(article, QUOTE, verdict=Verdict.FALSE)
        repo.add_claim(
            claim.model_copy(update={"rated_at": rated, "approved_at": approved, "published_at": published})
        )
    assert repo.count_claims_by("rated_week") == {"2026-W48": 1, "2026-W49": 2, "": 1}
    assert repo.count_claims_by("approved_week") == {"2026-W49": 1, "2026-W53": 1, "": 2}
    assert repo.count_claims_by("published_week") == {"2026-W53": 1, "": 3}
    assert repo.count_claims_by("rated_by") == {"ana": 4}


def test_an_approval_through_the_workflow_counts_in_this_weeks_throughput(
    repo: Repository, article: Article
) -> None:
    claim = stored_claim(repo, article, NEEDS_REVIEW)
    approved = approve(repo, claim, "bo")
    week = iso_week(approved.approved_at)
    assert repo.count_claims_by("approved_week") == {week: 1}
    assert repo.count_claims_by("approved_week", ClaimFilter(statuses={APPROVED})) == {week: 1}


# -- bulk changes


def test_a_bulk_approval_refuses_exactly_the_claims_the_editor_rated(
    repo: Repository, article: Article
) -> None:
    raters = ["ana", "bo", "ana", "cy", "bo"]
    claims = [stored_claim(repo, article, NEEDS_REVIEW, by=rater) for rater in raters]
    revision = repo.revision()
    outcome = repo.update_claims(
        ClaimFilter(statuses={NEEDS_REVIEW}), apply_changes(ClaimChanges(status=APPROVED), None, "bo")
    )
    rated_by_bo = {c.id for c in claims if c.rated_by == "bo"}
    assert {r.claim_id for r in outcome.refused} == rated_by_bo
    assert all("two-person review" in r.reason for r in outcome.refused)
    assert {a.after.id for a in outcome.applied} == {c.id for c in claims} - rated_by_bo
    assert repo.revision() != revision
    for claim in claims:
        stored = repo.get_claim(claim.article_id, claim.id)
        if claim.id in rated_by_bo:
            assert stored == claim
        else:
            assert (stored.status, stored.approved_by) == (APPROVED, "bo")


def test_a_bulk_change_the_workflow_refuses_everywhere_writes_nothing(
    repo: Repository, article: Article
) -> None:
    claims = [stored_claim(repo, article, status) for status in (NEW, IN_PROGRESS, DROPPED)]
    revision = repo.revision()
    outcome = repo.update_claims(ClaimFilter(), apply_changes(ClaimChanges(status=PUBLISHED), None, "bo"))
    assert outcome.applied == [] and len(outcome.refused) == len(claims)
    assert repo.revision() == revision
    assert all(repo.get_claim(c.article_id, c.id) == c for c in claims)
