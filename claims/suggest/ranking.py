"""Which suggestions an editor sees first: one per claim, the best-scored, on about a third of the sentences.

The engine proposes every candidate it finds (several rules may propose overlapping spans of one
claim); `one_per_claim` keeps one representative of each group of overlapping candidates, and
`shown_by_default` ranks those and keeps the best until they cover about a third of the article.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum

from claims.models import ClaimType, Suggestion
from claims.suggest.scores import WORTH_CHECKING

# The default view underlines at most this share of an article's sentences.
DEFAULT_SHARE = 1 / 3
# Two overlapping spans are one claim when they share at least this share of the shorter one.
SAME_CLAIM_OVERLAP = 0.5

# Opinions are whole-sentence verdicts on the sentence, never the claim inside it: never joined to one.
_NOT_CLAIMS = frozenset({ClaimType.OPINION})


class SuggestionView(StrEnum):
    """How many suggestions an editor asked to see (the Annotate page's switches, claims suggest's flags)."""

    BEST = "best"  # the default: one per claim, worth checking, on about a third of the sentences
    ALL = "all"  # one per claim, every one worth checking
    EVERY_CANDIDATE = "every"  # every candidate the rules found, low scores and overlaps too

    @classmethod
    def asked(cls, show_all: bool, low_scores: bool) -> SuggestionView:
        """The view two switches ask for ("Show all suggestions", "Low scores too"): low scores show most."""
        return cls.EVERY_CANDIDATE if low_scores else cls.ALL if show_all else cls.BEST


def in_view(
    suggestions: Iterable[Suggestion],
    sentence_count: int,
    view: SuggestionView,
    closed: Callable[[Suggestion], bool] = lambda suggestion: False,
) -> list[Suggestion]:
    """The open suggestions a view shows, by position.

    `closed` says which candidates an editor already decided (or made a claim of). A claim one of
    whose candidates is closed is closed as a whole, and the next best claim takes its place.
    """
    if view is SuggestionView.EVERY_CANDIDATE:
        return sorted((s for s in suggestions if not closed(s)), key=_by_position)
    claims = [c for c in _claims(suggestions) if not any(closed(s) for s in c)]
    representatives = [_representative(c) for c in claims]
    if view is SuggestionView.ALL:
        return sorted((s for s in representatives if s.score >= WORTH_CHECKING), key=_by_position)
    return _best(representatives, sentence_count, DEFAULT_SHARE, WORTH_CHECKING)


def one_per_claim(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion for each claim, in position order.

    Overlapping candidates in a sentence (a quantity inside an attributed statement, a prediction
    and the quotation holding it, the same span proposed as two types) are one claim; its
    representative is the candidate that says most: a speaker (or source) and a specific type first
    (the engine proposes "a statistic attributed to X" over the whole statement), then a speaker, then
    the best score, then the widest span.
    """
    return sorted((_representative(c) for c in _claims(suggestions)), key=_by_position)


def shown_by_default(
    suggestions: Iterable[Suggestion],
    sentence_count: int,
    *,
    share: float = DEFAULT_SHARE,
    min_score: float = WORTH_CHECKING,
) -> list[Suggestion]:
    """The default view: one suggestion per claim scoring at least `min_score`, best first, until
    their sentences make up `share` of the article's (at least one sentence); returned by position."""
    return _best(one_per_claim(suggestions), sentence_count, share, min_score)


def _best(
    representatives: Iterable[Suggestion], sentence_count: int, share: float, min_score: float
) -> list[Suggestion]:
    ranked = sorted((s for s in representatives if s.score >= min_score), key=lambda s: (-s.score, s.start))
    budget = max(1, int(sentence_count * share + 1e-9))  # never more than the share, but one sentence
    chosen_sentences: set[int] = set()
    shown: list[Suggestion] = []
    for suggestion in ranked:
        if suggestion.sentence_index not in chosen_sentences:
            if len(chosen_sentences) >= budget:
                continue
            chosen_sentences.add(suggestion.sentence_index)
        shown.append(suggestion)
    return sorted(shown, key=_by_position)


def _by_position(suggestion: Suggestion) -> tuple[int, int, ClaimType]:
    return suggestion.key


def _claims(suggestions: Iterable[Suggestion]) -> list[list[Suggestion]]:
    by_sentence: dict[int, list[Suggestion]] = {}
    for suggestion in suggestions:
        by_sentence.setdefault(suggestion.sentence_index, []).append(suggestion)
    return [cluster for group in by_sentence.values() for cluster in _clusters(group)]


def _same_claim(first: Suggestion, second: Suggestion) -> bool:
    shared = min(first.end, second.end) - max(first.start, second.start)
    if shared <= 0:
        return False
    shorter = min(first.end - first.start, second.end - second.start)
    return shared >= SAME_CLAIM_OVERLAP * shorter


def _clusters(group: Sequence[Suggestion]) -> list[list[Suggestion]]:
    """Groups of candidates joined by overlap (transitively); opinions stay on their own."""
    clusters: list[list[Suggestion]] = []
    for suggestion in group:
        if suggestion.claim_type in _NOT_CLAIMS:
            clusters.append([suggestion])
            continue
        joined = [
            c
            for c in clusters
            if c[0].claim_type not in _NOT_CLAIMS and any(_same_claim(suggestion, s) for s in c)
        ]
        merged = [suggestion]
        for cluster in joined:
            merged.extend(cluster)
            clusters.remove(cluster)
        clusters.append(merged)
    return clusters


def _representative(cluster: Sequence[Suggestion]) -> Suggestion:
    def says_most(suggestion: Suggestion) -> tuple[bool, bool, float, int]:
        attributed = suggestion.claimant is not None or suggestion.source is not None
        specific = suggestion.claim_type is not ClaimType.QUOTE
        return (attributed and specific, attributed, suggestion.score, suggestion.end - suggestion.start)

    return max(cluster, key=says_most)
