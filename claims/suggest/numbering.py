"""Suggestions named by number, as `claims suggest --article` lists them (1 for the first), so that a
script or an editor at a terminal can accept or reject them; and which of them are still open."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from claims.errors import InvalidClaim
from claims.models import Article, Suggestion
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.grouping import in_same_sentence, of_same_kind
from claims.suggest.ranking import SuggestionView
from claims.suggest.review import open_in_view, open_suggestions


def numbered_suggestions(article: Article) -> list[Suggestion]:
    """Every suggestion for the article, low scores included, in the engine's order: suggestion N is the
    N-th of this list. An article never changes once stored, so the numbers never change either."""
    return suggest_claims(article.text, article.sentences)


def pick_open(repo: Repository, article: Article, numbers: Iterable[int]) -> list[Suggestion]:
    """The suggestions with these numbers (each once, in the order given), refusing a number the article
    has no suggestion for, and one an editor already accepted or rejected or whose span is already a claim.
    Any score may be picked: the editor named it."""
    every = numbered_suggestions(article)
    still_open = open_suggestions(every, repo.list_claims(article.id), repo.list_decisions(article.id), 0.0)
    picked: dict[int, Suggestion] = {}
    for number in numbers:
        if not 1 <= number <= len(every):
            raise InvalidClaim("suggestion", number, _range(every))
        suggestion = every[number - 1]
        if suggestion not in still_open:
            raise InvalidClaim("suggestion", number, _why_closed(repo, article, suggestion))
        picked[number] = suggestion
    return list(picked.values())


def open_like(
    repo: Repository,
    article: Article,
    number: int,
    *,
    in_sentence: bool = False,
    view: SuggestionView = SuggestionView.ALL,
) -> list[Suggestion]:
    """What the suggestion panel's "accept (or reject) every one like this" takes: the open suggestions
    of suggestion `number`'s type in `view` (by default one per claim, each worth checking), in the
    article or only in its sentence. Suggestion `number` itself may be closed already (it names a kind
    and a sentence)."""
    every = numbered_suggestions(article)
    if not 1 <= number <= len(every):
        raise InvalidClaim("suggestion", number, _range(every))
    claims, decisions = repo.list_claims(article.id), repo.list_decisions(article.id)
    shown = open_in_view(every, claims, decisions, len(article.sentences), view)
    like = every[number - 1]
    return in_same_sentence(like, shown) if in_sentence else of_same_kind(like, shown)


def _range(every: Sequence[Suggestion]) -> str:
    if not every:
        return "the article has no suggestions"
    return f"the article's suggestions are numbered 1 to {len(every)} (see claims suggest --article)"


def _why_closed(repo: Repository, article: Article, suggestion: Suggestion) -> str:
    for decision in repo.list_decisions(article.id):
        if decision.key == suggestion.key:
            return f"{decision.by} already {decision.decision.value} it"
    return "its span is already a claim"
