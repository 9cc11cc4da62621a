"""Reviewing suggestions: which are still open, and accepting or rejecting them (one or many)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from claims.annotations import new_claim, parse_draft
from claims.models import (
    Article,
    Claim,
    ClaimOrigin,
    Decision,
    Sentence,
    Source,
    Suggestion,
    SuggestionDecision,
    utc_now,
)
from claims.store.contract import Repository
from claims.store.queries import decision_counts as tallies_of
from claims.suggest.engine import WORTH_CHECKING
from claims.suggest.ranking import SuggestionView, in_view


def suggestion_id(suggestion: Suggestion) -> str:
    """A stable name for a suggestion: the same span and type in the same text is the same suggestion."""
    return f"s:{suggestion.start}:{suggestion.end}:{suggestion.claim_type.value}"


def open_suggestions(
    suggestions: Iterable[Suggestion],
    claims: Iterable[Claim],
    decisions: Iterable[SuggestionDecision],
    min_score: float = WORTH_CHECKING,
) -> list[Suggestion]:
    """Suggestions still worth showing: scored high enough, not decided on, not already a claim's span."""
    decided = {decision.key for decision in decisions}
    claimed = {(claim.start, claim.end) for claim in claims}
    return [
        suggestion
        for suggestion in suggestions
        if suggestion.score >= min_score
        and suggestion.key not in decided
        and (suggestion.start, suggestion.end) not in claimed
    ]


def open_in_view(
    suggestions: Iterable[Suggestion],
    claims: Iterable[Claim],
    decisions: Iterable[SuggestionDecision],
    sentence_count: int,
    view: SuggestionView,
) -> list[Suggestion]:
    """The open suggestions a view shows. Accepting or rejecting a claim's suggestion (or marking its
    span as a claim) closes the claim: its overlapping candidates do not take its place, the next best
    claim does."""
    decided = {decision.key for decision in decisions}
    claimed = {(claim.start, claim.end) for claim in claims}

    def closed(suggestion: Suggestion) -> bool:
        return suggestion.key in decided or (suggestion.start, suggestion.end) in claimed

    return in_view(suggestions, sentence_count, view, closed)


def suggested_fields(suggestion: Suggestion) -> dict[str, Any]:
    """The labels a suggestion proposes, for the claim form or an accept-all."""
    source = Source(name=suggestion.source) if suggestion.source else None
    return {"claim_type": suggestion.claim_type, "claimant": suggestion.claimant, "source": source}


# How much of a selection and a suggestion must coincide (shared characters over the characters of
# either) for the selection to stand for the suggestion.
NEAR_MATCH = 0.8


def matching_suggestion(
    start: int, end: int, suggestions: Iterable[Suggestion], sentences: Sequence[Sentence]
) -> Suggestion | None:
    """The suggestion an editor's selection [start, end) stands for, if any.

    The suggestion on exactly that span, else one in the sentence that holds the whole selection
    whose span shares at least NEAR_MATCH of the characters the two spans cover together. Of
    several, the one sharing most wins, then the higher score, then the earlier span.
    """
    best: tuple[float, float, int, int] | None = None
    found: Suggestion | None = None
    for suggestion in suggestions:
        if not 0 <= suggestion.sentence_index < len(sentences):
            continue
        sentence = sentences[suggestion.sentence_index]
        exact = (suggestion.start, suggestion.end) == (start, end)
        if not exact and not sentence.start <= start < end <= sentence.end:
            continue
        shared = min(end, suggestion.end) - max(start, suggestion.start)
        covered = max(end, suggestion.end) - min(start, suggestion.start)
        overlap = 1.0 if exact else max(shared, 0) / covered
        if overlap < NEAR_MATCH:
            continue
        rank = (overlap, suggestion.score, -suggestion.start, -suggestion.end)
        if best is None or rank > best:
            best, found = rank, suggestion
    return found


def accept_as_selected(
    repo: Repository,
    article: Article,
    suggestion: Suggestion,
    start: int,
    end: int,
    fields: dict[str, Any],
    by: str,
) -> Claim:
    """Save the editor's selection [start, end) as a claim that accepts `suggestion`.

    The claim keeps the editor's span and labels, its origin is `suggestion`, and the suggestion is
    recorded as accepted (with the claim's id), so it is counted and no longer shown: claim and decision
    in one atomic write.
    """
    draft = parse_draft(
        {**fields, "article_id": article.id, "start": start, "end": end, "origin": ClaimOrigin.SUGGESTION}
    )
    claim = new_claim(article, draft, by=by)
    repo.merge([], [claim], [_decision(article, suggestion, Decision.ACCEPTED, by, claim.id)])
    return claim


def accept_suggestions(
    repo: Repository,
    article: Article,
    chosen: Sequence[tuple[Suggestion, dict[str, Any]]],
    by: str,
) -> list[Claim]:
    """Turn suggestions into claims (with the given labels) and remember that they were accepted, all in
    one atomic write: a refused or failed accept stores none of them."""
    claims = []
    for suggestion, fields in chosen:
        draft = parse_draft(
            {
                **fields,
                "article_id": article.id,
                "start": suggestion.start,
                "end": suggestion.end,
                "quote": suggestion.quote,
                "origin": ClaimOrigin.SUGGESTION,
            }
        )
        claims.append(new_claim(article, draft, by=by))
    decisions = [
        _decision(article, suggestion, Decision.ACCEPTED, by, claim.id)
        for (suggestion, _), claim in zip(chosen, claims, strict=True)
    ]
    repo.merge([], claims, decisions)
    return claims


def reject_suggestions(repo: Repository, article: Article, suggestions: Iterable[Suggestion], by: str) -> int:
    """Remember that an editor rejected these suggestions, so they are never shown again."""
    decisions = [_decision(article, s, Decision.REJECTED, by, None) for s in suggestions]
    repo.record_decisions(article.id, decisions)
    return len(decisions)


def _decision(
    article: Article, suggestion: Suggestion, decision: Decision, by: str, claim_id: str | None
) -> SuggestionDecision:
    return SuggestionDecision(
        article_id=article.id,
        start=suggestion.start,
        end=suggestion.end,
        claim_type=suggestion.claim_type,
        quote=suggestion.quote,
        decision=decision,
        claim_id=claim_id,
        by=by,
        at=utc_now(),
    )


class DecisionCounts(BaseModel):
    """How useful suggestions have been: what editors accepted and rejected, overall and by type."""

    accepted: int
    rejected: int
    by_type: dict[str, dict[str, int]]

    @classmethod
    def of(cls, tallies: Mapping[str, Mapping[str, int]]) -> DecisionCounts:
        """From tallies per claim type, as `Repository.count_decisions` gives them."""
        by_type = {
            claim_type: {decision.value: tallies[claim_type].get(decision.value, 0) for decision in Decision}
            for claim_type in sorted(tallies)
        }
        return cls(
            accepted=sum(tally[Decision.ACCEPTED.value] for tally in by_type.values()),
            rejected=sum(tally[Decision.REJECTED.value] for tally in by_type.values()),
            by_type=by_type,
        )

    @property
    def acceptance_rate(self) -> float | None:
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


def decision_counts(decisions: Iterable[SuggestionDecision]) -> DecisionCounts:
    return DecisionCounts.of(tallies_of(decisions))
