"""The in-memory backend: everything in dicts, for tests and throw-away sessions."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from pydantic import TypeAdapter

from claims.errors import DuplicateClaim, InvalidClaim, NotFound
from claims.models import (
    Article,
    ArticlePage,
    ArticleQuery,
    ArticleSummary,
    ChangeOutcome,
    Claim,
    ClaimFilter,
    ClaimGroup,
    ClaimPage,
    ClaimQuery,
    ClaimSort,
    Deletion,
    DeletionKind,
    FactCheckCounts,
    FactCheckGroup,
    FactCheckPage,
    FactCheckQuery,
    KnownFactCheck,
    MergeReport,
    SuggestionDecision,
    utc_now,
)
from claims.store.contract import (
    ClaimEdit,
    StoreDocuments,
    check_merge,
    claim_winners,
    combined,
    count_claims,
    edit_each,
    factcheck_changes,
    new_records,
)
from claims.store.queries import (
    article_page,
    article_rows,
    claim_page,
    count_by,
    count_factchecks,
    decision_counts,
    factcheck_page,
    matching_claims,
)

_ARTICLE_LIST = TypeAdapter(list[Article])
_CLAIM_LIST = TypeAdapter(list[Claim])
_DECISION_LIST = TypeAdapter(list[SuggestionDecision])
_DELETION_LIST = TypeAdapter(list[Deletion])


class MemoryRepository:
    """Keeps everything in dicts; for tests and throw-away sessions."""

    def __init__(self) -> None:
        self.location = ":memory:"
        self._lock = threading.RLock()
        self._articles: dict[str, Article] = {}
        self._claims: dict[str, dict[str, Claim]] = {}
        self._decisions: dict[str, list[SuggestionDecision]] = {}
        self._deletions: list[Deletion] = []
        self._revision = 0
        self._factchecks: dict[str, KnownFactCheck] = {}
        self._factcheck_revision = 0

    def revision(self) -> str:
        with self._lock:
            return str(self._revision)

    def storage_problems(self) -> list[str]:
        return []  # dicts leave nothing behind

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The lock, and a new revision when the block ends without an exception (checks come first, so
        a refused write keeps the revision; a write that changes nothing may still renew it)."""
        with self._lock:
            yield
            self._revision += 1

    def add_article(self, article: Article) -> bool:
        with self._lock:
            if article.id in self._articles:
                return False
            with self._writing():
                self._articles[article.id] = article
                self._claims[article.id] = {}
            return True

    def get_article(self, article_id: str) -> Article:
        with self._lock:
            try:
                return self._articles[article_id]
            except KeyError:
                raise NotFound("article", article_id) from None

    def list_articles(self) -> list[ArticleSummary]:
        with self._lock:
            return [article.summary() for article in self._articles.values()]

    def delete_article(self, article_id: str, *, by: str) -> int:
        with self._writing():
            self.get_article(article_id)
            deletion = Deletion(
                kind=DeletionKind.ARTICLE, id=article_id, article_id=article_id, by=by, at=utc_now()
            )
            del self._articles[article_id]
            self._decisions.pop(article_id, None)
            self._deletions.append(deletion)
            return len(self._claims.pop(article_id))

    def add_claim(self, claim: Claim) -> None:
        with self._writing():
            claims = self._article_claims(claim.article_id)
            if claim.id in claims:
                raise DuplicateClaim(claim.id)
            claims[claim.id] = claim

    def get_claim(self, article_id: str, claim_id: str) -> Claim:
        with self._lock:
            try:
                return self._article_claims(article_id)[claim_id]
            except KeyError:
                raise NotFound("claim", claim_id) from None

    def update_claim(self, article_id: str, claim_id: str, edit: ClaimEdit) -> Claim:
        with self._writing():
            updated = edit(self.get_claim(article_id, claim_id))
            self._claims[article_id][claim_id] = updated
            return updated

    def delete_claim(self, article_id: str, claim_id: str, *, by: str) -> Claim:
        with self._writing():
            claim = self.get_claim(article_id, claim_id)
            deletion = Deletion(
                kind=DeletionKind.CLAIM, id=claim_id, article_id=article_id, by=by, at=utc_now(), claim=claim
            )
            del self._claims[article_id][claim_id]
            self._deletions.append(deletion)
            return claim

    def list_claims(self, article_id: str | None = None) -> list[Claim]:
        with self._lock:
            if article_id is not None:
                return list(self._article_claims(article_id).values())
            return [claim for claims in self._claims.values() for claim in claims.values()]

    def query_claims(self, query: ClaimQuery) -> ClaimPage:
        with self._lock:
            return claim_page(self.list_claims(), self.list_articles(), query)

    def count_claims_by(self, group: ClaimGroup, chosen: ClaimFilter | None = None) -> dict[str, int]:
        with self._lock:
            if chosen is None:
                return count_by(self.list_claims(), group)
            return count_by(self._matching(chosen), group)

    def query_articles(self, query: ArticleQuery) -> ArticlePage:
        with self._lock:
            return article_page(article_rows(self.list_articles(), self.list_claims()).values(), query)

    def count_decisions(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return decision_counts(self.list_decisions())

    def update_claims(self, chosen: ClaimFilter, edit: ClaimEdit) -> ChangeOutcome:
        with self._lock:
            outcome = edit_each(self._matching(chosen), edit)
            if outcome.applied:
                with self._writing():
                    for applied in outcome.applied:
                        self._claims[applied.after.article_id][applied.after.id] = applied.after
        return outcome

    def _matching(self, chosen: ClaimFilter) -> list[Claim]:
        return matching_claims(self.list_claims(), self.list_articles(), chosen, ClaimSort.ARTICLE)

    def list_deletions(self) -> list[Deletion]:
        with self._lock:
            return sorted(self._deletions, key=lambda deletion: deletion.at)

    def documents(self) -> StoreDocuments:
        with self._lock:
            return StoreDocuments(
                articles=_ARTICLE_LIST.dump_python(list(self._articles.values()), mode="json"),
                claims=_CLAIM_LIST.dump_python(self.list_claims(), mode="json"),
                decisions=_DECISION_LIST.dump_python(self.list_decisions(), mode="json"),
                deletions=_DELETION_LIST.dump_python(self.list_deletions(), mode="json"),
                factchecks=[check.model_dump(mode="json") for check in self.list_factchecks()],
            )

    def merge(
        self,
        articles: Iterable[Article],
        claims: Iterable[Claim],
        decisions: Iterable[SuggestionDecision] = (),
        deletions: Iterable[Deletion] = (),
    ) -> MergeReport:
        articles, claims, decisions = list(articles), list(claims), list(decisions)
        report = MergeReport()
        with self._lock:

            def stored_text(article_id: str) -> str | None:
                stored = self._articles.get(article_id)
                return stored.text if stored is not None else None

            # Every check comes before the first change, so a refused merge changes nothing.
            new = check_merge(articles, stored_text, claims, decisions)
            report.articles.added = len(new)
            report.articles.skipped = len(articles) - len(new)
            stored = {c.id: self._claims[c.article_id].get(c.id) if c.article_id in self._claims else None
                      for c in claims}  # fmt: skip
            written = count_claims(report, claims, stored)
            winners = claim_winners(claims)
            by_article: dict[str, list[SuggestionDecision]] = {}
            for decision in decisions:
                by_article.setdefault(decision.article_id, []).append(decision)
            fresh = {
                article_id: new_records(incoming, self._decisions.get(article_id, []), report.decisions)
                for article_id, incoming in by_article.items()
            }
            gone = new_records(deletions, self._deletions, report.deletions)
            if not (new or written or any(fresh.values()) or gone):
                return report
            with self._writing():
                for article in new.values():
                    self._articles[article.id] = article
                    self._claims[article.id] = {}
                for claim_id in written:
                    winner = combined(winners[claim_id], stored.get(claim_id))
                    self._claims[winner.article_id][claim_id] = winner
                for article_id, added in fresh.items():
                    self._decisions.setdefault(article_id, []).extend(added)
                self._deletions.extend(gone)
        return report

    def record_decisions(self, article_id: str, decisions: Iterable[SuggestionDecision]) -> None:
        decisions = list(decisions)
        with self._writing():
            self.get_article(article_id)
            for decision in decisions:
                if decision.article_id != article_id:
                    raise InvalidClaim(
                        "article_id", decision.article_id, f"recorded under article {article_id}"
                    )
            self._decisions.setdefault(article_id, []).extend(decisions)

    def list_decisions(self, article_id: str | None = None) -> list[SuggestionDecision]:
        with self._lock:
            if article_id is not None:
                self.get_article(article_id)
                return list(self._decisions.get(article_id, []))
            return [decision for decisions in self._decisions.values() for decision in decisions]

    def _article_claims(self, article_id: str) -> dict[str, Claim]:
        try:
            return self._claims[article_id]
        except KeyError:
            raise NotFound("article", article_id) from None

    def add_factchecks(self, checks: Iterable[KnownFactCheck]) -> FactCheckCounts:
        with self._lock:
            written, counts = factcheck_changes(checks, self._factchecks.get)
            if written:
                with self._writing():
                    self._factchecks.update(written)
                    self._factcheck_revision += 1
            return counts

    def list_factchecks(self) -> list[KnownFactCheck]:
        with self._lock:
            return sorted(self._factchecks.values(), key=lambda check: check.id)

    def query_factchecks(self, query: FactCheckQuery) -> FactCheckPage:
        with self._lock:
            return factcheck_page(self._factchecks.values(), query)

    def count_factchecks_by(self, group: FactCheckGroup) -> dict[str, int]:
        with self._lock:
            return count_factchecks(self._factchecks.values(), group)

    def factcheck_revision(self) -> str:
        with self._lock:
            return str(self._factcheck_revision)
