"""Suggestions that go together: those on the same span, and those of the same kind in the article or in
one sentence (what "accept all like this" takes), the same for the app's suggestion panel and the CLI."""

from __future__ import annotations

from collections.abc import Iterable

from claims.models import Suggestion


def on_same_span(suggestion: Suggestion, shown: Iterable[Suggestion]) -> list[Suggestion]:
    """The other suggestions on exactly the suggestion's span (another type proposed for the same words)."""
    return [s for s in shown if (s.start, s.end) == (suggestion.start, suggestion.end) and s != suggestion]


def of_same_kind(suggestion: Suggestion, shown: Iterable[Suggestion]) -> list[Suggestion]:
    """The suggestions of the suggestion's claim type (itself included), in the order given."""
    return [s for s in shown if s.claim_type == suggestion.claim_type]


def in_same_sentence(suggestion: Suggestion, shown: Iterable[Suggestion]) -> list[Suggestion]:
    """The suggestions of the suggestion's claim type in its sentence (itself included)."""
    return [s for s in of_same_kind(suggestion, shown) if s.sentence_index == suggestion.sentence_index]
