"""The default view of suggestions: one per claim, the best first, on about a third of the sentences."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from claims.formats.articles import read_article_file
from claims.models import ClaimType, Suggestion
from claims.suggest.engine import suggest_claims
from claims.suggest.ranking import SuggestionView, in_view, one_per_claim, shown_by_default
from claims.suggest.scores import score_in_words

HARBOUR = Path(__file__).resolve().parent.parent / "samples" / "harbour_exercise.txt"


def suggestion(start: int, end: int, kind: ClaimType, sentence: int, score: float = 0.6,
               claimant: str | None = None) -> Suggestion:  # fmt: skip
    return Suggestion(start=start, end=end, quote="x" * (end - start), claim_type=kind, score=score,
                      claimant=claimant, reason="test", sentence_index=sentence)  # fmt: skip


def test_overlapping_candidates_of_one_claim_become_the_one_that_says_most() -> None:
    statement = suggestion(0, 50, ClaimType.QUOTE, 0, claimant="Reuters")
    attributed_figure = suggestion(0, 50, ClaimType.STATISTIC, 0, claimant="Reuters")
    figure = suggestion(10, 20, ClaimType.STATISTIC, 0)
    elsewhere = suggestion(60, 70, ClaimType.DENIAL, 0)
    assert one_per_claim([statement, figure, attributed_figure, elsewhere]) == [attributed_figure, elsewhere]


def test_spans_in_different_sentences_are_never_one_claim() -> None:
    first, second = suggestion(0, 10, ClaimType.STATISTIC, 0), suggestion(5, 15, ClaimType.STATISTIC, 1)
    assert one_per_claim([first, second]) == [first, second]


def test_the_default_view_keeps_the_best_claims_on_a_third_of_the_sentences() -> None:
    candidates = [
        suggestion(10 * i, 10 * i + 5, ClaimType.STATISTIC, i, score=0.5 + i / 100) for i in range(9)
    ]
    shown = shown_by_default(candidates, sentence_count=9)
    assert [s.sentence_index for s in shown] == [6, 7, 8]


def test_the_default_view_never_shows_a_score_under_one_half() -> None:
    low = suggestion(0, 5, ClaimType.STATISTIC, 0, score=0.49)
    assert shown_by_default([low], sentence_count=1) == []


def test_closing_a_claim_closes_its_candidates_and_the_next_best_takes_its_place() -> None:
    top = suggestion(0, 50, ClaimType.STATISTIC, 0, score=0.9, claimant="Reuters")
    inner = suggestion(10, 20, ClaimType.STATISTIC, 0, score=0.9)
    next_best = suggestion(60, 80, ClaimType.DENIAL, 1, score=0.7)
    candidates = [top, inner, next_best]
    assert in_view(candidates, 3, SuggestionView.BEST) == [top]
    closed = in_view(candidates, 3, SuggestionView.BEST, closed=lambda s: s == top)
    assert closed == [next_best]


def test_on_the_harbour_sample_the_default_view_is_sparse_and_names_speakers() -> None:
    article = read_article_file(HARBOUR)[0]
    every = suggest_claims(article.text, article.sentences)
    shown = in_view(every, len(article.sentences), SuggestionView.BEST)
    assert 0 < len({s.sentence_index for s in shown}) <= len(article.sentences) / 3
    assert all(s.claimant or s.source for s in shown)
    every_claim = in_view(every, len(article.sentences), SuggestionView.ALL)
    assert all(a.end <= b.start for a, b in zip(every_claim, every_claim[1:], strict=False))


def test_scores_read_as_words() -> None:
    assert [score_in_words(x) for x in (0.9, 0.6, 0.3, 0.1)] == [
        "likely worth checking",
        "possibly worth checking",
        "probably not worth checking",
        "unlikely to be worth checking",
    ]


_SENTENCE_PARTS = st.sampled_from(
    [
        "The navy sent 40 warships to the port.",
        '"We will not retreat," said Defence Minister Anna Kowalski.',
        "Officials said 300 people were evacuated.",
        "Putin has repeatedly denied that claim.",
        "According to Reuters, prices rose by a third since 2019.",
        "It was a sunny day.",
        "What a disgrace this is!",
        "Unemployment will fall to 4% next year, the ministry predicted.",
    ]
)


@given(st.lists(_SENTENCE_PARTS, min_size=1, max_size=12))
def test_every_article_shows_by_default_one_claim_each_on_at_most_a_third_of_its_sentences(
    parts: list[str],
) -> None:
    text = " ".join(parts)
    every = suggest_claims(text)
    count = len(parts)
    shown = in_view(every, count, SuggestionView.BEST)
    all_claims = in_view(every, count, SuggestionView.ALL)
    assert len({s.sentence_index for s in shown}) <= max(1, count // 3)
    assert all(s.score >= 0.5 for s in shown)
    assert all(s in all_claims for s in shown) and all(s in every for s in all_claims)
    for first, second in zip(shown, shown[1:], strict=False):  # one suggestion per claim: no overlaps
        assert first.end <= second.start or first.sentence_index != second.sentence_index
