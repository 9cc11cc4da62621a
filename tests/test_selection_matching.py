"""A mouse selection that is (nearly) a suggestion stands for it: matching, and accepting on save."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.formats.articles import read_article_file
from claims.models import Article, ClaimOrigin, ClaimType, Decision, Suggestion
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.review import NEAR_MATCH, accept_as_selected, matching_suggestion, open_suggestions

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "harbour_exercise.txt"
SAILORS = "as many as 12,000 sailors"


@pytest.fixture(scope="module")
def sample() -> Article:
    return read_article_file(SAMPLE)[0]


@pytest.fixture(scope="module")
def suggestions(sample: Article) -> list[Suggestion]:
    return suggest_claims(sample.text, sample.sentences)


def span_of(article: Article, quote: str) -> tuple[int, int]:
    start = article.text.index(quote)
    return start, start + len(quote)


def test_a_selection_equal_to_a_suggestion_matches_it(sample: Article, suggestions: list[Suggestion]) -> None:
    found = matching_suggestion(*span_of(sample, SAILORS), suggestions, sample.sentences)
    assert found is not None and (found.quote, found.claim_type) == (SAILORS, ClaimType.STATISTIC)


def test_a_selection_missing_a_word_still_matches(sample: Article, suggestions: list[Suggestion]) -> None:
    found = matching_suggestion(*span_of(sample, "many as 12,000 sailors"), suggestions, sample.sentences)
    assert found is not None and found.quote == SAILORS


def test_a_selection_sharing_too_little_matches_nothing(
    sample: Article, suggestions: list[Suggestion]
) -> None:
    start, end = span_of(sample, "12,000")
    near = [s for s in suggestions if s.quote == SAILORS]
    assert matching_suggestion(start, end, near, sample.sentences) is None


def test_a_selection_reaching_into_another_sentence_matches_nothing(
    sample: Article, suggestions: list[Suggestion]
) -> None:
    sailors = next(s for s in suggestions if s.quote == SAILORS)
    sentence = sample.sentences[sailors.sentence_index]
    # A selection running past the end of the suggestion's sentence is not "nearly" it, however long.
    assert matching_suggestion(sailors.start, sentence.end + 2, [sailors], sample.sentences) is None


@given(st.integers(0, 40), st.integers(0, 40), st.integers(-40, 40), st.integers(-40, 40))
def test_a_match_shares_at_least_the_near_match_share_and_lies_in_its_sentence(
    sentence_start: int, length: int, left: int, right: int
) -> None:
    from claims.models import Sentence

    text = "x" * 200
    sentence = Sentence(index=0, paragraph=0, start=50, end=150, text=text[50:150])
    suggestion = Suggestion(
        start=60 + sentence_start, end=61 + sentence_start + length, quote="", claim_type=ClaimType.OTHER,
        score=0.9, reason="test", sentence_index=0,
    )  # fmt: skip
    start, end = suggestion.start + left, suggestion.end + right
    if start >= end:
        return
    found = matching_suggestion(start, end, [suggestion], [sentence])
    shared = max(0, min(end, suggestion.end) - max(start, suggestion.start))
    covered = max(end, suggestion.end) - min(start, suggestion.start)
    expected = (start, end) == (suggestion.start, suggestion.end) or (
        sentence.start <= start and end <= sentence.end and shared / covered >= NEAR_MATCH
    )
    assert (found is suggestion) == expected


def test_saving_a_matching_selection_accepts_the_suggestion(
    repo: Repository, sample: Article, suggestions: list[Suggestion]
) -> None:
    repo.add_article(sample)
    start, end = span_of(sample, "many as 12,000 sailors")
    sailors = matching_suggestion(start, end, suggestions, sample.sentences)
    assert sailors is not None
    claim = accept_as_selected(repo, sample, sailors, start, end, {"claim_type": "statistic"}, by="ana")
    assert (claim.quote, claim.origin) == ("many as 12,000 sailors", ClaimOrigin.SUGGESTION)
    [decision] = repo.list_decisions(sample.id)
    assert (decision.decision, decision.claim_id, decision.quote, decision.by) == (
        Decision.ACCEPTED, claim.id, SAILORS, "ana",
    )  # fmt: skip
    assert sailors not in open_suggestions(suggestions, repo.list_claims(), repo.list_decisions(), 0.0)
