"""Suggestions that go together (claims/suggest/grouping.py) and suggestions named by number
(claims/suggest/numbering.py): what the app's panel and `claims suggestions` share."""

from __future__ import annotations

import pytest
from records_support import build_article, build_claim

from claims.errors import InvalidClaim
from claims.models import ClaimType, Suggestion
from claims.store.memory import MemoryRepository
from claims.suggest.grouping import in_same_sentence, of_same_kind, on_same_span
from claims.suggest.numbering import numbered_suggestions, open_like, pick_open
from claims.suggest.ranking import SuggestionView
from claims.suggest.review import reject_suggestions


def suggestion(start: int, end: int, kind: ClaimType, sentence: int) -> Suggestion:
    return Suggestion(start=start, end=end, quote="x" * (end - start), claim_type=kind, score=0.6,
                      reason="test", sentence_index=sentence)  # fmt: skip


STAT_A = suggestion(0, 5, ClaimType.STATISTIC, 0)
QUOTE_A = suggestion(0, 5, ClaimType.QUOTE, 0)
STAT_B = suggestion(10, 15, ClaimType.STATISTIC, 0)
STAT_C = suggestion(30, 35, ClaimType.STATISTIC, 1)
SHOWN = [STAT_A, QUOTE_A, STAT_B, STAT_C]


def test_the_other_suggestions_on_the_same_span_are_another_type_for_the_same_words() -> None:
    assert on_same_span(STAT_A, SHOWN) == [QUOTE_A]
    assert on_same_span(STAT_C, SHOWN) == []


def test_suggestions_like_one_are_of_its_type_in_the_article_or_in_its_sentence() -> None:
    assert of_same_kind(STAT_A, SHOWN) == [STAT_A, STAT_B, STAT_C]
    assert in_same_sentence(STAT_A, SHOWN) == [STAT_A, STAT_B]
    assert in_same_sentence(QUOTE_A, SHOWN) == [QUOTE_A]


@pytest.fixture
def stored() -> tuple[MemoryRepository, list[Suggestion]]:
    repo = MemoryRepository()
    article = build_article()
    repo.add_article(article)
    return repo, numbered_suggestions(article)


def test_numbers_count_every_suggestion_from_one_in_the_engines_order(
    stored: tuple[MemoryRepository, list[Suggestion]],
) -> None:
    repo, every = stored
    assert len(every) >= 2
    assert pick_open(repo, repo.get_article("harbour"), [2, 1, 2]) == [every[1], every[0]]


def test_a_number_out_of_range_a_decided_suggestion_and_a_claimed_span_are_refused(
    stored: tuple[MemoryRepository, list[Suggestion]],
) -> None:
    repo, every = stored
    article = repo.get_article("harbour")
    with pytest.raises(InvalidClaim, match=f"numbered 1 to {len(every)}"):
        pick_open(repo, article, [len(every) + 1])
    reject_suggestions(repo, article, [every[0]], by="ben")
    with pytest.raises(InvalidClaim, match="ben already rejected it"):
        pick_open(repo, article, [1])
    repo.add_claim(build_claim(article, every[1].quote))
    with pytest.raises(InvalidClaim, match="its span is already a claim"):
        pick_open(repo, article, [2])


def test_open_like_takes_the_open_suggestions_of_a_type_as_the_panel_shows_them(
    stored: tuple[MemoryRepository, list[Suggestion]],
) -> None:
    repo, every = stored
    article = repo.get_article("harbour")
    first = every[0]
    kind = [s for s in every if s.claim_type == first.claim_type]
    assert open_like(repo, article, 1, view=SuggestionView.EVERY_CANDIDATE) == kind
    assert open_like(repo, article, 1, in_sentence=True, view=SuggestionView.EVERY_CANDIDATE) == [
        s for s in kind if s.sentence_index == first.sentence_index
    ]
    reject_suggestions(repo, article, [first], by="ben")
    assert first not in open_like(repo, article, 1, view=SuggestionView.EVERY_CANDIDATE)
    assert all(s.score >= 0.5 for s in open_like(repo, article, 1))
    one_each = open_like(repo, article, 1)  # one suggestion per claim: no two overlap
    assert all(a.end <= b.start for a, b in zip(one_each, one_each[1:], strict=False))
