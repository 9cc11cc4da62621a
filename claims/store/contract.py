"""The storage interface every backend implements, and the merge rule they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol

from claims.errors import ClaimsError
from claims.models import Article, ArticleSummary, Claim, MergeReport, SuggestionDecision

ClaimEdit = Callable[[Claim], Claim]
MergeAction = Literal["add", "update", "skip"]


class Repository(Protocol):
    """A store of articles and their claims. Every method is atomic on its own."""

    location: str

    def add_article(self, article: Article) -> bool:
        """Store an article; False (and nothing written) if its id is already present."""
        ...

    def get_article(self, article_id: str) -> Article: ...

    def list_articles(self) -> list[ArticleSummary]: ...

    def delete_article(self, article_id: str) -> int:
        """Remove an article with its claims; returns how many claims went with it."""
        ...

    def add_claim(self, claim: Claim) -> None: ...

    def get_claim(self, article_id: str, claim_id: str) -> Claim: ...

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        """Replace a claim by edit(current), reading and writing under one lock."""
        ...

    def delete_claim(self, article_id: str, claim_id: str) -> Claim: ...

    def list_claims(self, article_id: str | None = None) -> list[Claim]: ...

    def documents(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Every article (with text and sentences) and every claim as stored: JSON-ready records
        (`model_dump(mode="json")`), read in one pass. What a whole-store export needs, fast."""
        ...

    def merge(self, articles: Iterable[Article], claims: Iterable[Claim]) -> MergeReport:
        """Add or update records by id, deciding each with `merge_action`."""
        ...

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        """Remember what editors did with suggestions of one article, in one write."""
        ...

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]: ...

    def revision(self) -> str:
        """A cheap token that changes whenever anything stored changes (by any process), so callers
        can cache what they computed from a whole store."""
        ...

    def storage_problems(self) -> list[str]:
        """What is wrong with the backend's own storage, beyond its records (e.g. temporary files an
        interrupted write left behind), one message each; [] when nothing is. For `claims check`."""
        ...


def merge_action(existing: Claim | None, incoming: Claim) -> MergeAction:
    """How a loaded claim meets the stored one: newer versions win, nothing is overwritten by older."""
    if existing is None:
        return "add"
    if incoming.version > existing.version:
        return "update"
    return "skip"


class DuplicateClaim(ClaimsError):
    def __init__(self, claim_id: str) -> None:
        super().__init__(f"a claim with id {claim_id!r} is already stored")


_COUNTER: dict[MergeAction, str] = {"add": "added", "update": "updated", "skip": "skipped"}


def count_merge(report: MergeReport, action: MergeAction) -> None:
    """Add one claim decision to a merge report."""
    counts = report.claims
    setattr(counts, _COUNTER[action], getattr(counts, _COUNTER[action]) + 1)
