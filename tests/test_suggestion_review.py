"""Reviewing suggestions: what stays open, accepting and rejecting, and counting what editors did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claims.annotations import new_claim, parse_draft
from claims.formats.articles import read_article_file
from claims.models import Article, ClaimOrigin, ClaimType, Decision, Suggestion
from claims.store import open_repository, tinydb_store
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.review import (
    accept_suggestions,
    decision_counts,
    open_suggestions,
    reject_suggestions,
    suggested_fields,
    suggestion_id,
)

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "harbour_exercise.txt"


@pytest.fixture
def sample(repo: Repository) -> Article:
    article = read_article_file(SAMPLE)[0]
    repo.add_article(article)
    return article


@pytest.fixture
def suggestions(sample: Article) -> list[Suggestion]:
    return suggest_claims(sample.text, sample.sentences)


def find(suggestions: list[Suggestion], quote: str, claim_type: ClaimType) -> Suggestion:
    return next(s for s in suggestions if s.quote == quote and s.claim_type is claim_type)


def test_a_suggestions_id_names_its_span_and_type(suggestions: list[Suggestion]) -> None:
    sailors = find(suggestions, "as many as 12,000 sailors", ClaimType.STATISTIC)
    assert suggestion_id(sailors) == f"s:{sailors.start}:{sailors.end}:statistic"
    assert len({suggestion_id(s) for s in suggestions}) == len(suggestions)


def test_only_suggestions_worth_checking_are_open_by_default(suggestions: list[Suggestion]) -> None:
    shown = open_suggestions(suggestions, [], [])
    assert shown and all(s.score >= 0.5 for s in shown)
    assert len(open_suggestions(suggestions, [], [], min_score=0.0)) == len(suggestions)


def test_accepting_a_suggestion_makes_a_claim_and_hides_it(
    repo: Repository, sample: Article, suggestions: list[Suggestion]
) -> None:
    sailors = find(suggestions, "as many as 12,000 sailors", ClaimType.STATISTIC)
    fields = suggested_fields(sailors) | {"claimant": "The navy", "status": "in_progress"}
    [claim] = accept_suggestions(repo, sample, [(sailors, fields)], by="ana")
    assert (claim.quote, claim.claim_type, claim.claimant) == (sailors.quote, ClaimType.STATISTIC, "The navy")
    assert claim.origin is ClaimOrigin.SUGGESTION and claim.created_by == "ana"
    assert repo.list_claims(sample.id) == [claim]
    [decision] = repo.list_decisions(sample.id)
    assert (decision.decision, decision.claim_id, decision.by) == (Decision.ACCEPTED, claim.id, "ana")
    assert sailors not in open_suggestions(suggestions, repo.list_claims(), repo.list_decisions(), 0.0)


def test_a_rejected_suggestion_is_never_shown_again_and_records_who(
    repo: Repository, sample: Article, suggestions: list[Suggestion]
) -> None:
    warships = find(suggestions, "40 warships", ClaimType.STATISTIC)
    assert reject_suggestions(repo, sample, [warships], by="ben") == 1
    shown = open_suggestions(suggestions, repo.list_claims(), repo.list_decisions(), 0.0)
    assert warships not in shown and len(shown) == len(suggestions) - 1
    assert repo.list_decisions(sample.id)[0].by == "ben"
    assert repo.list_claims() == []


def test_a_span_already_labelled_by_hand_is_not_suggested_again(
    repo: Repository, sample: Article, suggestions: list[Suggestion]
) -> None:
    warships = find(suggestions, "40 warships", ClaimType.STATISTIC)
    draft = parse_draft({"article_id": sample.id, "start": warships.start, "end": warships.end})
    repo.add_claim(new_claim(sample, draft, by="ana"))
    assert warships not in open_suggestions(suggestions, repo.list_claims(), [], 0.0)


def test_decision_counts_say_how_useful_suggestions_were(
    repo: Repository, sample: Article, suggestions: list[Suggestion]
) -> None:
    statistics = [s for s in suggestions if s.claim_type is ClaimType.STATISTIC][:3]
    accept_suggestions(repo, sample, [(s, suggested_fields(s)) for s in statistics[:2]], by="ana")
    denial = next(s for s in suggestions if s.claim_type is ClaimType.DENIAL)
    reject_suggestions(repo, sample, [statistics[2], denial], by="ana")
    counts = decision_counts(repo.list_decisions())
    assert (counts.accepted, counts.rejected, counts.acceptance_rate) == (2, 2, 0.5)
    assert counts.by_type == {
        "denial": {"accepted": 0, "rejected": 1},
        "statistic": {"accepted": 2, "rejected": 1},
    }
    assert decision_counts([]).acceptance_rate is None


def test_accepting_several_suggestions_is_all_or_nothing_when_the_disk_fills_midway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = open_repository(tmp_path / "claims.json")
    article = read_article_file(SAMPLE)[0]
    repo.add_article(article)
    chosen = [(s, suggested_fields(s)) for s in suggest_claims(article.text, article.sentences)[:3]]
    writes = {"count": 0}

    def fills_after_one(real: Any) -> Any:
        def write(*args: Any, **kwargs: Any) -> Any:
            writes["count"] += 1
            if writes["count"] > 1:
                raise OSError(28, "No space left on device")
            return real(*args, **kwargs)

        return write

    monkeypatch.setattr(tinydb_store, "write_atomically", fills_after_one(tinydb_store.write_atomically))
    monkeypatch.setattr(tinydb_store, "commit", fills_after_one(tinydb_store.commit))
    with pytest.raises(OSError, match="No space left"):
        accept_suggestions(repo, article, chosen, by="ana")
    monkeypatch.undo()
    assert repo.list_claims() == []
    assert repo.list_decisions() == []
    assert repo.storage_problems() == []
